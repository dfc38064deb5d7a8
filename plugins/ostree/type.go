package ostree

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

type ostreeType struct{}

// repoDir is where the repository is in the artifact's output directory.
const repoDir = "repo"

func (ostreeType) Schema() sdk.Schema {
	return sdk.Schema{
		Description: "An ostree commit of the selected packages, laid out for a bootable host, in an archive-mode repository that keeps the ref's history.",
		Packages:    true,
		Block:       sdk.Block{Attributes: attributes()},
	}
}

func (ostreeType) Validate(_ context.Context, v cty.Value) sdk.Diagnostics {
	_, diags := decode(v, sdk.Compose{})
	return diags
}

func (ostreeType) Plan(_ context.Context, req *sdk.PlanRequest) (*sdk.PlanResponse, sdk.Diagnostics) {
	c, diags := decode(req.Config, req.Compose)
	if diags.HasErrors() {
		return nil, diags
	}
	if arches := archesOf(req.Packages); len(arches) > 1 {
		diags = append(diags, sdk.Errorf(nil, "One architecture per commit",
			"%s selects packages for %s; an ostree ref holds one architecture's tree: write one artifact per architecture, each with its own ref.",
			req.Address, strings.Join(arches, " and ")))
		return nil, diags
	}
	return &sdk.PlanResponse{Outputs: outputs(c, cty.UnknownVal(cty.String))}, diags
}

func archesOf(pkgs []sdk.Package) []string {
	seen := map[string]bool{}
	for _, p := range pkgs {
		seen[p.TargetArch] = true
	}
	out := slices.Sorted(maps.Keys(seen))
	return out
}
