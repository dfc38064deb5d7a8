// Command strata composes Linux distribution products out of modules.
// See README.md, or run strata -help.
package main

import (
	"os"
	"runtime/debug"

	"github.com/strata-build/strata/internal/command"
)

// gcPercent is the core's garbage collection target unless GOGC says
// otherwise: most of what a plan allocates (the package universe) stays
// live, so collecting at half the live heap rather than all of it takes
// 12% off the peak at 77,000 packages and no time (tools/benchgather).
// Built-in plugins keep Go's default: what they allocate mostly dies
// young, and at 50 a repository's build took 9% longer
// (tools/benchrepo).
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" && (len(os.Args) < 2 || os.Args[1] != "plugin") {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(command.Main(os.Args[1:], os.Stdout, os.Stderr))
}
