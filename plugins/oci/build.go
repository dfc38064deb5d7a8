package oci

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

// refNameAnnotation names an image in a layout's index.json: the TAG of
// oci:DIR:TAG.
const refNameAnnotation = "org.opencontainers.image.ref.name"

func (ociType) Build(ctx context.Context, req *sdk.BuildRequest, r sdk.Reporter) (*sdk.BuildResponse, error) {
	c, diags := decode(req.Config)
	if diags.HasErrors() {
		return nil, diags.Err()
	}
	base, err := findBase(c.base, req.Inputs)
	if err != nil {
		return nil, err
	}
	arches := archesOf(req.Packages, base)
	if len(arches) == 0 {
		return nil, fmt.Errorf("%s has no packages: select a variant, modules or packages, or a base", req.Address)
	}
	dir := filepath.Join(req.OutputDir, layoutDir)
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		return nil, err
	}
	manifests := map[string]cty.Value{}
	var addenda []mutate.IndexAddendum
	for i, arch := range arches {
		r.Progress(int64(i), int64(len(arches)), "building the "+arch+" image")
		img, err := buildImage(ctx, req, c, base, arch, filepath.Join(dir, "blobs", "sha256"), r)
		if err != nil {
			return nil, err
		}
		d, err := img.Digest()
		if err != nil {
			return nil, err
		}
		manifests[arch] = cty.StringVal(d.String())
		p, _ := platform(arch)
		addenda = append(addenda, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &p}})
	}
	ref := layout.WithAnnotations(map[string]string{refNameAnnotation: c.tag})
	var digest v1.Hash
	if len(addenda) == 1 {
		img := addenda[0].Add.(v1.Image)
		if err := lp.AppendImage(img, ref); err != nil {
			return nil, err
		}
		digest, err = img.Digest()
	} else {
		idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex), addenda...)
		if err := lp.AppendIndex(idx, ref); err != nil {
			return nil, err
		}
		digest, err = idx.Digest()
	}
	if err != nil {
		return nil, err
	}
	if c.archive {
		r.Progress(int64(len(arches)), int64(len(arches)), "writing "+archiveFile)
		if err := writeArchive(filepath.Join(req.OutputDir, archiveFile), dir, req.Timestamp); err != nil {
			return nil, err
		}
	}
	r.Progress(int64(len(arches)), int64(len(arches)), "done")
	return &sdk.BuildResponse{Outputs: outputs(c, cty.StringVal(digest.String()), cty.MapVal(manifests))}, nil
}

// archesOf lists the architectures the image is built for: those of its
// packages and of its base.
func archesOf(pkgs []sdk.Package, base *baseImage) []string {
	seen := map[string]bool{}
	for _, p := range pkgs {
		seen[p.TargetArch] = true
	}
	if base != nil {
		for _, p := range base.input.Packages {
			seen[p.TargetArch] = true
		}
	}
	out := slices.Sorted(maps.Keys(seen))
	return out
}

// buildImage builds the image for one architecture, writing its layer
// into blobs.
func buildImage(ctx context.Context, req *sdk.BuildRequest, c config, base *baseImage, arch, blobs string, r sdk.Reporter) (v1.Image, error) {
	var own []sdk.Package
	for _, p := range req.Packages {
		if p.TargetArch == arch {
			own = append(own, p)
		}
	}
	img := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	var basePkgs []sdk.Package
	if base != nil {
		var err error
		if img, err = base.image(arch); err != nil {
			return nil, err
		}
		if err := base.linkLayers(img, blobs); err != nil {
			return nil, err
		}
		basePkgs = base.packages(arch)
	}
	work := filepath.Join(req.WorkDir, arch)
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	l, added, err := packageLayer(ctx, basePkgs, own, work, blobs, req.Timestamp, r)
	if err != nil {
		return nil, err
	}
	layer, err := l.layer()
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	p, err := platform(arch)
	if err != nil {
		return nil, err
	}
	if img, err = mutate.ConfigFile(img, imageConfig(cf, c, p, req.Timestamp)); err != nil {
		return nil, err
	}
	img, err = mutate.Append(img, mutate.Addendum{Layer: layer, MediaType: types.OCILayer, History: v1.History{
		Created:   v1.Time{Time: timeOf(req.Timestamp)},
		CreatedBy: fmt.Sprintf("strata %s: %d packages", req.Address, len(added)),
		Comment:   "strata oci " + Version,
	}})
	if err != nil {
		return nil, err
	}
	return mutate.Annotations(img, annotations(req, c, base)).(v1.Image), nil
}
