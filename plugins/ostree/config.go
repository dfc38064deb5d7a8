package ostree

import (
	"github.com/strata-build/strata/plugins/ostree/repo"
	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

// config is a decoded artifact body.
type config struct {
	ref     string
	subject string
	body    string
	version string
}

func attributes() []sdk.Attribute {
	return []sdk.Attribute{
		{Name: "ref", Type: cty.String, Required: true, Description: `The branch to commit to, such as "fedora/41/x86_64/atomic-host".`},
		{Name: "subject", Type: cty.String, Description: `The commit's subject; default "<compose name> <version>".`},
		{Name: "body", Type: cty.String, Description: "The commit's body."},
		{Name: "version", Type: cty.String, Description: "The commit's version metadata; default the compose version."},
	}
}

// decode reads a configuration; compose fills the defaults.
func decode(v cty.Value, compose sdk.Compose) (config, sdk.Diagnostics) {
	str := func(attr string) string {
		if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute(attr) {
			return ""
		}
		if a := v.GetAttr(attr); a.IsKnown() && !a.IsNull() {
			return a.AsString()
		}
		return ""
	}
	c := config{ref: str("ref"), subject: str("subject"), body: str("body"), version: str("version")}
	if c.version == "" {
		c.version = compose.Version
	}
	if c.subject == "" {
		c.subject = compose.Name + " " + c.version
	}
	var diags sdk.Diagnostics
	if c.ref != "" {
		if err := repo.ValidateRef(c.ref); err != nil {
			diags = append(diags, sdk.Errorf(cty.GetAttrPath("ref"), "Invalid ref", "%s.", err))
		}
	}
	return c, diags
}

// outputs is the artifact's value.
func outputs(c config, commit cty.Value) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"commit":  commit,
		"ref":     cty.StringVal(c.ref),
		"repo":    cty.StringVal(repoDir),
		"version": cty.StringVal(c.version),
	})
}
