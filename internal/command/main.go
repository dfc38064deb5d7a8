package command

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/internal/startpages"
)

// Version is strata's version, set at build time.
var Version = "0.1.0"

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// verb is one subcommand.
type verb struct {
	summary string
	usage   string // argument synopsis
	example string
	run     func(c *cli, args []string) int
}

var verbs map[string]*verb

func init() {
	verbs = map[string]*verb{
		"validate": {"Check the configuration, without reading packages", "[options] [DIR]",
			"strata validate examples/minimal", runValidate},
		"fmt": {"Rewrite configuration files in canonical format", "[-check] [-diff] [DIR|FILE...]",
			"strata fmt -check .", runFmt},
		"graph": {"Print the reference graph in DOT", "[-format=dot|svg] [DIR]",
			"strata graph examples/minimal | dot -Tsvg > graph.svg", runGraph},
		"plan": {"Show what an apply would build and why", "[-out FILE] [-json] [-target ADDR] [-var k=v] [DIR]",
			"strata plan -out tomorrow.plan examples/minimal", runPlan},
		"apply": {"Build what the plan says and lay out the compose", "[-auto-approve] [-parallelism N] [-target ADDR] [-executor local|nomad] [DIR|PLANFILE]",
			"strata apply -auto-approve examples/minimal", runApply},
		"show": {"Show built artifacts, or one artifact's lineage", "[-json] [ADDR] [DIR]",
			"strata show 'artifact.tarball.rootfs[\"server\"]' examples/minimal", runShow},
		"why": {"Say why an artifact holds a package: what pulled it in, and what lists that", "[-json] [-var k=v] ADDR PACKAGE [DIR]",
			"strata why 'artifact.yumrepo.os[\"server\"]' libacl examples/fedora", runWhy},
		"verify": {"Hash the store and the newest compose again and report what changed", "[-json] [-out-dir DIR] [DIR]",
			"strata verify examples/minimal", runVerify},
		"plugins": {"List the plugins strata finds and whether they are locked", "[-json] [DIR]",
			"strata plugins examples/minimal", runPlugins},
		"init": {"Find the plugins the configuration needs and record them in the lock file", "[DIR]",
			"strata init examples/minimal", runInit},
		"import": {"Turn a comps file into group blocks and modules", "comps [-out FILE] FILE.xml",
			"strata import comps -out groups.hcl comps-f41.xml", runImport},
		"version": {"Print strata's version", "", "strata version", runVersion},
	}
}

// Main runs strata with args (without the program name) and returns the
// exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr, stdin: os.Stdin}
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		c.usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	if args[0] == "-version" || args[0] == "--version" {
		args[0] = "version"
	}
	if args[0] == plugins.SandboxVerb {
		// It confines itself and executes the plugin: a profiling timer
		// it started would outlive the exec and kill the plugin (SIGPROF)
		// before the plugin's runtime could catch it.
		return enterSandbox(c, args[1:])
	}
	// Starting touched most of the binary; every strata process, the
	// core and each plugin, keeps resident only what it runs from here.
	// (The sandbox step above executes the plugin at once: reading its
	// smaps, 1.5 ms, would be for nothing.)
	startpages.Release()
	defer startProfiles(args, stderr)()
	switch args[0] {
	case "plugin":
		return servePlugin(c, args[1:])
	case "worker":
		return runWorker(c, args[1:])
	}
	v, ok := verbs[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "strata: unknown command %q\n\n", args[0])
		c.usage(stderr)
		return exitUsage
	}
	c.verb = args[0]
	return v.run(c, args[1:])
}

func (c *cli) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: strata COMMAND [options] [DIR]\n\nstrata composes Linux distribution products out of modules.\n\nCommands:\n")
	names := slices.Sorted(maps.Keys(verbs))
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, verbs[n].summary)
	}
	fmt.Fprintf(w, "\nRun strata COMMAND -help for a command's options and an example.\n")
}

// flags returns a flag set for the current verb whose -help prints the
// verb's synopsis, options and example.
func (c *cli) flags() *flag.FlagSet {
	v := verbs[c.verb]
	fs := flag.NewFlagSet("strata "+c.verb, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: strata %s %s\n\n%s.\n", c.verb, v.usage, v.summary)
		var opts strings.Builder
		fs.SetOutput(&opts)
		fs.PrintDefaults()
		fs.SetOutput(w)
		if opts.Len() > 0 {
			fmt.Fprintf(w, "\nOptions:\n%s", opts.String())
		}
		fmt.Fprintf(w, "\nExample:\n  %s\n", v.example)
	}
	return fs
}

// parse parses flags; it returns an exit code when the command should
// stop (help asked for: 0; bad usage: 2).
func (c *cli) parse(fs *flag.FlagSet, args []string) (int, bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			fs.SetOutput(c.stdout)
			fs.Usage()
			return exitOK, true
		}
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage, true
	}
	return 0, false
}

// parseDir parses flags and the optional configuration directory
// argument (default "."); stop says the command should exit with code.
func (c *cli) parseDir(fs *flag.FlagSet, args []string) (dir string, code int, stop bool) {
	if code, stop := c.parse(fs, args); stop {
		return "", code, true
	}
	switch fs.NArg() {
	case 0:
		return ".", 0, false
	case 1:
		return fs.Arg(0), 0, false
	}
	fmt.Fprintf(c.stderr, "strata %s: too many arguments: %s\n", c.verb, strings.Join(fs.Args(), " "))
	return "", exitUsage, true
}
