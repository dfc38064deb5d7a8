package oci

import (
	"fmt"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/zclconf/go-cty/cty"
)

// baseImage is the image a layered image is built on: an upstream oci
// artifact's layout.
type baseImage struct {
	input  sdk.Input
	digest string
	index  v1.ImageIndex
	top    v1.Descriptor
}

// findBase finds the input that base names, by its digest.
func findBase(base cty.Value, inputs []sdk.Input) (*baseImage, error) {
	if base.IsNull() {
		return nil, nil
	}
	digest, err := outputString(base, "digest")
	if err != nil {
		return nil, fmt.Errorf("base: %w", err)
	}
	for _, in := range inputs {
		if in.Type != "oci" || in.Outputs.IsNull() || !in.Outputs.IsKnown() {
			continue
		}
		if d, err := outputString(in.Outputs, "digest"); err == nil && d == digest {
			return openLayout(in, digest)
		}
	}
	return nil, fmt.Errorf("base is not an oci artifact this one is built from; write base = artifact.oci.NAME")
}

// openLayout opens the layout an oci artifact wrote, at the image or
// index with digest.
func openLayout(in sdk.Input, digest string) (*baseImage, error) {
	idx, err := layout.ImageIndexFromPath(filepath.Join(in.Path, layoutDir))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Address, err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Address, err)
	}
	for _, d := range m.Manifests {
		if d.Digest.String() == digest {
			return &baseImage{input: in, digest: digest, index: idx, top: d}, nil
		}
	}
	return nil, fmt.Errorf("%s: its layout holds no image %s", in.Address, digest)
}

func outputString(v cty.Value, attr string) (string, error) {
	if !v.Type().IsObjectType() || !v.Type().HasAttribute(attr) {
		return "", fmt.Errorf("has no %s: it is not an oci artifact", attr)
	}
	a := v.GetAttr(attr)
	if !a.IsKnown() || a.IsNull() || a.Type() != cty.String {
		return "", fmt.Errorf("its %s is not known", attr)
	}
	return a.AsString(), nil
}

// image returns the base's image for arch.
func (b *baseImage) image(arch string) (v1.Image, error) {
	want, err := platform(arch)
	if err != nil {
		return nil, err
	}
	if !b.top.MediaType.IsIndex() {
		img, err := b.index.Image(b.top.Digest)
		if err != nil {
			return nil, err
		}
		cf, err := img.ConfigFile()
		if err != nil {
			return nil, err
		}
		if cf.Architecture != want.Architecture {
			return nil, fmt.Errorf("base %s is an image for %s, not %s", b.input.Address, cf.Architecture, arch)
		}
		return img, nil
	}
	child, err := b.index.ImageIndex(b.top.Digest)
	if err != nil {
		return nil, err
	}
	m, err := child.IndexManifest()
	if err != nil {
		return nil, err
	}
	for _, d := range m.Manifests {
		if d.Platform != nil && d.Platform.Architecture == want.Architecture && d.Platform.Variant == want.Variant {
			return child.Image(d.Digest)
		}
	}
	return nil, fmt.Errorf("base %s has no image for %s", b.input.Address, arch)
}

// packages returns the base's packages for arch.
func (b *baseImage) packages(arch string) []sdk.Package {
	var out []sdk.Package
	for _, p := range b.input.Packages {
		if p.TargetArch == arch {
			out = append(out, p)
		}
	}
	return out
}

// linkLayers hard-links the base image's layer blobs into blobs, so that
// writing the layered image copies none of them.
func (b *baseImage) linkLayers(img v1.Image, blobs string) error {
	layers, err := img.Layers()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(blobs, 0o755); err != nil {
		return err
	}
	for _, l := range layers {
		d, err := l.Digest()
		if err != nil {
			return err
		}
		src := filepath.Join(b.input.Path, layoutDir, "blobs", d.Algorithm, d.Hex)
		dst := filepath.Join(blobs, d.Hex)
		if _, err := os.Stat(dst); err == nil {
			continue
		}
		if err := files.LinkOrCopy(src, dst, 0o644); err != nil {
			return fmt.Errorf("base layer %s: %w", d, err)
		}
	}
	return nil
}
