package apply

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/strata-build/strata/core/pkgset"
	"github.com/strata-build/strata/core/plan"
	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/host"
	"github.com/zclconf/go-cty/cty"
)

// DefaultTimeout bounds a build whose artifact sets no timeout.
const DefaultTimeout = 2 * time.Hour

// Reporter receives what happens during an apply. Calls may come from
// several goroutines.
type Reporter interface {
	Started(addr string, plugin string)
	Progress(addr string, done, total int64, message string)
	Log(addr, level, message string)
	Finished(addr string, outcome Outcome, took time.Duration)
	Failed(addr string, err error)
	Skipped(addr string, cause string)
}

// Outcome says how an instance was brought up to date.
type Outcome int

// Outcomes.
const (
	Built Outcome = iota
	FromStore
	// Published is an up-to-date artifact published again.
	Published
	// Fetched is an artifact taken from the remote store, Pushed one sent
	// there.
	Fetched
	Pushed
)

// Options configure an apply.
type Options struct {
	Parallelism int
	Reporter    Reporter
	Fetcher     *pkgset.Fetcher
	// Ready, if set, is called as soon as an instance's files are all
	// there, from the goroutine that built it: a build's before they are
	// verified and moved into the store (files then names the build's
	// directory, which is renamed into the store or, if verification
	// fails, removed), one taken from the store once it is recorded. The
	// compose links them meanwhile.
	Ready func(n *plan.Node, e *store.Entry, files string)
	// Executor, when set, builds every instance not marked local
	// (executor = "local") away from this machine.
	Executor Executor
}

// Result counts what an apply did.
type Result struct {
	Built, FromStore, Failed, Skipped int
	// Published counts the artifacts published (pushed) by this apply.
	Published int
	// Fetched and Pushed count the entries taken from the remote store
	// (of FromStore) and sent there.
	Fetched, Pushed int
	// Errors are the failures by address.
	Errors map[string]error
}

// Apply builds what the plan says.
func Apply(ctx context.Context, p *plan.Plan, opts Options) *Result {
	if opts.Parallelism <= 0 {
		opts.Parallelism = runtime.NumCPU()
	}
	res := &Result{Errors: map[string]error{}}
	var mu sync.Mutex
	p.Graph.Walk(opts.Parallelism, func(a addrs.Instance) error {
		n := p.Nodes[a]
		if n == nil || (n.Action == plan.UpToDate && !n.PublishPending && !n.Fetch && !n.Push) {
			return nil
		}
		start := time.Now()
		opts.Reporter.Started(a.String(), n.Plugin.Name())
		outcome := Published
		var err error
		switch {
		case n.Action != plan.UpToDate || n.Fetch:
			outcome, err = build(ctx, p, n, opts)
		case n.Push:
			outcome = Pushed
		}
		// A failed push or publication fails the apply but not what is
		// built on the artifact: its build is stored.
		var pubErr error
		toPush := p.Remote != nil && (outcome == Built && !remotely(n, opts) || n.Push)
		if err == nil && toPush {
			if pubErr = p.Remote.Push(ctx, p.Opts.Store, n.Key); pubErr != nil {
				pubErr = fmt.Errorf("%w (the build is kept in the local store; the next apply pushes it)", pubErr)
			}
		}
		if err == nil && pubErr == nil && n.PublishPending {
			pubErr = publish(ctx, p, n, opts)
		}
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil:
		case outcome == FromStore || outcome == Fetched:
			res.FromStore++
			if outcome == Fetched {
				res.Fetched++
			}
		case outcome == Built:
			res.Built++
		}
		if err == nil && pubErr == nil && n.PublishPending {
			res.Published++
		}
		if err == nil && pubErr == nil && toPush {
			res.Pushed++
		}
		if failed := errors.Join(err, pubErr); failed != nil {
			res.Failed++
			res.Errors[a.String()] = failed
			opts.Reporter.Failed(a.String(), failed)
		} else {
			opts.Reporter.Finished(a.String(), outcome, time.Since(start))
		}
		return err
	}, func(a, cause addrs.Instance) {
		mu.Lock()
		defer mu.Unlock()
		res.Skipped++
		opts.Reporter.Skipped(a.String(), cause.String())
	})
	return res
}

