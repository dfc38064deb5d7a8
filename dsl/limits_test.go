package dsl

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Configurations nested deeper than MaxNesting are refused before HCL's
// parser, which recurses per level, would overflow the stack; what real
// configurations write parses as before.
func TestNestingLimit(t *testing.T) {
	deep := 100000
	for _, tc := range []struct {
		name, src string
		refused   bool
	}{
		{"parentheses", "a = " + strings.Repeat("(", deep) + "1" + strings.Repeat(")", deep) + "\n", true},
		{"brackets", "a = " + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "\n", true},
		{"blocks", strings.Repeat("b {\n", deep) + strings.Repeat("}\n", deep), true},
		{"not", "a = " + strings.Repeat("!", deep) + "true\n", true},
		{"minus", "a = " + strings.Repeat("- ", deep) + "1\n", true},
		{"templates", "a = " + strings.Repeat("\"${", deep) + "1" + strings.Repeat("}\"", deep) + "\n", true},
		{"heredoc interpolations", "a = <<EOT\n" + strings.Repeat("${(", deep) + "\nEOT\n", true},
		{"at the limit", "a = " + strings.Repeat("(", MaxNesting-1) + "1" + strings.Repeat(")", MaxNesting-1) + "\n", false},
		{"strings and comments", "# (((( [[[[ \"\n/* {{{{ */\na = \"(((( \\\" [[[[ $${x} {{\" // }}}}\nb = 1 - 2 - -3 != 4\n", false},
		{"heredoc", "a = <<-EOT\n  ((((( \" [[[[\n  ${\"x\"}\n  EOT\nb = [1]\n", false},
		{"many unary in sequence", "a = " + strings.Repeat("-1 + ", 1000) + "1\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := Parse(".", []Source{{Name: "main.hcl", Bytes: []byte(tc.src)}})
			refused := false
			for _, d := range diags {
				if d.Summary == "Configuration nested too deeply" {
					refused = true
				}
			}
			if refused != tc.refused {
				t.Errorf("refused = %v, want %v: %s", refused, tc.refused, diags)
			}
		})
	}
}

// A configuration over MaxConfigSize is refused before it is parsed.
func TestConfigSizeLimit(t *testing.T) {
	big := strings.Repeat("# filler line of a very large configuration\n", MaxConfigSize/44+1)
	_, diags := Parse(".", []Source{{Name: "a.hcl", Bytes: []byte(big[:MaxConfigSize/2+1])}, {Name: "b.hcl", Bytes: []byte(big[:MaxConfigSize/2+1])}})
	if !diags.HasErrors() || diags[0].Summary != "Configuration too large" {
		t.Errorf("diags = %v", diags)
	}
}

// tolist and toset of a list written in the configuration give what cty's
// own functions give, without cty's sort of the element types, which is
// quadratic (100,000 for_each keys took minutes).
func TestUniformCollections(t *testing.T) {
	funcs := Functions()
	for _, src := range []string{
		`toset(["b", "a", "b"])`, `tolist(["b", "a"])`, `toset([1, 2])`, `toset(["a", 1])`, `tolist([])`,
		`toset([["a"], ["b"]])`, `tolist([{a = 1}, {a = 2}])`, `toset(["a", null])`,
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "t.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		got, gotDiags := expr.Value(&hcl.EvalContext{Functions: funcs})
		want, wantDiags := expr.Value(&hcl.EvalContext{Functions: map[string]function.Function{
			"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType))}})
		if gotDiags.HasErrors() != wantDiags.HasErrors() || !gotDiags.HasErrors() && !got.RawEquals(want) {
			t.Errorf("%s = %#v (%v), cty gives %#v (%v)", src, got, gotDiags, want, wantDiags)
		}
	}
	big := "toset([" + strings.Repeat(`"x",`, 100000) + `"y"])`
	expr, _ := hclsyntax.ParseExpression([]byte(big), "t.hcl", hcl.InitialPos)
	if v, diags := expr.Value(&hcl.EvalContext{Functions: funcs}); diags.HasErrors() || v.LengthInt() != 2 {
		t.Errorf("toset of 100,001 strings: %v %v", v.GoString(), diags)
	}
}
