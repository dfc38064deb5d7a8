package pkgset

import (
	"testing"

	"github.com/strata-build/strata/sdk/rpm"
)

// pkg is a package for gathering tests: name-version-1.arch, providing
// its own name at its EVR and caps, requiring reqs.
func pkg(name, version, arch string, caps []string, reqs ...string) *Package {
	p := &Package{Name: name, Version: version, Release: "1", Arch: arch}
	var lists [depKinds][]rpm.Dependency
	lists[provides] = append(lists[provides], rpm.Dependency{Name: name, Flags: rpm.SenseEqual, Version: version + "-1"})
	for _, pr := range caps {
		lists[provides] = append(lists[provides], rpm.Dependency{Name: pr})
	}
	for _, r := range reqs {
		lists[requires] = append(lists[requires], rpm.Dependency{Name: r})
	}
	p.depList = newDepList(lists)
	return p
}

// Each rule of the provider choice, with the other candidates each rule
// must beat.
func TestGatherProviderChoice(t *testing.T) {
	for _, tc := range []struct {
		rule     string
		universe []*Package
		listed   []string // names listed beside "app"
		want     string   // NEVRA pulled in for app's requirement on "cap"
	}{
		{"latest EVR per name.arch", []*Package{pkg("p", "1.9", "x86_64", []string{"cap"}), pkg("p", "1.10", "x86_64", []string{"cap"})}, nil, "p-1.10-1.x86_64"},
		{"native arch before noarch", []*Package{pkg("a", "1", "noarch", []string{"cap"}), pkg("b", "1", "x86_64", []string{"cap"})}, nil, "b-1-1.x86_64"},
		{"noarch before another compatible arch", []*Package{pkg("a", "1", "i586", []string{"cap"}), pkg("b", "1", "noarch", []string{"cap"})}, nil, "b-1-1.noarch"},
		{"shortest name", []*Package{pkg("postfix", "1", "x86_64", []string{"cap"}), pkg("exim", "1", "x86_64", []string{"cap"}), pkg("sendmail", "1", "x86_64", []string{"cap"})}, nil, "exim-1-1.x86_64"},
		{"name order", []*Package{pkg("zed", "1", "x86_64", []string{"cap"}), pkg("abc", "1", "x86_64", []string{"cap"})}, nil, "abc-1-1.x86_64"},
		{"never a debuginfo package", []*Package{pkg("a-debuginfo", "1", "x86_64", []string{"cap"}), pkg("zzzz-long-name", "1", "x86_64", []string{"cap"})}, nil, "zzzz-long-name-1-1.x86_64"},
		{"listed wins", []*Package{pkg("exim", "1", "x86_64", []string{"cap"}), pkg("postfix", "1", "x86_64", []string{"cap"})}, []string{"postfix"}, ""},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			target := "x86_64"
			if tc.universe[0].Arch == "i586" {
				target = "i686" // on which i586 packages install too
			}
			app := pkg("app", "1", target, nil, "cap")
			u := newUniverse(append([]*Package{app}, tc.universe...))
			req := Request{Arches: []string{target}, Specs: []Spec{{Text: "app"}}}
			for _, l := range tc.listed {
				req.Specs = append(req.Specs, Spec{Text: l})
			}
			set, diags := u.Resolve(req)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if unmet := u.Gather(set, GatherOptions{Deps: true}, nil, nil); len(unmet) != 0 {
				t.Fatalf("unmet: %v", unmet)
			}
			var pulled []string
			for p := range set.Pulled {
				pulled = append(pulled, p.NEVRA())
			}
			switch {
			case tc.want == "" && len(pulled) != 0:
				t.Errorf("pulled in %v, want nothing", pulled)
			case tc.want != "" && (len(pulled) != 1 || pulled[0] != tc.want):
				t.Errorf("pulled in %v, want %s", pulled, tc.want)
			}
		})
	}
}

// greedy = "all" takes the newest of every provider; a lookaside that
// provides the requirement means nothing is pulled in.
func TestGatherGreedyAndLookaside(t *testing.T) {
	app := pkg("app", "1", "x86_64", nil, "cap")
	a, b, old := pkg("a", "1", "x86_64", []string{"cap"}), pkg("b", "2", "x86_64", []string{"cap"}), pkg("b", "1", "x86_64", []string{"cap"})
	u := newUniverse([]*Package{app, a, b, old})
	req := Request{Arches: []string{"x86_64"}, Specs: []Spec{{Text: "app"}}}
	set, _ := u.Resolve(req)
	u.Gather(set, GatherOptions{Deps: true, Greedy: true}, nil, nil)
	if len(set.Pulled) != 2 || set.Pulled[a].By != app || set.Pulled[b].By != app {
		t.Errorf("greedy pulled %v", set.Pulled)
	}
	set, _ = u.Resolve(req)
	u.Gather(set, GatherOptions{Deps: true}, map[string][]*Package{"x86_64": {old}}, nil)
	if len(set.Pulled) != 0 {
		t.Errorf("with the lookaside providing cap, pulled %v", set.Pulled)
	}
}