// build brings one instance up to date.
func build(ctx context.Context, p *plan.Plan, n *plan.Node, opts Options) (Outcome, error) {
	addr := n.Inst.Addr.String()
	record := func() error { return p.State.Set(addr, store.StateEntry{Key: n.Key, Type: n.Inst.Addr.Type}) }
	// A damaged entry (the plan says why) is discarded and built again.
	if p.Opts.Store.Has(n.Key) && p.Opts.Store.Check(n.Key) != nil {
		if err := p.Opts.Store.Discard(n.Key); err != nil {
			return 0, fmt.Errorf("discarding the damaged store entry %s: %w", n.Key, err)
		}
	}
	outcome := FromStore
	if n.Fetch && !p.Opts.Store.Has(n.Key) {
		if err := p.Remote.Fetch(ctx, p.Opts.Store, n.Key, held(n)); err != nil {
			opts.Reporter.Log(addr, "warn", fmt.Sprintf("%v; building it here instead", err))
		} else {
			outcome = Fetched
		}
	}
	if p.Opts.Store.Has(n.Key) {
		if err := record(); err != nil {
			return 0, err
		}
		if opts.Ready != nil {
			if e, err := p.Opts.Store.Read(n.Key); err == nil {
				opts.Ready(n, e, p.Opts.Store.FilesPath(n.Key))
			}
		}
		return outcome, nil
	}
	if err := hashPackages(p, n); err != nil {
		return 0, err
	}
	config, diags := p.BuildConfig(n)
	if diags.HasErrors() {
		return 0, fmt.Errorf("evaluating the configuration: %s", diags.Error())
	}
	pkgs, err := localPackages(ctx, n.Set, opts.Fetcher)
	if err != nil {
		return 0, err
	}
	inputs, views, err := inputs(ctx, p, n, opts.Fetcher)
	defer views.remove()
	if err != nil {
		return 0, err
	}
	if remotely(n, opts) {
		if err := remoteBuild(ctx, p, n, opts, config, pkgs, inputs); err != nil {
			return 0, err
		}
		return Built, record()
	}
	dir, err := p.Opts.Store.NewBuildDir(n.Key)
	if err != nil {
		return 0, err
	}
	cacheDir := filepath.Join(p.Opts.Store.CacheDir(), "plugins", n.Plugin.Info.Name)
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		dir.Discard()
		return 0, err
	}
	prev, prevEntry := previous(p, n)
	meanwhile := whileBuilding(p, n, prevEntry)
	res, err := n.Plugin.Build(ctx, n.Inst.Addr.Type, &sdk.BuildRequest{
		Address: addr, Config: config, Packages: pkgs, Inputs: inputs,
		Compose: n.KeyIn.Compose, Content: p.Content(n), OutputDir: dir.Files, WorkDir: dir.Work,
		CacheDir: cacheDir, Timestamp: n.KeyIn.Timestamp, Previous: prev, ConfigDir: p.ConfigDir(),
		PoolPackages: true,
	}, reporter{addr, opts.Reporter}, timeout(n))
	if err != nil {
		dir.Discard()
		if strings.Contains(err.Error(), "permission denied") && os.Getenv(plugins.SandboxEnv) != "off" {
			err = fmt.Errorf("%w (plugins run in a sandbox: they write only into their build's directories, their cache and the temporary directory)", err)
		}
		return 0, err
	}
	if prevEntry != nil {
		if err := p.Opts.Store.RecheckOwn(prevEntry.Key); err != nil {
			dir.Discard()
			p.Opts.Store.Discard(prevEntry.Key)
			return 0, fmt.Errorf("%s changed the files of its previous build while building %s, which are hard links into the store (%v); that entry is discarded, and the next apply builds without it", n.Plugin.Name(), addr, err)
		}
	}
	entry, err := newEntry(n, res, <-meanwhile.planned)
	if err != nil {
		dir.Discard()
		return 0, err
	}
	<-meanwhile.learned
	if err := p.Opts.Store.AddPackageFiles(entry, res.PackageFiles, poolSources(n.Set, pkgs)); err != nil {
		dir.Discard()
		return 0, fmt.Errorf("%s %s: %w", n.Plugin.Name(), addr, err)
	}
	if opts.Ready != nil {
		opts.Ready(n, entry, dir.Files)
	}
	if err := p.Opts.Store.Commit(dir, entry, <-meanwhile.known); err != nil {
		return 0, fmt.Errorf("%s %s: %w", n.Plugin.Name(), addr, err)
	}
	return Built, record()
}

// remotely says n is built by the executor, not here.
func remotely(n *plan.Node, opts Options) bool { return opts.Executor != nil && !n.Inst.Local }

// timeout bounds a plugin's build or publication of n.
func timeout(n *plan.Node) time.Duration {
	if n.Inst.Timeout == 0 {
		return DefaultTimeout
	}
	return n.Inst.Timeout
}

