// Command strata composes Linux distribution products out of modules.
// See README.md, or run strata -help.
package main

import (
	"os"

	"github.com/strata-build/strata/internal/command"
	"github.com/strata-build/strata/internal/startpages"
)

func main() {
	// Starting touched most of the binary; every strata process, the
	// core and each plugin, keeps resident only what it runs from here.
	startpages.Release()
	os.Exit(command.Main(os.Args[1:], os.Stdout, os.Stderr))
}
