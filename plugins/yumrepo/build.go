package yumrepo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/strata-build/strata/format/comps"
	"github.com/strata-build/strata/format/repodata"
	"github.com/strata-build/strata/plugins/yumrepo/modulemd"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/kvpack"
	"github.com/strata-build/strata/sdk/parallel"
	"github.com/zclconf/go-cty/cty"
)

// builder builds one artifact.
type builder struct {
	req   *sdk.BuildRequest
	cfg   config
	rep   sdk.Reporter
	cache *metaCache
	// pooled are the package files strata places itself, when the
	// request allows it (PoolPackages): path to sha256.
	pooled map[string]string
}

func (yumrepo) Build(ctx context.Context, req *sdk.BuildRequest, r sdk.Reporter) (*sdk.BuildResponse, error) {
	cfg, diags := decode(req.Config)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	b := &builder{req: req, cfg: cfg, rep: r, cache: cacheFor(req.CacheDir), pooled: map[string]string{}}
	v := req.Content.VariantFor(req.Address)
	trees := treesOf(req.Packages, v)
	resp := &sdk.BuildResponse{Known: map[string]string{}}
	for i, t := range trees {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.Progress(int64(i), int64(len(trees)), fmt.Sprintf("%s: %d packages", t.dir, len(t.pkgs)))
		pl, err := b.repository(t, v)
		if err != nil {
			return nil, err
		}
		for _, arch := range t.arches {
			a := pl
			a.Arch, a.RPMs = arch, t.placed(pl.RPMs, arch)
			resp.Placements = append(resp.Placements, a)
		}
		if !req.PoolPackages {
			for _, p := range t.pkgs {
				resp.Known[t.dir+"/"+href(filename(p))] = p.SHA256
			}
		}
	}
	if err := b.cache.save(); err != nil {
		r.Log("warn", "saving the metadata cache: "+err.Error())
	}
	r.Progress(int64(len(trees)), int64(len(trees)), "done")
	resp.Outputs = outputs(req.Packages)
	if req.PoolPackages {
		resp.PackageFiles = b.pooled
	}
	return resp, nil
}

// outputs are the artifact's value: its binary repositories by
// architecture, and how many binary packages they hold.
func outputs(pkgs []sdk.Package) cty.Value {
	repos := map[string]cty.Value{}
	n := 0
	for _, p := range pkgs {
		if p.Category == "" {
			repos[p.TargetArch] = cty.StringVal(p.TargetArch)
			n++
		}
	}
	out := map[string]cty.Value{"repos": cty.MapValEmpty(cty.String), "packages": cty.NumberIntVal(int64(n))}
	if len(repos) > 0 {
		out["repos"] = cty.MapVal(repos)
	}
	return cty.ObjectVal(out)
}

// repository writes one tree's repository into its directory.
func (b *builder) repository(t *tree, v sdk.Variant) (sdk.Placement, error) {
	dir := filepath.Join(b.req.OutputDir, filepath.FromSlash(t.dir))
	arch := t.arches[0]
	entries, err := b.addPackages(dir, t.pkgs)
	if err != nil {
		return sdk.Placement{}, err
	}
	var kept []*entry
	for _, e := range entries {
		if e.meta.Dropped != "" {
			b.rep.Log("warn", e.meta.Dropped)
			if !b.req.PoolPackages {
				os.Remove(filepath.Join(dir, filepath.FromSlash(e.href)))
			}
			continue
		}
		if b.req.PoolPackages {
			b.pooled[t.dir+"/"+e.href] = e.pkg.SHA256
		}
		kept = append(kept, e)
	}
	repodataDir := filepath.Join(dir, "repodata")
	if err := os.MkdirAll(repodataDir, 0o755); err != nil {
		return sdk.Placement{}, err
	}
	ts := b.req.Timestamp
	// The three files are compressed at once, each on a core.
	kinds := []string{"primary", "filelists", "other"}
	records := make([]repodata.Record, len(kinds))
	err = parallel.Do(len(kinds), func(i int) (err error) {
		kind := kinds[i]
		records[i], err = repodata.WriteFile(repodataDir, kind, "xml", b.cfg.compression, ts, func(w io.Writer) error {
			if _, err := io.WriteString(w, repodata.Head(kind, len(kept))); err != nil {
				return err
			}
			var cur kvpack.Cursor
			for _, e := range kept {
				fragment, err := b.fragment(&cur, e, kind)
				if err != nil {
					return err
				}
				if _, err := w.Write(fragment); err != nil {
					return err
				}
			}
			_, err := io.WriteString(w, repodata.Tail(kind))
			return err
		})
		return err
	})
	if err != nil {
		return sdk.Placement{}, err
	}
	present := map[string]bool{}
	for _, e := range kept {
		present[e.pkg.Name] = true
	}
	if t.category != "" {
		return b.finish(t, v, dir, records, kept)
	}
	if c := compsFor(b.req.Content, present); b.cfg.comps && len(c.Groups) > 0 {
		rec, err := repodata.WriteFile(repodataDir, "group", "xml", b.cfg.compression, ts, func(w io.Writer) error { return comps.Write(w, c) })
		if err != nil {
			return sdk.Placement{}, err
		}
		records = append(records, rec)
	}
	if streams, defaults := modulesFor(b.req.Content, arch, kept, ts); b.cfg.modules && len(streams) > 0 {
		rec, err := repodata.WriteFile(repodataDir, "modules", "yaml", b.cfg.compression, ts, func(w io.Writer) error {
			return modulemd.Write(w, streams, defaults)
		})
		if err != nil {
			return sdk.Placement{}, err
		}
		records = append(records, rec)
	}
	return b.finish(t, v, dir, records, kept)
}

// finish writes a tree's repomd.xml and, for an os tree, its .treeinfo
// and media.repo, and says where the tree goes.
func (b *builder) finish(t *tree, v sdk.Variant, dir string, records []repodata.Record, kept []*entry) (sdk.Placement, error) {
	ts := b.req.Timestamp
	var repomd bytes.Buffer
	if err := repodata.WriteRepomd(&repomd, ts, records); err != nil {
		return sdk.Placement{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, "repodata", "repomd.xml"), repomd.Bytes(), 0o644); err != nil {
		return sdk.Placement{}, err
	}
	if t.category == "" {
		sum := sha256.Sum256(repomd.Bytes())
		if err := writeWith(filepath.Join(dir, ".treeinfo"), func(w io.Writer) error {
			return treeinfo(w, b.req.Compose, v, t.arches[0], ts, hex.EncodeToString(sum[:]))
		}); err != nil {
			return sdk.Placement{}, err
		}
		if err := writeWith(filepath.Join(dir, "media.repo"), func(w io.Writer) error { return mediaRepo(w, b.req.Compose, ts) }); err != nil {
			return sdk.Placement{}, err
		}
	}
	pl := sdk.Placement{Path: t.dir, ComposePath: t.composePath, Kind: "repository", Variant: v.UID, Category: t.category}
	for _, e := range kept {
		pl.RPMs = append(pl.RPMs, sdk.PlacedRPM{NEVRA: nevra(e.pkg), SRPMNEVRA: srpmNEVRA(e.pkg, e.meta.SourceRPM), Path: e.href})
	}
	return pl, nil
}

func writeWith(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
