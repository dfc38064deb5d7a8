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
	"sort"

	"github.com/strata-build/strata/plugins/yumrepo/comps"
	"github.com/strata-build/strata/plugins/yumrepo/modulemd"
	"github.com/strata-build/strata/plugins/yumrepo/repodata"
	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

// builder builds one artifact.
type builder struct {
	req   *sdk.BuildRequest
	cfg   config
	rep   sdk.Reporter
	cache *metaCache
}

func (yumrepo) Build(ctx context.Context, req *sdk.BuildRequest, r sdk.Reporter) (*sdk.BuildResponse, error) {
	cfg, diags := decode(req.Config)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	b := &builder{req: req, cfg: cfg, rep: r, cache: cacheFor(req.CacheDir)}
	byArch := map[string][]sdk.Package{}
	for _, p := range req.Packages {
		byArch[p.TargetArch] = append(byArch[p.TargetArch], p)
	}
	arches := make([]string, 0, len(byArch))
	for a := range byArch {
		arches = append(arches, a)
	}
	sort.Strings(arches)
	v := req.Content.VariantFor(req.Address)
	resp := &sdk.BuildResponse{Known: map[string]string{}}
	repos := map[string]cty.Value{}
	for i, arch := range arches {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.Progress(int64(i), int64(len(arches)), fmt.Sprintf("%s: %d packages", arch, len(byArch[arch])))
		pl, err := b.repository(arch, byArch[arch], v)
		if err != nil {
			return nil, err
		}
		resp.Placements = append(resp.Placements, pl)
		repos[arch] = cty.StringVal(arch)
		for _, p := range byArch[arch] {
			resp.Known[arch+"/"+href(filename(p))] = p.SHA256
		}
	}
	if err := b.cache.save(); err != nil {
		r.Log("warn", "saving the metadata cache: "+err.Error())
	}
	r.Progress(int64(len(arches)), int64(len(arches)), "done")
	outputs := map[string]cty.Value{"repos": cty.MapValEmpty(cty.String), "packages": cty.NumberIntVal(int64(len(req.Packages)))}
	if len(repos) > 0 {
		outputs["repos"] = cty.MapVal(repos)
	}
	resp.Outputs = cty.ObjectVal(outputs)
	return resp, nil
}

// repository writes one architecture's repository into <arch>/.
func (b *builder) repository(arch string, pkgs []sdk.Package, v sdk.Variant) (sdk.Placement, error) {
	dir := filepath.Join(b.req.OutputDir, arch)
	entries, err := b.addPackages(dir, pkgs)
	if err != nil {
		return sdk.Placement{}, err
	}
	var kept []*entry
	for _, e := range entries {
		if e.meta.Dropped != "" {
			b.rep.Log("warn", e.meta.Dropped)
			os.Remove(filepath.Join(dir, filepath.FromSlash(e.href)))
			continue
		}
		kept = append(kept, e)
	}
	repodataDir := filepath.Join(dir, "repodata")
	if err := os.MkdirAll(repodataDir, 0o755); err != nil {
		return sdk.Placement{}, err
	}
	ts := b.req.Timestamp
	var records []repodata.Record
	for _, kind := range []string{"primary", "filelists", "other"} {
		rec, err := repodata.WriteFile(repodataDir, kind, "xml", b.cfg.compression, ts, func(w io.Writer) error {
			if _, err := io.WriteString(w, repodata.Head(kind, len(kept))); err != nil {
				return err
			}
			for _, e := range kept {
				if _, err := w.Write(e.meta.chunk(kind)); err != nil {
					return err
				}
			}
			_, err := io.WriteString(w, repodata.Tail(kind))
			return err
		})
		if err != nil {
			return sdk.Placement{}, err
		}
		records = append(records, rec)
	}
	present := map[string]bool{}
	for _, e := range kept {
		present[e.pkg.Name] = true
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
	var repomd bytes.Buffer
	if err := repodata.WriteRepomd(&repomd, ts, records); err != nil {
		return sdk.Placement{}, err
	}
	if err := os.WriteFile(filepath.Join(repodataDir, "repomd.xml"), repomd.Bytes(), 0o644); err != nil {
		return sdk.Placement{}, err
	}
	sum := sha256.Sum256(repomd.Bytes())
	if err := writeWith(filepath.Join(dir, ".treeinfo"), func(w io.Writer) error {
		return treeinfo(w, b.req.Compose, v, arch, ts, hex.EncodeToString(sum[:]))
	}); err != nil {
		return sdk.Placement{}, err
	}
	if err := writeWith(filepath.Join(dir, "media.repo"), func(w io.Writer) error { return mediaRepo(w, b.req.Compose, ts) }); err != nil {
		return sdk.Placement{}, err
	}
	pl := sdk.Placement{Path: arch, ComposePath: v.UID + "/" + arch + "/os", Kind: "repository", Variant: v.UID, Arch: arch}
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
