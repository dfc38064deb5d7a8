// Package dsl reads strata's configuration language: the .hcl files of a
// directory, decoded into blocks whose attributes are still expressions.
// It knows HCL and the shape of every core-owned block, and nothing of
// building: core/eval evaluates what this package parses, and an
// artifact's plugin-owned body stays an hcl.Body for the plugin's schema.
package dsl
