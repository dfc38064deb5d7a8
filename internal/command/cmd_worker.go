package command

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/core/registry"
	"github.com/strata-build/strata/core/worker"
	"github.com/strata-build/strata/internal/builtin"
)

// runWorker runs one build from its spec in the shared store: what a
// Nomad job runs (see core/worker). It is not a command for people.
func runWorker(c *cli, args []string) int {
	fs := c.flags()
	repository := fs.String("repository", "", "the shared store's repository")
	insecure := fs.Bool("insecure", false, "reach the registry over plain HTTP")
	specSum := fs.String("spec", "", "the sha256 of the build's spec blob")
	dir := fs.String("dir", "", "the worker's directory (default: a temporary one)")
	if code, stop := c.parse(fs, args); stop {
		return code
	}
	if *repository == "" || *specSum == "" {
		fmt.Fprintln(c.stderr, "strata worker: -repository and -spec are required")
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	reg, err := registry.Open(*repository, *insecure)
	if err != nil {
		return c.errorf("%v", err)
	}
	work := *dir
	if work == "" {
		if work, err = os.MkdirTemp("", "strata-worker-"); err != nil {
			return c.errorf("%v", err)
		}
		defer os.RemoveAll(work)
	}
	specPath := filepath.Join(work, "spec.json")
	if err := reg.FetchBlob(ctx, *specSum, specPath, 0o644); err != nil {
		return c.errorf("%v", err)
	}
	data, err := os.ReadFile(specPath)
	if err != nil {
		return c.errorf("%v", err)
	}
	var spec worker.Spec
	if err := json.Unmarshal(data, &spec); err != nil {
		return c.errorf("the build's spec %.12s: %v", *specSum, err)
	}
	rep := &worker.Reporter{W: c.stderr}
	err = worker.Run(ctx, &spec, worker.Options{Registry: reg, Dir: work, Reporter: rep, BuiltOn: os.Getenv("STRATA_BUILT_ON"),
		Manager: func(pluginDir string, lock plugins.Lock) *plugins.Manager {
			strata := filepath.Join(work, ".strata")
			sandbox := &plugins.Sandbox{Read: []string{work},
				Write:    []string{filepath.Join(strata, "tmp"), filepath.Join(strata, "cache", "plugins")},
				LinkFrom: []string{filepath.Join(strata, "store"), filepath.Join(work, "packages")}}
			return &plugins.Manager{Dirs: []plugins.SearchDir{{Path: pluginDir, Why: "fetched for this build"}}, Lock: lock,
				Logger: c.logger(), Builtins: builtin.Versions(), Sandbox: sandbox}
		}})
	if err != nil {
		rep.Log("error", err.Error())
		rep.End()
		return exitError
	}
	rep.End()
	return exitOK
}
