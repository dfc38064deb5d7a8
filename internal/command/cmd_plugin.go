package command

import (
	"fmt"

	"github.com/strata-build/strata/internal/builtin"
	"github.com/strata-build/strata/sdk"
)

// servePlugin runs a built-in plugin: strata starts itself this way, as a
// separate process, for the artifact types it carries. It is not a
// command for people, so it is not in the usage.
func servePlugin(c *cli, args []string) int {
	if len(args) != 1 || builtin.Plugins[args[0]] == nil {
		fmt.Fprintf(c.stderr, "strata plugin: %v names no built-in plugin\n", args)
		return exitUsage
	}
	sdk.Serve(builtin.Plugins[args[0]]())
	return exitOK
}
