package pkgset

import (
	"strings"
	"testing"
)

// A glob lists every name it matches, each at its newest EVR for the
// architecture, never a debuginfo or source package; one that matches
// nothing is an error naming it.
func TestResolveGlobs(t *testing.T) {
	u := newUniverse([]*Package{
		pkg("python3", "3.12", "x86_64", nil), pkg("python3-libs", "3.12", "x86_64", nil),
		pkg("python3-libs", "3.11", "x86_64", nil), pkg("python3-debuginfo", "3.12", "x86_64", nil),
		pkg("python3-arm", "1", "aarch64", nil), pkg("python3-doc", "1", "noarch", nil),
		pkg("python3-src", "3.12", "src", nil), pkg("perl", "5", "x86_64", nil),
	})
	for _, tc := range []struct {
		specs []string
		want  string
	}{
		{[]string{"python3-*"}, "python3-doc-1-1.noarch python3-libs-3.12-1.x86_64"},
		{[]string{"*"}, "perl-5-1.x86_64 python3-3.12-1.x86_64 python3-doc-1-1.noarch python3-libs-3.12-1.x86_64"},
		{[]string{"p?rl", "perl"}, "perl-5-1.x86_64"},
		{[]string{"python3-libs-3.11-1", "python3-l[a-z]bs"}, "python3-libs-3.11-1.x86_64 python3-libs-3.12-1.x86_64"},
	} {
		var specs []Spec
		for _, s := range tc.specs {
			specs = append(specs, Spec{Text: s})
		}
		set, diags := u.Resolve(Request{Arches: []string{"x86_64"}, Specs: specs})
		if diags.HasErrors() {
			t.Fatalf("%v: %v", tc.specs, diags)
		}
		var got []string
		for _, p := range set.ByArch["x86_64"] {
			got = append(got, p.NEVRA())
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%v resolved to %v, want %s", tc.specs, got, tc.want)
		}
	}
	_, diags := u.Resolve(Request{Arches: []string{"x86_64"}, Specs: []Spec{{Text: "ruby*"}}})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), `matches "ruby*"`) {
		t.Errorf("a glob matching nothing gave %v", diags)
	}
	// A group member is a name as comps holds it, never a glob.
	set, diags := u.Resolve(Request{Arches: []string{"x86_64"}, Specs: []Spec{{Text: "p*", Member: true}}})
	if diags.HasErrors() || len(set.ByArch["x86_64"]) != 0 {
		t.Errorf("a group member p* gave %v, %v", set.ByArch, diags)
	}
}
