package plan

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

// specFor turns a plugin's block schema into an hcldec spec, so that HCL
// itself reports unknown, missing and mistyped arguments with their
// source ranges.
func specFor(b sdk.Block) hcldec.ObjectSpec {
	spec := hcldec.ObjectSpec{}
	for _, a := range b.Attributes {
		spec[a.Name] = &hcldec.AttrSpec{Name: a.Name, Type: a.Type, Required: a.Required}
	}
	for _, nb := range b.Blocks {
		nested := specFor(nb.Block)
		switch nb.Nesting {
		case sdk.NestingList:
			min := 0
			if nb.Required {
				min = 1
			}
			spec[nb.Name] = &hcldec.BlockListSpec{TypeName: nb.Name, Nested: nested, MinItems: min}
		default:
			spec[nb.Name] = &hcldec.BlockSpec{TypeName: nb.Name, Nested: nested, Required: nb.Required}
		}
	}
	return spec
}

// splitBody separates the package selection arguments from the plugin's
// part of an artifact body. A type that does not build from packages
// refuses them.
func splitBody(art *dsl.Artifact, schema sdk.Schema) (selection hcl.Attributes, rest hcl.Body, diags hcl.Diagnostics) {
	content, rest, diags := art.Body.PartialContent(dsl.SelectionSchema)
	if !schema.Packages {
		for name, a := range content.Attributes {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported argument",
				Detail:  fmt.Sprintf("Artifacts of type %q are not built from packages, so %s cannot be set here.", art.Addr.Type, name),
				Subject: a.NameRange.Ptr()})
		}
		return nil, rest, diags
	}
	if !schema.Trees {
		for _, name := range dsl.TreeAttributes {
			if a := content.Attributes[name]; a != nil {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported argument",
					Detail:  fmt.Sprintf("Artifacts of type %q ship no source or debuginfo trees, so %s cannot be set here; set it on a repository.", art.Addr.Type, name),
					Subject: a.NameRange.Ptr()})
			}
		}
	}
	return content.Attributes, rest, diags
}

// decodeBody evaluates the plugin's part of a body.
func decodeBody(rest hcl.Body, schema sdk.Schema, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	return hcldec.Decode(rest, specFor(schema.Block), ctx)
}

// pathRange finds the source range of the attribute a plugin's
// diagnostic names, falling back to the block's declaration.
func pathRange(body hcl.Body, path cty.Path, fallback hcl.Range) hcl.Range {
	sb, ok := body.(*hclsyntax.Body)
	if !ok || len(path) == 0 {
		return fallback
	}
	step, ok := path[0].(cty.GetAttrStep)
	if !ok {
		return fallback
	}
	if a, ok := sb.Attributes[step.Name]; ok {
		return a.Expr.Range()
	}
	var blocks []*hclsyntax.Block
	for _, b := range sb.Blocks {
		if b.Type == step.Name {
			blocks = append(blocks, b)
		}
	}
	if len(blocks) == 0 {
		return fallback
	}
	rest := path[1:]
	b := blocks[0]
	if len(rest) > 0 {
		if idx, ok := rest[0].(cty.IndexStep); ok && idx.Key.Type() == cty.Number {
			i, _ := idx.Key.AsBigFloat().Int64()
			if i >= 0 && int(i) < len(blocks) {
				b = blocks[i]
			}
			rest = rest[1:]
		}
	}
	return pathRange(b.Body, rest, b.DefRange())
}

// sdkDiags turns a plugin's diagnostics into HCL diagnostics at the
// attributes they name.
func sdkDiags(ds sdk.Diagnostics, body hcl.Body, fallback hcl.Range) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range ds {
		sev := hcl.DiagError
		if d.Severity == sdk.Warning {
			sev = hcl.DiagWarning
		}
		r := pathRange(body, d.Path, fallback)
		out = append(out, &hcl.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail, Subject: &r})
	}
	return out
}

// reserved are the argument names the core owns in every artifact body.
var reserved = []string{"for_each", "count", "depends_on", "closure", "timeout", "variant", "modules", "packages", "arches"}

// checkSchema refuses a schema that declares an argument the core owns.
func checkSchema(s sdk.Schema) error {
	for _, name := range reserved {
		for _, a := range s.Block.Attributes {
			if a.Name == name {
				return fmt.Errorf("its schema declares the argument %q, which strata reserves for itself", name)
			}
		}
		for _, b := range s.Block.Blocks {
			if b.Name == name {
				return fmt.Errorf("its schema declares the block %q, whose name strata reserves for itself", name)
			}
		}
	}
	return nil
}
