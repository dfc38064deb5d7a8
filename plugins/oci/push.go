package oci

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

// Publish pushes the stored image (or index) to the reference push names,
// with credentials from the Docker config as docker and skopeo find them.
// The pushed digest is the built one: the manifests go as they are.
func (ociType) Publish(ctx context.Context, req *sdk.PublishRequest, r sdk.Reporter) (*sdk.PublishResponse, error) {
	c, diags := decode(req.Config)
	if diags.HasErrors() {
		return nil, diags.Err()
	}
	if c.push == "" {
		return nil, fmt.Errorf("%s has no push reference", req.Address)
	}
	var opts []name.Option
	if c.insecure {
		opts = append(opts, name.Insecure)
	}
	ref, err := name.NewTag(c.push, opts...)
	if err != nil {
		return nil, err
	}
	digest, err := outputString(req.Outputs, "digest")
	if err != nil {
		return nil, err
	}
	b, err := openLayout(sdk.Input{Address: req.Address, Path: req.Path}, digest)
	if err != nil {
		return nil, err
	}
	r.Progress(0, 1, "pushing to "+ref.String())
	ropts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain)}
	if b.top.MediaType.IsIndex() {
		idx, err := b.index.ImageIndex(b.top.Digest)
		if err == nil {
			err = remote.WriteIndex(ref, idx, ropts...)
		}
		if err != nil {
			return nil, fmt.Errorf("pushing %s to %s: %w", req.Address, ref, err)
		}
	} else {
		img, err := b.index.Image(b.top.Digest)
		if err == nil {
			err = remote.Write(ref, img, ropts...)
		}
		if err != nil {
			return nil, fmt.Errorf("pushing %s to %s: %w", req.Address, ref, err)
		}
	}
	r.Progress(1, 1, "pushed "+ref.Context().Digest(digest).String())
	return &sdk.PublishResponse{Outputs: cty.ObjectVal(map[string]cty.Value{
		"ref":    cty.StringVal(ref.String()),
		"digest": cty.StringVal(digest),
		"pushed": cty.StringVal(ref.Context().Digest(digest).String()),
	})}, nil
}
