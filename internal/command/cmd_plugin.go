package command

import (
	"fmt"

	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/sdk/serve"

	"github.com/strata-build/strata/internal/builtin"
)

// servePlugin runs a built-in plugin: strata starts itself this way, as a
// separate process, for the artifact types it carries. It is not a
// command for people, so it is not in the usage.
func servePlugin(c *cli, args []string) int {
	if len(args) != 1 || builtin.Plugins[args[0]] == nil {
		fmt.Fprintf(c.stderr, "strata plugin: %v names no built-in plugin\n", args)
		return exitUsage
	}
	setGCPercent(pluginGCPercent)
	serve.Plugin(builtin.Plugins[args[0]]())
	return exitOK
}

// pluginGCPercent is a built-in plugin's garbage collection target (Go's
// GOGC). A yum repository build holds 12-15 MB live and its heap grew to
// 30 MB at Go's default of 100: at 50, the first apply of the 20,000-
// package gathering benchmark peaks at 78-80 MB, not 88-89, and cold
// repositories took the same time within the machine's noise (two
// alternated runs of the repository benchmark). A GOGC in the
// environment wins.
const pluginGCPercent = 50

// enterSandbox confines itself and executes a plugin in its place: strata
// starts every plugin this way (see plugins.Sandbox). It is not a
// command for people either.
func enterSandbox(c *cli, args []string) int {
	fs := c.flags()
	var read, write, linkFrom listFlag
	fs.Var(&read, "read", "a directory the plugin may read below (repeatable)")
	fs.Var(&write, "write", "a directory the plugin may write below (repeatable)")
	fs.Var(&linkFrom, "link-from", "a directory the plugin may link files from (repeatable)")
	if code, stop := c.parse(fs, args); stop {
		return code
	}
	err := plugins.Enter(read, write, linkFrom, fs.Args())
	fmt.Fprintf(c.stderr, "strata sandbox: %v\n", err)
	return exitError
}
