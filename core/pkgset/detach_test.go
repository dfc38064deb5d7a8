package pkgset

import (
	"path/filepath"
	"slices"
	"testing"
	"unsafe"

	"github.com/strata-build/strata/sdk/rpm"
)

// Detached, a gathered set holds copies of its packages that share no
// memory with the universe's package list, each package copied once and
// the pulls between them kept; their details are read and kept.
func TestDetach(t *testing.T) {
	app, lib := pkg("app", "1", "x86_64", nil, "cap", "gone"), pkg("lib", "2", "x86_64", []string{"cap"})
	for _, p := range []*Package{app, lib} {
		p.Location, p.Source = "/r/"+p.Name+".rpm", "source.rpm_dir.r"
		p.setDetail(detail{headerSHA256: "h-" + p.Name, files: "/usr/bin/" + p.Name})
	}
	path := filepath.Join(t.TempDir(), "r.pkgs")
	if err := writePackageList(path, []*Package{app, lib}); err != nil {
		t.Fatal(err)
	}
	listed, err := readPackageList(path)
	if err != nil {
		t.Fatal(err)
	}
	u := newUniverse(listed)
	set, diags := u.Resolve(Request{Arches: []string{"x86_64"}, Specs: []Spec{{Text: "app", Module: "m"}}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	u.Gather(set, GatherOptions{Deps: true}, nil, nil)
	listedApp := set.ByArch["x86_64"][0]
	unmet := []Unmet{{Package: listedApp, Require: listedApp.dep(requires, 1)}}
	if err := Detach([]*Set{set}, [][]Unmet{unmet}); err != nil {
		t.Fatal(err)
	}

	pool := listed[0].strs.pool
	inPool := func(s string) bool {
		start, at := uintptr(unsafe.Pointer(unsafe.StringData(pool))), uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return len(s) > 0 && at >= start && at < start+uintptr(len(pool))
	}
	got := set.ByArch["x86_64"]
	if len(got) != 2 {
		t.Fatalf("the set holds %d packages, want app and lib", len(got))
	}
	for _, p := range got {
		if slices.Contains(u.Packages, p) {
			t.Errorf("%s is still the universe's", p.NEVRA())
		}
		for _, s := range []string{p.Name, p.Version, p.Release, p.Arch, p.Location, p.Source} {
			if inPool(s) {
				t.Errorf("%s: %q is still a part of the list's pool", p.NEVRA(), s)
			}
		}
		if p.held.Load() == nil || p.Identity() != "h-"+p.Name || p.Files() != "/usr/bin/"+p.Name {
			t.Errorf("%s: detail %+v", p.NEVRA(), p.detail())
		}
		if p.count(requires) != 0 || p.count(provides) != 0 {
			t.Errorf("%s kept its dependencies", p.NEVRA())
		}
	}
	app2, lib2 := got[0], got[1]
	if pull, ok := set.Pulled[lib2]; !ok || pull.By != app2 || pull.Require != "cap" {
		t.Errorf("pulled %v, want lib by the copy of app for cap", set.Pulled)
	}
	if len(set.From) != 1 || !slices.Equal(set.From[app2], []string{"m"}) {
		t.Errorf("from %v, want the copy of app from m", set.From)
	}
	if unmet[0].Package != app2 || unmet[0].Require != (rpm.Dependency{Name: "gone"}) || inPool(unmet[0].Require.Name) {
		t.Errorf("unmet %+v, want the copy of app requiring gone", unmet[0])
	}
}

// A detail the list can no longer give is an error of Detach: a plan
// must not key a package by an empty digest.
func TestDetachReportsAnUnreadableDetail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.pkgs")
	if err := writePackageList(path, []*Package{pkg("app", "1", "x86_64", nil)}); err != nil {
		t.Fatal(err)
	}
	listed, err := readPackageList(path)
	if err != nil {
		t.Fatal(err)
	}
	listed[0].from.f.Close()
	set := &Set{Arches: []string{"x86_64"}, ByArch: map[string][]*Package{"x86_64": listed}}
	if err := Detach([]*Set{set}, nil); err == nil {
		t.Error("Detach read no detail and said nothing")
	}
}
