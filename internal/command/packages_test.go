package command_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

// A corrupted package in a source is an error naming the file and the
// offset where it stops making sense.
func TestCorruptPackage(t *testing.T) {
	p := probeProject(t, "artifact \"probe\" \"x\" {\n  modules = [module.m]\n}\n")
	path := p.path("rpms", "beta-2.0-1.noarch.rpm")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data[:300], 0o644); err != nil {
		t.Fatal(err)
	}
	contains(t, "plan", p.fails(1, "plan"), "Cannot read source.rpm_dir.pkgs", path+": offset", "header truncated")
}

// Two different files with one NEVRA: strata takes the newest build, the
// last file when built at once, with a warning naming both; or with
// duplicates = "error", refuses.
func TestDuplicateNEVRA(t *testing.T) {
	p := probeProject(t, "artifact \"probe\" \"x\" {\n  modules = [module.m]\n}\n")
	dup := probeSpecs[0]
	dup.Summary = "same NEVRA, other content"
	if err := genrpm.Write(p.path("rpms", "copy"), []genrpm.Spec{dup}); err != nil {
		t.Fatal(err)
	}
	copied := p.path("rpms", "copy", "alpha-1.0-1.noarch.rpm")
	_, stderr, code := p.run("apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("apply: %d\n%s", code, stderr)
	}
	contains(t, "apply", stderr, "Warning: Two packages with one NEVRA", "alpha-1.0-1.noarch is held by 2 different files",
		p.path("rpms", "alpha-1.0-1.noarch.rpm"), copied, "strata takes "+copied)
	contains(t, "report", p.read("out", "latest", "compose", "probe", "x", "report.txt"), "alpha-1.0-1.noarch "+sha256File(t, copied))
	p.write(map[string]string{"compose.hcl": "compose {\n  name = \"C\"\n  version = \"1\"\n  duplicates = \"error\"\n}\n"})
	contains(t, "plan", p.fails(1, "plan"), "Error: Two packages with one NEVRA", "Remove all but one of them")
}

// Closure policies: an open closure is an error, a warning with closure =
// "warn" (per artifact or for the compose), and unchecked with "off".
func TestClosurePolicies(t *testing.T) {
	cases := []struct {
		config string
		code   int
		want   string
	}{
		{"artifact \"probe\" \"x\" {\n  packages = [\"gamma\"]\n  gather = \"none\"\n}", 1, "Error: Dependency closure is open"},
		{"artifact \"probe\" \"x\" {\n  packages = [\"gamma\"]\n  gather = \"none\"\n  closure = \"warn\"\n}", 0, "Warning: Dependency closure is open (closure = \"warn\")"},
		{"compose {\n  name = \"C\"\n  version = \"1\"\n  closure = \"warn\"\n  gather = \"none\"\n}\nartifact \"probe\" \"x\" { packages = [\"gamma\"] }", 0, "Warning: Dependency closure is open"},
		{"artifact \"probe\" \"x\" {\n  packages = [\"gamma\"]\n  gather = \"none\"\n  closure = \"off\"\n}", 0, ""},
		{"module \"n\" {\n  packages = [\"gamma\"]\n  gather = \"none\"\n}\nartifact \"probe\" \"x\" { modules = [module.n] }", 1, "Error: Dependency closure is open"},
	}
	for _, c := range cases {
		p := probeProject(t, c.config+"\n")
		stdout, stderr, code := p.run("plan")
		if code != c.code || c.want == "" && stderr != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%s\nexit %d (want %d)\n%s%s", c.config, code, c.code, stdout, stderr)
		}
		if c.code == 1 {
			contains(t, "error", stderr, "gamma-3.0-1.noarch (x86_64) requires beta >= 2, which nothing in the artifact provides")
		}
	}
}