// publish sends a stored artifact where its plan says and records it in
// the state. On failure the artifact stays stored and recorded as built,
// so the next apply publishes it again.
func publish(ctx context.Context, p *plan.Plan, n *plan.Node, opts Options) error {
	addr := n.Inst.Addr.String()
	config, diags := p.BuildConfig(n)
	if diags.HasErrors() {
		return fmt.Errorf("evaluating the configuration: %s", diags.Error())
	}
	e, err := p.Opts.Store.Read(n.Key)
	if err != nil {
		return err
	}
	outputs, err := plan.DecodeOutputs(e.Outputs)
	if err != nil {
		return err
	}
	var vs views
	defer vs.remove()
	path, err := vs.of(p.Opts.Store, e)
	if err != nil {
		return err
	}
	res, err := n.Plugin.Publish(ctx, n.Inst.Addr.Type, &sdk.PublishRequest{
		Address: addr, Config: config, Path: path, Outputs: outputs,
	}, reporter{addr, opts.Reporter}, timeout(n))
	if err != nil {
		return fmt.Errorf("%w (the build is kept in the store; the next apply publishes it again)", err)
	}
	published, err := plan.EncodeOutputs(res.Outputs)
	if err != nil {
		return fmt.Errorf("%s returned outputs strata cannot record: %w", n.Plugin.Name(), err)
	}
	return p.State.Set(addr, store.StateEntry{Key: n.Key, Type: n.Inst.Addr.Type, Published: n.Publish, PublishedOutputs: published})
}

// hashPackages completes the digests of the packages a build reads, its
// own and its inputs': a plan reads only their headers.
func hashPackages(p *plan.Plan, n *plan.Node) error {
	pkgs := n.Set.All()
	for _, a := range n.Inputs {
		if in := p.Nodes[a]; in != nil {
			pkgs = append(pkgs, in.Set.All()...)
		}
	}
	return p.Digests.Hash(pkgs)
}

// localPackages fetches what is not local and lists the packages with
// their local paths.
func localPackages(ctx context.Context, set *pkgset.Set, f *pkgset.Fetcher) ([]sdk.Package, error) {
	paths := map[*pkgset.Package]string{}
	for _, arch := range set.Arches {
		for _, pkg := range set.ByArch[arch] {
			path, err := f.Path(ctx, pkg)
			if err != nil {
				return nil, err
			}
			paths[pkg] = path
		}
	}
	return plan.SDKPackages(set, func(p *pkgset.Package) string { return paths[p] }), nil
}

// inputs describes a node's built inputs, with their packages' local
// paths: a layered image reads its base's packages. An input whose
// entry holds package files in the pool is given as a view of all its
// files, which the caller removes.
func inputs(ctx context.Context, p *plan.Plan, n *plan.Node, f *pkgset.Fetcher) ([]sdk.Input, views, error) {
	var out []sdk.Input
	var vs views
	for _, a := range n.Inputs {
		in := p.Nodes[a]
		if in == nil {
			continue
		}
		e, err := p.Opts.Store.Read(in.Key)
		if err != nil {
			return nil, vs, fmt.Errorf("input %s is not in the store: %w", a, err)
		}
		outputs, err := plan.DecodeOutputs(e.Outputs)
		if err != nil {
			return nil, vs, fmt.Errorf("input %s: %w", a, err)
		}
		pkgs, err := localPackages(ctx, in.Set, f)
		if err != nil {
			return nil, vs, fmt.Errorf("input %s: %w", a, err)
		}
		path, err := vs.of(p.Opts.Store, e)
		if err != nil {
			return nil, vs, fmt.Errorf("input %s: %w", a, err)
		}
		out = append(out, sdk.Input{Address: a.String(), Type: a.Type, Key: in.Key,
			Path: path, Outputs: outputs, Packages: pkgs})
	}
	return out, vs, nil
}

// poolSources gives, by sha256, the package files of a set a build may
// leave to strata to place (sdk.BuildResponse.PackageFiles): pkgs are
// the set's packages as localPackages listed them.
func poolSources(set *pkgset.Set, pkgs []sdk.Package) map[string]store.PoolSource {
	out := make(map[string]store.PoolSource, len(pkgs))
	i := 0
	for _, arch := range set.Arches {
		for _, pkg := range set.ByArch[arch] {
			src := store.PoolSource{Path: pkgs[i].Path}
			if pkg.Location == pkgs[i].Path {
				src.Size, src.MTime, src.Inode = pkg.Size, pkg.FileMTime, pkg.FileInode
			}
			out[pkgs[i].SHA256] = src
			i++
		}
	}
	return out
}

