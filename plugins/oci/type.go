package oci

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

type ociType struct{}

// Where an artifact's files go in its output directory.
const (
	layoutDir   = "layout"
	archiveFile = "image.oci.tar"
)

func (ociType) Schema() sdk.Schema {
	return sdk.Schema{
		Description: "A container image of the selected packages (OCI image layout, optionally an oci-archive), per architecture, optionally layered on another oci artifact and pushed to a registry.",
		Packages:    true,
		Block:       sdk.Block{Attributes: attributes()},
	}
}

func (ociType) Validate(_ context.Context, v cty.Value) sdk.Diagnostics {
	_, diags := decode(v)
	return diags
}

func (ociType) Plan(_ context.Context, req *sdk.PlanRequest) (*sdk.PlanResponse, sdk.Diagnostics) {
	c, diags := decode(req.Config)
	if diags.HasErrors() {
		return nil, diags
	}
	if w, ok := scriptletWarning(req.Address, req.Packages); ok {
		diags = append(diags, w)
	}
	return &sdk.PlanResponse{Outputs: outputs(c, cty.UnknownVal(cty.String), cty.UnknownVal(cty.Map(cty.String))), Publish: c.pushTarget()}, diags
}

// pushTarget is where the image is published, for strata to know when to
// push it again.
func (c config) pushTarget() string {
	if c.push == "" {
		return ""
	}
	if c.insecure {
		return c.push + " (insecure)"
	}
	return c.push
}

// outputs is the artifact's value.
func outputs(c config, digest, manifests cty.Value) cty.Value {
	archive := ""
	if c.archive {
		archive = archiveFile
	}
	return cty.ObjectVal(map[string]cty.Value{
		"digest":    digest,
		"manifests": manifests,
		"tag":       cty.StringVal(c.tag),
		"layout":    cty.StringVal(layoutDir),
		"archive":   cty.StringVal(archive),
		"push":      cty.StringVal(c.push),
	})
}

// scriptletWarning lists, once per artifact, the packages whose install
// scripts the image does not run.
func scriptletWarning(addr string, pkgs []sdk.Package) (sdk.Diagnostic, bool) {
	seen := map[string]bool{}
	var names []string
	for _, p := range pkgs {
		if p.Scriptlets && !seen[p.NEVRA()] {
			seen[p.NEVRA()] = true
			names = append(names, p.NEVRA())
		}
	}
	if len(names) == 0 {
		return sdk.Diagnostic{}, false
	}
	sort.Strings(names)
	listed := names
	if len(listed) > 20 {
		listed = append(listed[:20:20], fmt.Sprintf("… and %d more", len(names)-20))
	}
	return sdk.Warnf(nil, "Scriptlets are not run",
		"%s installs %d packages with install scripts, which an image build does not run; what they would do (users, alternatives, caches) is missing from the image:\n  %s",
		addr, len(names), strings.Join(listed, "\n  ")), true
}
