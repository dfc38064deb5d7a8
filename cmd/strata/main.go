// Command strata composes Linux distribution products out of modules.
// See README.md, or run strata -help.
package main

import (
	"os"

	"github.com/strata-build/strata/internal/command"
)

func main() {
	os.Exit(command.Main(os.Args[1:], os.Stdout, os.Stderr))
}
