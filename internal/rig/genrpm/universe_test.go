package genrpm

import (
	"reflect"
	"strings"
	"testing"
)

// Every requirement a generated package has is met inside the layers
// that list it and those they build on (by name or by the library a
// package provides); a name two layers list depends only on what both
// see; given specs are kept; bumped names are one release newer; the
// same layers give the same specs.
func TestUniverse(t *testing.T) {
	layers := []Layer{
		{Name: "base", Packages: []string{"glibc", "bash", "coreutils", "shared", "b1", "b2", "b3", "b4", "b5"}},
		{Name: "gtk", Packages: []string{"gtk4", "glib2", "pango", "cairo", "g1", "g2", "g3"}, On: []string{"base"}},
		{Name: "gnome", Packages: []string{"gnome-shell", "mutter", "n1", "n2", "n3", "n4", "shared2"}, On: []string{"gtk"}},
		{Name: "server", Packages: []string{"httpd", "cockpit", "s1", "s2", "shared2"}, On: []string{"base"}},
	}
	given := []Spec{{Name: "bash", Version: "5.2", Release: "1", Requires: []string{"glibc"}}}
	opt := UniverseOptions{Size: 4096, Dist: "fc41", Bump: map[string]bool{"mutter": true}}
	specs, err := Universe(layers, given, opt)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Universe(layers, given, opt)
	if !reflect.DeepEqual(specs, again) {
		t.Error("two generations differ")
	}
	sees := map[string][]string{"base": {"base"}, "gtk": {"base", "gtk"}, "gnome": {"base", "gtk", "gnome"}, "server": {"base", "server"}}
	home := map[string][]string{}
	for _, l := range layers {
		for _, n := range l.Packages {
			home[n] = append(home[n], l.Name)
		}
	}
	provider := map[string]string{}
	byName := map[string]Spec{}
	for _, s := range specs {
		byName[s.Name] = s
		provider[s.Name] = s.Name
		for _, p := range s.Provides {
			provider[p] = s.Name
		}
	}
	if len(specs) != 27 {
		t.Errorf("%d specs, want 27", len(specs))
	}
	requires := 0
	for _, s := range specs {
		for _, r := range s.Requires {
			requires++
			dep, ok := provider[r]
			if !ok {
				t.Errorf("%s requires %s, which nothing provides", s.Name, r)
				continue
			}
			for _, from := range home[s.Name] {
				seen := false
				for _, to := range home[dep] {
					for _, v := range sees[from] {
						seen = seen || v == to
					}
				}
				if !seen {
					t.Errorf("%s (in %s) requires %s, which %s does not see", s.Name, from, dep, from)
				}
			}
		}
	}
	if requires < 10 {
		t.Errorf("only %d requirements in all", requires)
	}
	if b := byName["bash"]; b.Version != "5.2" || !reflect.DeepEqual(b.Requires, []string{"glibc"}) {
		t.Errorf("given bash became %+v", b)
	}
	if m := byName["mutter"]; m.Release != "2.fc41" || m.BuildTime != DefaultBuildTime+86400 {
		t.Errorf("bumped mutter: release %q, build time %d", m.Release, m.BuildTime)
	}
	if g := byName["gtk4"]; g.Release != "1.fc41" || !strings.Contains(g.Version, ".") {
		t.Errorf("gtk4: %s-%s", g.Version, g.Release)
	}
	if _, err := Universe([]Layer{{Name: "a", On: []string{"missing"}}}, nil, opt); err == nil {
		t.Error("a layer on a missing one: no error")
	}
}