// newEntry is the store entry of a build: what the plugin returned, and
// the records the plan gives, encoded while it built.
func newEntry(n *plan.Node, res *host.BuildResult, pl planned) (*store.Entry, error) {
	if err := checkOutputs(n.Planned, res.Outputs); err != nil {
		return nil, fmt.Errorf("%s returned outputs other than it planned for %s: %w", n.Plugin.Name(), n.Inst.Addr, err)
	}
	outputs, err := plan.EncodeOutputs(res.Outputs)
	if err != nil {
		return nil, fmt.Errorf("%s returned outputs strata cannot record: %w", n.Plugin.Name(), err)
	}
	if pl.err != nil {
		return nil, pl.err
	}
	if err := store.CheckPlacements(res.Placements); err != nil {
		return nil, fmt.Errorf("%s: %w", n.Plugin.Name(), err)
	}
	return &store.Entry{
		Key: n.Key, Address: n.Inst.Addr.String(), Type: n.Inst.Addr.Type, Outputs: outputs,
		Manifest: res.Manifest, Placements: res.Placements, Lineage: pl.lineage, KeyInput: pl.keyIn,
	}, nil
}

func lineage(p *plan.Plan, n *plan.Node) store.Lineage {
	l := store.Lineage{
		Address:   n.Inst.Addr.String(),
		Plugin:    store.PluginRef{Name: n.Plugin.Info.Name, Version: n.Plugin.Info.Version, Protocol: n.Plugin.Info.Protocol},
		Timestamp: n.KeyIn.Timestamp,
		Modules:   []store.ModuleRef{}, Packages: []store.PackageRef{}, Inputs: []store.InputRef{},
	}
	for _, id := range n.Set.Modules {
		m := p.Eval.Modules[id]
		l.Modules = append(l.Modules, store.ModuleRef{Name: m.Name, Stream: m.Stream, Version: m.Version, Context: m.Context})
	}
	for _, arch := range n.Set.Arches {
		for _, pkg := range n.Set.ByArch[arch] {
			ref := store.PackageRef{NEVRA: pkg.NEVRA(), SHA256: pkg.SHA256(), Arch: arch, Source: pkg.Source, SigKey: pkgset.ShortKey(pkg.SigKey),
				Category: n.Set.Trees[pkg]}
			if src := n.Set.SourceOf[pkg]; src != nil {
				ref.SourceRPM = src.NEVRA()
			}
			if pull, ok := n.Set.Pulled[pkg]; ok {
				ref.PulledInBy = &store.PullRef{NEVRA: pull.By.NEVRA(), Requires: pull.Require, For: n.Set.From[n.Set.Root(pkg)]}
			}
			l.Packages = append(l.Packages, ref)
		}
	}
	for _, a := range n.Inputs {
		if in := p.Nodes[a]; in != nil {
			l.Inputs = append(l.Inputs, store.InputRef{Address: a.String(), Key: in.Key})
		}
	}
	sort.Slice(l.Inputs, func(i, j int) bool { return l.Inputs[i].Address < l.Inputs[j].Address })
	return l
}

// reporter forwards a plugin's events for one address.
type reporter struct {
	addr string
	r    Reporter
}

func (r reporter) Progress(done, total int64, message string) {
	r.r.Progress(r.addr, done, total, message)
}
func (r reporter) Log(level, message string) { r.r.Log(r.addr, level, message) }

// checkOutputs compares the outputs a build returned with those its plan
// promised: the same attributes, of the planned types, with the values
// the plan already knew. Configurations were evaluated against the plan.
func checkOutputs(planned, built cty.Value) error {
	if planned == cty.NilVal || planned.IsNull() || !planned.Type().IsObjectType() {
		return nil
	}
	if built == cty.NilVal || built.IsNull() || !built.Type().IsObjectType() || !built.IsWhollyKnown() {
		return fmt.Errorf("an object of known values was planned")
	}
	for name, pt := range planned.Type().AttributeTypes() {
		if !built.Type().HasAttribute(name) {
			return fmt.Errorf("%s is missing", name)
		}
		bv, pv := built.GetAttr(name), planned.GetAttr(name)
		switch {
		case pt != cty.DynamicPseudoType && !bv.Type().Equals(pt):
			return fmt.Errorf("%s is a %s, planned as a %s", name, bv.Type().FriendlyName(), pt.FriendlyName())
		case pv.IsWhollyKnown() && !pv.RawEquals(bv):
			return fmt.Errorf("%s is %s, planned as %s", name, bv.GoString(), pv.GoString())
		}
	}
	for name := range built.Type().AttributeTypes() {
		if !planned.Type().HasAttribute(name) {
			return fmt.Errorf("%s was not planned", name)
		}
	}
	return nil
}
