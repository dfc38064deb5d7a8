package addrs

import "testing"

func TestParseInstance(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"artifact.oci.base", "artifact.oci.base"},
		{`artifact.yumrepo.os["server"]`, `artifact.yumrepo.os["server"]`},
		{"artifact.x.y[2]", "artifact.x.y[2]"},
		{"module.m", ""}, {"artifact.x", ""}, {"artifact.x.y.z", ""}, {"artifact.x.y[", ""}, {"artifact.x.y[true]", ""},
	} {
		got, err := ParseInstance(c.in)
		if c.want == "" {
			if err == nil {
				t.Errorf("ParseInstance(%q) = %s, want an error", c.in, got)
			}
			continue
		}
		if err != nil || got.String() != c.want {
			t.Errorf("ParseInstance(%q) = %s, %v", c.in, got, err)
		}
	}
	a, _ := ParseInstance(`artifact.x.y["a"]`)
	b, _ := ParseInstance(`artifact.x.y["b"]`)
	n, _ := ParseInstance("artifact.x.y[10]")
	m, _ := ParseInstance("artifact.x.y[9]")
	if !a.Less(b) || b.Less(a) || !m.Less(n) {
		t.Error("instances are misordered")
	}
}
