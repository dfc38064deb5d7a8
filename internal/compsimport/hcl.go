package compsimport

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// HCL writes the groups as group blocks and each environment as a module
// of its groups, formatted as strata fmt formats them. A group whose id
// is not a name the language can refer to (such as "3d-printing") is
// named with a leading underscore and keeps its id.
func (c *Comps) HCL(source string) []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	comment(body, fmt.Sprintf("Imported from %s by strata import comps.", source))
	names := map[string]string{}
	for _, g := range c.Groups {
		names[g.ID] = blockName(g.ID)
	}
	for _, g := range c.Groups {
		body.AppendNewline()
		if len(g.Arches) > 0 {
			var limited []string
			for _, p := range slices.Sorted(maps.Keys(g.Arches)) {
				limited = append(limited, fmt.Sprintf("%s (%s)", p, g.Arches[p]))
			}
			comment(body, "comps gives these only on some architectures: "+strings.Join(limited, ", "))
		}
		b := body.AppendNewBlock("group", []string{names[g.ID]}).Body()
		if names[g.ID] != g.ID {
			b.SetAttributeValue("id", cty.StringVal(g.ID))
		}
		setString(b, "name", g.Name)
		setString(b, "description", g.Description)
		setList(b, "mandatory", g.Mandatory)
		setList(b, "default", g.Default)
		setList(b, "optional", g.Optional)
		setMap(b, "conditional", g.Conditional)
		if !g.UserVisible {
			b.SetAttributeValue("user_visible", cty.False)
		}
		if g.DisplayOrder != nil {
			b.SetAttributeValue("display_order", cty.NumberIntVal(*g.DisplayOrder))
		}
		setMap(b, "name_translations", g.NameTranslations)
		setMap(b, "description_translations", g.DescTranslations)
	}
	for _, e := range c.Environments {
		body.AppendNewline()
		comment(body, fmt.Sprintf("Environment %q: its groups make a module; a variant selects it.", e.ID))
		if len(e.Options) > 0 {
			var opts []string
			for _, id := range e.Options {
				if _, defined := names[id]; defined {
					opts = append(opts, "group."+names[id])
				}
			}
			comment(body, "Groups it offers (modules of their own, for variants to add): "+strings.Join(opts, ", "))
		}
		b := body.AppendNewBlock("module", []string{blockName(e.ID)}).Body()
		setString(b, "name", e.Name)
		setString(b, "summary", e.Name)
		setString(b, "description", e.Description)
		var refs []hclwrite.Tokens
		for _, id := range e.Groups {
			if _, defined := names[id]; !defined {
				continue // warned of by Parse
			}
			refs = append(refs, hclwrite.TokensForTraversal(hcl.Traversal{hcl.TraverseRoot{Name: "group"}, hcl.TraverseAttr{Name: names[id]}}))
		}
		if len(refs) > 0 {
			b.SetAttributeRaw("groups", hclwrite.TokensForTuple(refs))
		}
	}
	return hclwrite.Format(f.Bytes())
}

// blockName is id, or id with a leading underscore where id does not
// start as a name must.
func blockName(id string) string {
	if hclsyntax.ValidIdentifier(id) {
		return id
	}
	name := "_" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, id)
	return name
}

func comment(b *hclwrite.Body, text string) {
	b.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte("# " + text + "\n")}})
}

func setString(b *hclwrite.Body, name, v string) {
	if v != "" {
		b.SetAttributeValue(name, cty.StringVal(v))
	}
}

// setList writes a list one item a line, as a long package list reads
// best.
func setList(b *hclwrite.Body, name string, list []string) {
	if len(list) == 0 {
		return
	}
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")}, {Type: hclsyntax.TokenNewline, Bytes: []byte("\n")}}
	for _, s := range list {
		toks = append(toks, hclwrite.TokensForValue(cty.StringVal(s))...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")}, &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")})
	}
	b.SetAttributeRaw(name, append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")}))
}

func setMap(b *hclwrite.Body, name string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	vals := map[string]cty.Value{}
	for k, v := range m {
		vals[k] = cty.StringVal(v)
	}
	b.SetAttributeValue(name, cty.MapVal(vals))
}
