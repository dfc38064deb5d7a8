// Package testutil runs the real clients that judge strata's output in
// tests: createrepo_c, dnf and its plugins.
package testutil
