package command

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/apply"
	"github.com/strata-build/strata/core/eval"
	"github.com/strata-build/strata/core/nomad"
	"github.com/strata-build/strata/core/pkgset"
	"github.com/strata-build/strata/core/plan"
)

func runApply(c *cli, args []string) int {
	fs := c.flags()
	var pf planFlags
	pf.register(fs)
	approve := fs.Bool("auto-approve", false, "build without asking for confirmation")
	parallelism := fs.Int("parallelism", 0, "build at most N artifacts at once (default: the number of CPUs; 16 on Nomad)")
	outDir := fs.String("out-dir", "", "write the compose here (default: out/ beside the configuration)")
	executor := fs.String("executor", "", `where builds run: "local", or "nomad" (default: the configuration's executor block, else local)`)
	arg, code, stop := c.parseDir(fs, args)
	if stop {
		return code
	}
	if !c.parseTargets(&pf) {
		return exitUsage
	}
	dir, saved := arg, (*plan.File)(nil)
	if st, err := os.Stat(arg); err == nil && st.Mode().IsRegular() {
		var err error
		if saved, err = plan.ReadFile(arg); err != nil {
			return c.errorf("%v", err)
		}
		dir = saved.Dir
	}
	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSignals()

	st, ok := c.openStore(dir)
	if !ok {
		return exitError
	}
	lock, err := st.Acquire("strata apply")
	if err != nil {
		return c.errorf("%v", err)
	}
	defer lock.Release()
	if err := st.CleanTmp(); err != nil {
		return c.errorf("cleaning up an earlier apply: %v", err)
	}

	s, diags := c.makePlan(ctx, dir, &pf, saved)
	defer s.close()
	if !pf.json {
		c.diagnose(diags)
	}
	if diags.HasErrors() || s.plan == nil {
		if pf.json {
			c.emit(map[string]any{"type": "diagnostics", "diagnostics": jsonDiags(diags)})
		}
		return exitError
	}
	p := s.plan
	if saved != nil {
		if err := saved.Check(p); err != nil {
			return c.errorf("%v", err)
		}
	}
	if pf.json {
		c.emit(map[string]any{"type": "plan", "plan": planJSON(p, diags)})
	} else {
		c.printPlan(p)
	}
	build, rebuild, _ := p.Counts()
	if build+rebuild+p.Publishes() > 0 && saved == nil && !*approve && !c.confirm() {
		fmt.Fprintln(c.stdout, "Apply cancelled.")
		return exitError
	}
	out := *outDir
	if out == "" {
		out = filepath.Join(dir, "out")
	}
	opts := apply.Options{Parallelism: *parallelism, Reporter: c.reporter(pf.json),
		Fetcher: &pkgset.Fetcher{Dir: filepath.Join(st.CacheDir(), "packages")}}
	if opts.Executor, err = executorFor(*executor, p); err != nil {
		return c.errorf("%v", err)
	}
	if opts.Executor != nil && *parallelism == 0 {
		// The cluster, not this machine, runs the builds.
		opts.Parallelism = remoteParallelism
	}
	res, cr, err := apply.ApplyAndCompose(ctx, p, opts, out)
	if res == nil {
		return c.errorf("writing the compose: %v", err)
	}
	// The builds are done: their plugins' memory goes before the package
	// lists are read again to record the digests the apply computed.
	s.plugins.Park()
	if err := p.Digests.Save(); err != nil {
		c.diagnose(hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "Cannot save the package lists", Detail: err.Error()}})
	}
	result := map[string]any{"type": "result", "built": res.Built, "from_store": res.FromStore, "published": res.Published, "failed": res.Failed, "skipped": res.Skipped,
		"fetched": res.Fetched, "pushed": res.Pushed}
	if !pf.json {
		fmt.Fprintf(c.stdout, "\n%s\n", summary(res))
	}
	if err != nil {
		return c.errorf("writing the compose: %v", err)
	}
	if cr != nil {
		result["compose"] = map[string]any{"id": cr.ID, "path": cr.Dir, "unchanged": cr.Unchanged}
		if !pf.json {
			verb := "Compose written to"
			if cr.Unchanged {
				verb = "Nothing changed; the newest compose is still"
			}
			fmt.Fprintf(c.stdout, "%s %s\n", verb, cr.Dir)
		}
	} else if !pf.json {
		fmt.Fprintln(c.stdout, "No compose was written: -target builds only part of it.")
	}
	if pf.json {
		c.emit(result)
	}
	if res.Failed > 0 {
		return exitError
	}
	return exitOK
}

// summary is the line that ends an apply, as Terraform's does.
func summary(res *apply.Result) string {
	fromStore := fmt.Sprintf(" %d taken from the store,", res.FromStore)
	if res.Fetched > 0 {
		fromStore = fmt.Sprintf(" %d taken from the store (%d fetched from the remote store),", res.FromStore, res.Fetched)
	}
	for _, m := range []struct {
		n    int
		what string
	}{{res.Published, "published"}, {res.Pushed, "pushed to the remote store"}} {
		if m.n > 0 {
			fromStore += fmt.Sprintf(" %d %s,", m.n, m.what)
		}
	}
	verdict := "Apply complete!"
	if res.Failed > 0 {
		verdict = "Apply finished with errors:"
	}
	return fmt.Sprintf("%s %d built,%s %d failed, %d skipped.", verdict, res.Built, fromStore, res.Failed, res.Skipped)
}

// confirm asks on stdin, as Terraform does.
func (c *cli) confirm() bool {
	fmt.Fprint(c.stdout, "\nDo you want to build these artifacts?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
	line, _ := bufio.NewReader(c.stdin).ReadString('\n')
	return strings.TrimSpace(line) == "yes"
}

// remoteParallelism is how many builds an apply keeps on a cluster at
// once unless -parallelism says otherwise.
const remoteParallelism = 16

// executorFor returns where builds run: the -executor flag's choice, else
// the configuration's executor block; nil builds here.
func executorFor(flag string, p *plan.Plan) (apply.Executor, error) {
	cfg := p.Eval.Executor
	switch flag {
	case "local":
		return nil, nil
	case "":
		if cfg == nil {
			return nil, nil
		}
	case "nomad":
		if cfg == nil {
			addr := os.Getenv("NOMAD_ADDR")
			if addr == "" {
				addr = "http://127.0.0.1:4646"
			}
			cfg = &eval.Executor{Type: "nomad", Address: addr}
		}
	default:
		return nil, fmt.Errorf("-executor is \"local\" or \"nomad\", not %q", flag)
	}
	if p.Remote == nil {
		return nil, fmt.Errorf("builds on Nomad exchange their inputs and entries through a shared store: add a store \"oci\" block that the plan can reach")
	}
	return nomad.New(*cfg, p.Remote)
}