// Resolution: the highest EVR by rpm's comparison, pins, packages no
// source has.
func TestResolution(t *testing.T) {
	specs := append([]genrpm.Spec(nil), probeSpecs...)
	specs = append(specs,
		genrpm.Spec{Name: "alpha", Version: "1.10", Release: "1", Provides: []string{"libalpha.so.1"}},
		genrpm.Spec{Name: "alpha", Version: "1.9", Release: "1", Provides: []string{"libalpha.so.1"}},
		genrpm.Spec{Name: "alpha", Version: "1.10~rc1", Release: "1", Provides: []string{"libalpha.so.1"}},
	)
	p := newProject(t, map[string]string{"main.hcl": probeBase + `
group "extra" {
  mandatory = ["no-such-package", "beta"]
  optional  = ["also-missing"]
}
module "pinned" {
  packages = ["alpha-1.9-1"]
}
artifact "probe" "best" {
  modules = [module.m]
}
artifact "probe" "pinned" {
  modules = [module.pinned]
}
artifact "probe" "grouped" {
  modules  = [module.m]
  packages = ["gamma"]
}
module "needs" {
  packages = ["gamma"]
  requires = [module.m]
}
artifact "probe" "required" {
  modules = [module.needs]
}
`}, specs)
	p.ok("init")
	_, stderr, code := p.run("apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("apply: %d\n%s", code, stderr)
	}
	contains(t, "warnings", stderr, "Warning: Group lists packages no source has", "group.extra lists also-missing, no-such-package, which no source holds")
	contains(t, "best", p.read("out", "latest", "compose", "probe", "best", "report.txt"), "package x86_64 alpha-1.10-1.noarch")
	contains(t, "pinned", p.read("out", "latest", "compose", "probe", "pinned", "report.txt"), "package x86_64 alpha-1.9-1.noarch")
	// A module's requires come with it, and its closure counts them.
	required := p.read("out", "latest", "compose", "probe", "required", "report.txt")
	for _, want := range []string{`gamma-3.0-1.noarch [0-9a-f]{64} modules=needs`, `beta-2.0-1.noarch [0-9a-f]{64} modules=m\n`, `alpha-1.10-1.noarch [0-9a-f]{64} modules=m\n`} {
		if !regexp.MustCompile(want).MatchString(required) {
			t.Errorf("required lacks %s:\n%s", want, required)
		}
	}
	p.write(map[string]string{"more.hcl": `module "bad" {
  packages = ["alpha-7-7", "nonesuch"]
}
artifact "probe" "bad" {
  modules = [module.bad]
}
`})
	contains(t, "plan", p.fails(1, "plan"), "Pinned package not found", "No source holds alpha-7-7; the sources have alpha-1.10-1.noarch",
		"Package not found", `No source holds a package named "nonesuch"`, "more.hcl line 2")

	// A package held only as a source RPM, or for another architecture,
	// leaves the artifact without it: a warning says so.
	if err := genrpm.Write(p.path("rpms"), []genrpm.Spec{{Name: "armonly", Version: "1", Release: "1", Arch: "aarch64"}}); err != nil {
		t.Fatal(err)
	}
	p.write(map[string]string{"more.hcl": `artifact "probe" "other" {
  packages = ["armonly"]
}
`})
	_, stderr, _ = p.run("plan")
	contains(t, "plan", stderr, "Warning: Package left out: no build for these architectures", "armonly is held only for aarch64, and the artifact is built for x86_64")
}

// Modules past their end of life at the compose date: a warning, an error
// with -strict.
func TestLifecycle(t *testing.T) {
	p := probeProject(t, `
module "old" {
  groups = [group.g]
  lifecycle {
    eol = "2026-01-31"
  }
}
artifact "probe" "x" {
  modules = [module.old]
}
`)
	_, stderr, code := p.run("plan")
	if code != 0 {
		t.Fatalf("plan: %d\n%s", code, stderr)
	}
	contains(t, "plan", stderr, "Warning: Module past its end of life", "module.old reached its end of life on 2026-01-31, before the compose date 2026-11-25, and artifact.probe.x includes it")
	contains(t, "plan -strict", p.fails(1, "plan", "-strict"), "Error: Module past its end of life", "main.hcl line 17")
	p.env = append(p.env, "STRATA_COMPOSE_DATE=2026-01-01")
	if _, stderr, _ := p.run("plan"); strings.Contains(stderr, "end of life") {
		t.Errorf("before its end of life, the module warns:\n%s", stderr)
	}
}

// A yum repository as a source, over HTTP on 127.0.0.1: read from its
// metadata, packages fetched into the cache when a build needs them.
func TestRepoSourceOverHTTP(t *testing.T) {
	repo := t.TempDir()
	if err := genrpm.Write(repo, probeSpecs); err != nil {
		t.Fatal(err)
	}
	sdktest.Createrepo(t, repo)
	var fetched []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".rpm") {
			fetched = append(fetched, r.URL.Path)
		}
		http.FileServer(http.Dir(repo)).ServeHTTP(w, r)
	}))
	defer srv.Close()
	p := newProject(t, map[string]string{"main.hcl": `
source "repo" "remote" {
  url = "` + srv.URL + `"
}
group "g" {
  mandatory = ["alpha", "beta"]
}
module "m" {
  groups = [group.g]
}
artifact "probe" "x" {
  modules = [module.m]
}
`}, nil)
	p.ok("init")
	p.ok("plan")
	if len(fetched) != 0 {
		t.Errorf("planning fetched packages: %v", fetched)
	}
	p.ok("apply", "-auto-approve")
	if len(fetched) != 2 {
		t.Errorf("the build fetched %v, want alpha and beta", fetched)
	}
	report := p.read("out", "latest", "compose", "probe", "x", "report.txt")
	contains(t, "report", report, "package x86_64 alpha-1.0-1.noarch", "package x86_64 beta-2.0-1.noarch")
	// The same repository by path gives the same key: the packages are the same.
	q := newProject(t, map[string]string{"main.hcl": strings.Replace(p.read("main.hcl"), srv.URL, repo, 1)}, nil)
	q.ok("init")
	if a, b := p.planJSON()["artifact.probe.x"], q.planJSON()["artifact.probe.x"]; a.Key != b.Key || b.Action != "build" {
		t.Errorf("by URL %+v, by path %+v", a, b)
	}
	// With the server gone, the metadata read last time serves, with a
	// warning; the built artifact stays up to date.
	srv.Close()
	stdout, stderr, code := p.run("plan")
	if code != 0 || !strings.Contains(stdout, "1 up to date") {
		t.Errorf("plan with the server gone: exit %d\n%s%s", code, stdout, stderr)
	}
	contains(t, "plan with the server gone", stderr, "Warning: Repository unreachable", "using the metadata read last time")
}
