package plan

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func TestCanonical(t *testing.T) {
	a := cty.ObjectVal(map[string]cty.Value{"b": cty.NumberIntVal(2), "a": cty.ListVal([]cty.Value{cty.StringVal("x")})})
	b := cty.ObjectVal(map[string]cty.Value{"a": cty.ListVal([]cty.Value{cty.StringVal("x")}), "b": cty.NumberFloatVal(2.0)})
	if string(Canonical(a)) != string(Canonical(b)) {
		t.Errorf("equal values encode differently: %s, %s", Canonical(a), Canonical(b))
	}
	if got := string(Canonical(cty.ObjectVal(map[string]cty.Value{"u": cty.UnknownVal(cty.String), "n": cty.NullVal(cty.String)}))); got != `{"n":null,"u":{"$unknown":true}}` {
		t.Errorf("Canonical = %s", got)
	}
}

// The text of expressions that use artifacts is in the key without its
// layout: reformatting keeps the key, a different attribute changes it.
func TestArtifactExprs(t *testing.T) {
	exprs := func(src string) map[string]string {
		f, diags := hclsyntax.ParseConfig([]byte(src), "main.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		return artifactExprs(map[string]*hcl.File{"main.hcl": f}, f.Body)
	}
	a := exprs("label = \"${artifact.oci.base.digest}-x\"\nname = var.n\nboot {\n  from = artifact.x.y.path\n}\n")
	b := exprs("label   =   \"${ artifact.oci.base.digest }-x\"\nname = var.other\nboot {\n  from = artifact.x.y.path\n}\n")
	c := exprs("label = \"${artifact.oci.base.path}-x\"\nboot {\n  from = artifact.x.y.path\n}\n")
	if len(a) != 2 || a["boot[0].from"] != "artifact . x . y . path" {
		t.Errorf("artifactExprs = %q", a)
	}
	if key(a) != key(b) {
		t.Errorf("reformatting changed the expressions: %q, %q", a, b)
	}
	if key(a) == key(c) {
		t.Error("digest and path give the same expressions")
	}
}

func key(exprs map[string]string) string {
	return Key(&KeyInput{ArtifactExprs: exprs})
}
