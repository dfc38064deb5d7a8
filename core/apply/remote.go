package apply

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/strata-build/strata/core/plan"
	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/core/registry"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/core/worker"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/parallel"
	"github.com/zclconf/go-cty/cty"
)

// Executor runs builds away from this machine (a Nomad cluster): each
// build's entry reaches the remote store, from which the apply fetches
// it, verified, as it would a cached build.
type Executor interface {
	Build(ctx context.Context, spec *worker.Spec, binaries map[string]string, rep sdk.Reporter) error
	String() string
}

// remoteBuild builds n on the executor: it puts what the build reads
// into the remote store (packages by sha256, input entries, binaries),
// hands the executor the build's spec, and takes the entry from the
// remote store once the executor is done, trusting nothing else.
func remoteBuild(ctx context.Context, p *plan.Plan, n *plan.Node, opts Options, config cty.Value, pkgs []sdk.Package, inputs []sdk.Input) error {
	addr := n.Inst.Addr.String()
	if p.Remote == nil {
		return fmt.Errorf("%s builds on %s, which needs a shared store: add a store \"oci\" block (or build it here with executor = \"local\")", addr, opts.Executor)
	}
	rep := reporter{addr, opts.Reporter}
	spec, err := buildSpec(p, n, config, pkgs, inputs)
	if err != nil {
		return err
	}
	all := append([]sdk.Package(nil), pkgs...)
	for _, in := range inputs {
		all = append(all, in.Packages...)
		if !p.Opts.Store.Has(in.Key) {
			continue
		}
		if has, err := p.Remote.Has(ctx, in.Key); err != nil {
			return err
		} else if !has {
			if err := p.Remote.Push(ctx, p.Opts.Store, in.Key); err != nil {
				return err
			}
		}
	}
	rep.Progress(0, 1, fmt.Sprintf("sending %d packages to the remote store", len(all)))
	if err := parallel.IO(len(all), func(i int) error {
		return p.Remote.PushBlob(ctx, all[i].Path, all[i].SHA256, all[i].Size)
	}); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	binaries := map[string]string{spec.Strata: exe}
	if spec.Plugin.SHA256 != plugins.BuiltinSum {
		binaries[spec.Plugin.SHA256] = n.Plugin.Path
	}
	if err := opts.Executor.Build(ctx, spec, binaries, rep); err != nil {
		return err
	}
	if err := p.Remote.Fetch(ctx, p.Opts.Store, n.Key, held(n)); err != nil {
		return fmt.Errorf("%s built on %s, but its entry cannot be taken: %w", addr, opts.Executor, err)
	}
	e, err := p.Opts.Store.Read(n.Key)
	if err != nil {
		return err
	}
	outputs, err := plan.DecodeOutputs(e.Outputs)
	if err == nil {
		err = checkOutputs(n.Planned, outputs)
	}
	if err != nil {
		p.Opts.Store.Discard(n.Key)
		return fmt.Errorf("%s returned outputs other than it planned for %s on %s: %w", n.Plugin.Name(), addr, opts.Executor, err)
	}
	if opts.Ready != nil {
		opts.Ready(n, e, p.Opts.Store.FilesPath(n.Key))
	}
	return nil
}

// buildSpec describes n's build for a worker: what a local build's
// request holds, packages and inputs by digest and key, and the entry's
// key input and lineage as this apply would record them.
func buildSpec(p *plan.Plan, n *plan.Node, config cty.Value, pkgs []sdk.Package, inputs []sdk.Input) (*worker.Spec, error) {
	locked := p.Opts.Plugins.Lock[n.Inst.Addr.Type]
	if locked == nil {
		return nil, fmt.Errorf("the plugin for %s is not in the lock file; run strata init", n.Inst.Addr.Type)
	}
	strata, err := strataSHA256()
	if err != nil {
		return nil, err
	}
	cfg, err := plan.EncodeOutputs(config)
	if err != nil {
		return nil, err
	}
	keyIn, err := json.Marshal(n.KeyIn)
	if err != nil {
		return nil, err
	}
	lin, err := store.EncodeLineage(lineage(p, n))
	if err != nil {
		return nil, err
	}
	spec := &worker.Spec{Address: n.Inst.Addr.String(), Type: n.Inst.Addr.Type, Key: n.Key, Plugin: *locked, Strata: strata,
		Config: cfg, Packages: pkgs, Compose: n.KeyIn.Compose, Content: p.Content(n), Timestamp: n.KeyIn.Timestamp,
		Timeout: timeout(n), KeyInput: string(keyIn), Lineage: string(lin)}
	for _, in := range inputs {
		outputs, err := plan.EncodeOutputs(in.Outputs)
		if err != nil {
			return nil, err
		}
		spec.Inputs = append(spec.Inputs, worker.Input{Address: in.Address, Type: in.Type, Key: in.Key, Outputs: outputs, Packages: in.Packages})
	}
	return spec, nil
}

// held are the package files of n's set this machine holds whose digests
// are known: an entry fetched links them rather than downloading them.
func held(n *plan.Node) registry.Local {
	paths := map[string]string{}
	for _, pkg := range n.Set.All() {
		if pkg.SHA256() != "" && !strings.Contains(pkg.Location, "://") {
			paths[pkg.SHA256()] = pkg.Location
		}
	}
	return registry.LocalFiles(paths)
}

// strataSHA256 is the digest of this strata binary, which a worker must
// be: hashed once per process.
var strataSHA256 = sync.OnceValues(func() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	return files.SHA256(exe)
})
