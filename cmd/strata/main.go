// Command strata composes Linux distribution products out of modules.
// See README.md, or run strata -help.
package main

import (
	"os"
	"runtime/debug"

	"github.com/strata-build/strata/internal/command"
)

// gcPercent is strata's garbage collection target unless GOGC says
// otherwise: most of what a plan allocates (the package universe) stays
// live, so collecting at half the live heap rather than all of it takes
// 12% off the peak at 77,000 packages and no time (make bench,
// tools/benchgather).
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(command.Main(os.Args[1:], os.Stdout, os.Stderr))
}
