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
	"github.com/strata-build/strata/core/compose"
	"github.com/strata-build/strata/core/eval"
	"github.com/strata-build/strata/core/nomad"
	"github.com/strata-build/strata/core/pkgset"
	"github.com/strata-build/strata/core/plan"
	"github.com/strata-build/strata/core/store"
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
	// Artifacts go into the compose while the others build: the up-to-date
	// ones now, each built one as soon as its files are there.
	var cw *compose.Writer
	if len(p.Opts.Targets) == 0 && build+rebuild+p.Publishes() > 0 {
		if cw, err = compose.Start(out); err != nil {
			return c.errorf("writing the compose: %v", err)
		}
		defer cw.Abort()
		for _, n := range p.Changes() {
			if n.Action == plan.UpToDate {
				addToCompose(cw, p, st, n)
			}
		}
	}
	fetcher := &pkgset.Fetcher{Dir: filepath.Join(st.CacheDir(), "packages")}
	opts := apply.Options{Parallelism: *parallelism, Reporter: c.reporter(pf.json), Fetcher: fetcher}
	if opts.Executor, err = executorFor(*executor, p); err != nil {
		return c.errorf("%v", err)
	}
	if opts.Executor != nil && *parallelism == 0 {
		// The cluster, not this machine, runs the builds.
		opts.Parallelism = remoteParallelism
	}
	if cw != nil {
		opts.Ready = func(n *plan.Node, e *store.Entry, files string) {
			cw.Add(compose.Artifact{Addr: n.Inst.Addr, Entry: e, Files: files})
		}
	}
	res := apply.Apply(ctx, p, opts)
	if err := p.Universe.SaveCache(); err != nil {
		c.diagnose(hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "Cannot save the header cache", Detail: err.Error()}})
	}
	result := map[string]any{"type": "result", "built": res.Built, "from_store": res.FromStore, "published": res.Published, "failed": res.Failed, "skipped": res.Skipped,
		"fetched": res.Fetched, "pushed": res.Pushed}
	if !pf.json {
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
		fmt.Fprintf(c.stdout, "\n%s %d built,%s %d failed, %d skipped.\n",
			map[bool]string{true: "Apply complete!", false: "Apply finished with errors:"}[res.Failed == 0], res.Built, fromStore, res.Failed, res.Skipped)
	}
	if len(p.Opts.Targets) == 0 {
		cr, err := writeCompose(p, st, cw, out, res.Failed+res.Skipped == 0)
		if err != nil {
			return c.errorf("writing the compose: %v", err)
		}
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

// confirm asks on stdin, as Terraform does.
func (c *cli) confirm() bool {
	fmt.Fprint(c.stdout, "\nDo you want to build these artifacts?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
	line, _ := bufio.NewReader(c.stdin).ReadString('\n')
	return strings.TrimSpace(line) == "yes"
}

// writeCompose lays out every built artifact of the plan, finishing the
// compose cw began when there is one.
func writeCompose(p *plan.Plan, st *store.Store, cw *compose.Writer, out string, complete bool) (*compose.Result, error) {
	var arts []compose.Artifact
	for _, n := range p.Changes() {
		a, ok, err := composeArtifact(p, st, n)
		if err != nil {
			return nil, err
		}
		if ok {
			arts = append(arts, a)
		}
	}
	c := p.Eval.Compose
	info := compose.Info{Name: c.Name, Short: c.Short, Version: c.Version, Type: c.Type, Label: c.Label,
		Date: p.Opts.Date, Variants: map[string]compose.Variant{}}
	for _, v := range p.Eval.Variants {
		info.Variants[v.UID] = compose.Variant{ID: v.ID, UID: v.UID, Name: v.Name, Type: v.Type}
	}
	if cw != nil {
		return cw.Finish(info, arts, complete)
	}
	return compose.Write(out, info, arts, complete)
}

// composeArtifact is the stored artifact of n, if its build is recorded.
func composeArtifact(p *plan.Plan, st *store.Store, n *plan.Node) (compose.Artifact, bool, error) {
	se, ok := p.State.Get(n.Inst.Addr.String())
	if !ok || se.Key != n.Key {
		return compose.Artifact{}, false, nil
	}
	e, err := st.Read(se.Key)
	if err != nil {
		return compose.Artifact{}, false, err
	}
	return compose.Artifact{Addr: n.Inst.Addr, Entry: e, Files: st.FilesPath(se.Key),
		Published: se.Published, PublishedOutputs: se.PublishedOutputs}, true, nil
}

// addToCompose starts laying out n's artifact; one that cannot be read
// now is read again, and its error reported, when the compose finishes.
func addToCompose(cw *compose.Writer, p *plan.Plan, st *store.Store, n *plan.Node) {
	if a, ok, err := composeArtifact(p, st, n); err == nil && ok {
		cw.Add(a)
	}
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
