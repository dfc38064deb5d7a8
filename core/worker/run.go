package worker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-build/strata/core/plan"
	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/core/registry"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/parallel"
)

// Options configure a worker's run.
type Options struct {
	Registry *registry.Registry
	// Dir is the worker's own directory (its task's): its store, the
	// packages and the plugin binary go there.
	Dir string
	// Manager returns the plugin manager to run the build's plugin:
	// searching pluginDir, with lock as the lock file.
	Manager  func(pluginDir string, lock plugins.Lock) *plugins.Manager
	Reporter sdk.Reporter
	// BuiltOn says where the build runs, recorded in the entry.
	BuiltOn string
}

// Run builds what spec says and pushes the entry to the shared store.
func Run(ctx context.Context, spec *Spec, opts Options) error {
	st, err := store.Open(opts.Dir)
	if err != nil {
		return err
	}
	pkgDir := filepath.Join(opts.Dir, "packages")
	if err := os.MkdirAll(pkgDir, 0o755); err != nil {
		return err
	}
	blobs := spec.Blobs()
	sums := make([]string, 0, len(blobs))
	for sum := range blobs {
		sums = append(sums, sum)
	}
	opts.Reporter.Progress(0, 3, fmt.Sprintf("fetching %d packages", len(sums)))
	err = parallel.IO(len(sums), func(i int) error {
		return opts.Registry.FetchBlob(ctx, sums[i], filepath.Join(pkgDir, sums[i]+".rpm"), 0o644)
	})
	if err != nil {
		return err
	}
	fetched := map[string]string{}
	for _, sum := range sums {
		fetched[sum] = filepath.Join(pkgDir, sum+".rpm")
	}
	held := registry.LocalFiles(fetched)
	local := func(pkgs []sdk.Package) []sdk.Package {
		out := make([]sdk.Package, len(pkgs))
		for i, p := range pkgs {
			p.Path = filepath.Join(pkgDir, p.SHA256+".rpm")
			out[i] = p
		}
		return out
	}
	var inputs []sdk.Input
	for _, in := range spec.Inputs {
		if !st.Has(in.Key) {
			if err := opts.Registry.Fetch(ctx, st, in.Key, held); err != nil {
				return fmt.Errorf("input %s: %w", in.Address, err)
			}
		}
		outputs, err := plan.DecodeOutputs(in.Outputs)
		if err != nil {
			return fmt.Errorf("input %s: %w", in.Address, err)
		}
		inputs = append(inputs, sdk.Input{Address: in.Address, Type: in.Type, Key: in.Key, Path: st.FilesPath(in.Key),
			Outputs: outputs, Packages: local(in.Packages)})
	}
	plug, err := startPlugin(ctx, spec, opts)
	if err != nil {
		return err
	}
	config, err := plan.DecodeOutputs(spec.Config)
	if err != nil {
		return fmt.Errorf("the build's configuration: %w", err)
	}
	b, err := st.NewBuildDir(spec.Key)
	if err != nil {
		return err
	}
	cacheDir := filepath.Join(st.CacheDir(), "plugins", plug.Info.Name)
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		b.Discard()
		return err
	}
	opts.Reporter.Progress(1, 3, "building with "+plug.Name())
	res, err := plug.Build(ctx, spec.Type, &sdk.BuildRequest{
		Address: spec.Address, Config: config, Packages: local(spec.Packages), Inputs: inputs,
		Compose: spec.Compose, Content: spec.Content, OutputDir: b.Files, WorkDir: b.Work, CacheDir: cacheDir,
		Timestamp: spec.Timestamp, ConfigDir: opts.Dir,
	}, opts.Reporter, spec.Timeout)
	if err != nil {
		b.Discard()
		return err
	}
	outputs, err := plan.EncodeOutputs(res.Outputs)
	if err != nil {
		b.Discard()
		return fmt.Errorf("%s returned outputs strata cannot record: %w", plug.Name(), err)
	}
	e := &store.Entry{Key: spec.Key, Address: spec.Address, Type: spec.Type, Outputs: outputs, Manifest: res.Manifest,
		Placements: res.Placements, Lineage: []byte(spec.Lineage), KeyInput: []byte(spec.KeyInput), BuiltOn: opts.BuiltOn}
	if err := st.Commit(b, e, held.Known); err != nil {
		return fmt.Errorf("%s %s: %w", plug.Name(), spec.Address, err)
	}
	opts.Reporter.Progress(2, 3, "pushing the entry")
	if err := opts.Registry.Push(ctx, st, spec.Key); err != nil {
		return err
	}
	opts.Reporter.Progress(3, 3, "pushed")
	return nil
}

// startPlugin starts the build's plugin as the lock file the spec
// carries records it: strata's own for a built-in type, else the binary
// fetched by its sha256, which the plugin manager checks again.
func startPlugin(ctx context.Context, spec *Spec, opts Options) (*plugins.Plugin, error) {
	dir := filepath.Join(opts.Dir, "plugins")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if spec.Plugin.SHA256 == plugins.BuiltinSum {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		if sum, err := files.SHA256(exe); err != nil || sum != spec.Strata {
			return nil, fmt.Errorf("refusing to build %s: this strata's sha256 is %s, the build asks for %s", spec.Address, sum, spec.Strata)
		}
	} else {
		path := filepath.Join(dir, plugins.BinaryPrefix+spec.Type)
		if err := opts.Registry.FetchBlob(ctx, spec.Plugin.SHA256, path, 0o755); err != nil {
			return nil, fmt.Errorf("the plugin for %s: %w", spec.Type, err)
		}
	}
	lock := plugins.Lock{spec.Type: &spec.Plugin}
	return opts.Manager(dir, lock).ForType(spec.Type)
}
