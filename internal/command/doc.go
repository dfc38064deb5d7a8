// Package command implements strata's command line: one file per verb,
// Terraform's habits (strata VERB [flags] [DIR], single-dash long flags,
// -json for machines, exit 1 on errors and 2 on usage errors).
package command
