// Package genrpm generates RPM packages for examples, tests and
// benchmarks: sets described in JSON for the examples, and synthetic
// universes with closed dependencies and realistic sizes for scale.
package genrpm
