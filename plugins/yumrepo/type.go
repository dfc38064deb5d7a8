package yumrepo

import (
	"context"
	"strings"

	"github.com/strata-build/strata/format/repodata"
	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

type yumrepo struct{}

func (yumrepo) Schema() sdk.Schema {
	return sdk.Schema{
		Description: "A yum repository of the selected packages, per architecture; with sources = true and debuginfo = true, their source and debuginfo trees beside it.",
		Packages:    true,
		Trees:       true,
		Block: sdk.Block{Attributes: []sdk.Attribute{
			{Name: "compression", Type: cty.String, Description: `Metadata compression: "zstd" (default, as createrepo_c 1.x) or "gzip" for older clients.`},
			{Name: "changelog_limit", Type: cty.Number, Description: "Changelog entries kept per package, newest first; -1 keeps all. Default 10."},
			{Name: "comps", Type: cty.Bool, Description: "Write the comps group file from the artifact's groups (default true)."},
			{Name: "modulemd", Type: cty.Bool, Description: "Write modules metadata (modulemd) for the artifact's modules (default true)."},
			{Name: "parent", Type: cty.DynamicPseudoType, Description: "For an add-on: the repository it is installed beside (artifact.yumrepo.NAME). Its packages complete the add-on's dependency closure; none are copied."},
		}},
	}
}

// config is a decoded configuration; unknown values keep defaults.
type config struct {
	compression    repodata.Compression
	changelogLimit int
	comps, modules bool
}

func decode(v cty.Value) (config, sdk.Diagnostics) {
	c := config{compression: repodata.Zstd, changelogLimit: 10, comps: true, modules: true}
	var diags sdk.Diagnostics
	get := func(name string) (cty.Value, bool) {
		if v.IsNull() || !v.IsKnown() || !v.Type().HasAttribute(name) {
			return cty.NilVal, false
		}
		a := v.GetAttr(name)
		return a, a.IsKnown() && !a.IsNull()
	}
	if a, ok := get("compression"); ok {
		switch a.AsString() {
		case "zstd":
		case "gzip":
			c.compression = repodata.Gzip
		default:
			diags = append(diags, sdk.Errorf(cty.GetAttrPath("compression"), "Unsupported compression",
				`compression is "zstd" or "gzip", not %q.`, a.AsString()))
		}
	}
	if a, ok := get("changelog_limit"); ok {
		n, acc := a.AsBigFloat().Int64()
		if acc != 0 || n < -1 {
			diags = append(diags, sdk.Errorf(cty.GetAttrPath("changelog_limit"), "Invalid changelog limit",
				"changelog_limit is a whole number of entries, or -1 for all."))
		}
		c.changelogLimit = int(n)
	}
	if a, ok := get("comps"); ok {
		c.comps = a.True()
	}
	if a, ok := get("modulemd"); ok {
		c.modules = a.True()
	}
	if a, ok := get("parent"); ok && !isRepository(a) {
		diags = append(diags, sdk.Errorf(cty.GetAttrPath("parent"), "Invalid parent",
			"parent is the repository an add-on extends, written parent = artifact.yumrepo.NAME."))
	}
	return c, diags
}

func (yumrepo) Validate(_ context.Context, v cty.Value) sdk.Diagnostics {
	_, diags := decode(v)
	return diags
}

func (yumrepo) Plan(_ context.Context, req *sdk.PlanRequest) (*sdk.PlanResponse, sdk.Diagnostics) {
	_, diags := decode(req.Config)
	return &sdk.PlanResponse{Outputs: outputs(req.Packages)}, diags
}

// isRepository reports whether v is a yumrepo artifact's value, by the
// address strata gives every artifact's value (unknown counts: it is
// checked again once known).
func isRepository(v cty.Value) bool {
	if !v.Type().IsObjectType() || !v.Type().HasAttribute("address") {
		return false
	}
	a := v.GetAttr("address")
	if !a.IsKnown() {
		return true
	}
	return !a.IsNull() && a.Type() == cty.String && strings.HasPrefix(a.AsString(), "artifact.yumrepo.")
}
