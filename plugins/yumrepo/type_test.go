package yumrepo

import (
	"context"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestValidate(t *testing.T) {
	artifact := func(addr cty.Value) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{"address": addr, "repos": cty.UnknownVal(cty.Map(cty.String))})
	}
	for _, tc := range []struct {
		name   string
		attrs  map[string]cty.Value
		refuse string // "" accepts
	}{
		{"defaults", nil, ""},
		{"gzip", map[string]cty.Value{"compression": cty.StringVal("gzip")}, ""},
		{"bad compression", map[string]cty.Value{"compression": cty.StringVal("xz")}, "Unsupported compression"},
		{"bad changelog limit", map[string]cty.Value{"changelog_limit": cty.NumberFloatVal(1.5)}, "Invalid changelog limit"},
		{"parent repository", map[string]cty.Value{"parent": artifact(cty.StringVal(`artifact.yumrepo.os["server"]`))}, ""},
		{"parent not yet known", map[string]cty.Value{"parent": artifact(cty.UnknownVal(cty.String))}, ""},
		{"parent of another type", map[string]cty.Value{"parent": artifact(cty.StringVal("artifact.oci.base"))}, "Invalid parent"},
		{"parent a string", map[string]cty.Value{"parent": cty.StringVal("server")}, "Invalid parent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := cty.EmptyObjectVal
			if tc.attrs != nil {
				v = cty.ObjectVal(tc.attrs)
			}
			diags := yumrepo{}.Validate(context.Background(), v)
			got := ""
			if len(diags) > 0 {
				got = diags[0].Summary
			}
			if tc.refuse == "" && len(diags) > 0 || tc.refuse != "" && !strings.Contains(got, tc.refuse) {
				t.Errorf("Validate: %v, want %q", diags, tc.refuse)
			}
		})
	}
}
