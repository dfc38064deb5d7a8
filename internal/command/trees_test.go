package command_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

// treeSpecs is a build tag with its source and debuginfo packages: hello
// builds hello, hello-libs (x86_64 and i686) and their debuginfo; common
// a noarch package; an older hello build is still tagged; tools' source
// package is missing; orphan-debuginfo names a main package no source
// holds.
func treeSpecs() []genrpm.Spec {
	built := func(s genrpm.Spec, srpm string) genrpm.Spec {
		s.SourceRPM = srpm
		return s
	}
	const hello = "hello-2.0-1.src.rpm"
	return []genrpm.Spec{
		{Name: "hello", Version: "2.0", Arch: "x86_64", Source: true, Requires: []string{"gcc", "make"},
			Files: []sdktest.File{{Path: "/hello.spec", Body: "Name: hello\n"}}},
		built(genrpm.Spec{Name: "hello", Version: "2.0", Arch: "x86_64", Requires: []string{"hello-libs = 2.0-1", "common-data"}}, hello),
		built(genrpm.Spec{Name: "hello-libs", Version: "2.0", Arch: "x86_64"}, hello),
		built(genrpm.Spec{Name: "hello-libs", Version: "2.0", Arch: "i686"}, hello),
		built(genrpm.Spec{Name: "hello-debuginfo", Version: "2.0", Arch: "x86_64"}, hello),
		built(genrpm.Spec{Name: "hello-libs-debuginfo", Version: "2.0", Arch: "x86_64"}, hello),
		built(genrpm.Spec{Name: "hello-libs-debuginfo", Version: "2.0", Arch: "i686"}, hello),
		built(genrpm.Spec{Name: "hello-debugsource", Version: "2.0", Arch: "x86_64"}, hello),
		built(genrpm.Spec{Name: "orphan-debuginfo", Version: "2.0", Arch: "x86_64"}, hello),
		{Name: "hello", Version: "1.0", Arch: "x86_64", Source: true},
		built(genrpm.Spec{Name: "hello-debuginfo", Version: "1.0", Arch: "x86_64"}, "hello-1.0-1.src.rpm"),
		{Name: "common", Version: "1", Arch: "x86_64", Source: true},
		built(genrpm.Spec{Name: "common-data", Version: "1"}, "common-1-1.src.rpm"),
		built(genrpm.Spec{Name: "tools", Version: "1", Arch: "x86_64"}, "tools-1-1.src.rpm"),
		{Name: "other", Version: "1", Arch: "x86_64", Source: true},
		built(genrpm.Spec{Name: "other", Version: "1", Arch: "x86_64"}, "other-1-1.src.rpm"),
	}
}

const treesConfig = `
compose {
  name    = "T"
  version = "1"
  arches  = ["x86_64"]
}
source "rpm_dir" "tag" {
  path = "./rpms"
}
variant "v" {
  packages = ["hello", "tools"]
}
artifact "yumrepo" "os" {
  variant   = variant.v
  sources   = true
  debuginfo = true
}
`

// sources = true and debuginfo = true write, beside the variant's
// repository, a source tree holding the source package of every binary
// it ships and a debug tree with their debuginfo, laid out and described
// as productmd does; dnf reads both. What cannot be shipped is a warning
// naming the files, an error with -strict.
func TestSourceAndDebugTrees(t *testing.T) {
	p := newProject(t, map[string]string{"main.hcl": treesConfig}, treeSpecs())
	p.ok("init")
	_, stderr, code := p.run("plan")
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, stderr)
	}
	contains(t, "plan", p.ok("plan"), "4 packages (2 listed, 2 pulled in), 2 source and 4 debuginfo packages")
	contains(t, "plan", stderr, "Source or debuginfo packages missing",
		"tools-1-1.src.rpm, the source package of tools-1-1.x86_64, is in no source",
		"orphan-debuginfo-2.0-1.x86_64.rpm: its main package orphan is in no source")
	contains(t, "plan -strict", p.fails(1, "plan", "-strict"), "Source or debuginfo packages missing")
	p.ok("apply", "-auto-approve")

	compose := p.path("out", "latest", "compose")
	query := func(dir string, args ...string) []string {
		t.Helper()
		out, ok := sdktest.DNF(t, map[string]string{"r": filepath.Join(compose, dir)},
			append([]string{"repoquery", "--qf", "%{name}-%{version}-%{release}.%{arch}"}, args...)...)
		if !ok {
			t.Fatalf("dnf repoquery on %s:\n%s", dir, out)
		}
		got := strings.Fields(out)
		sort.Strings(got)
		return got
	}
	if diff := cmp.Diff([]string{"common-1-1.src", "hello-2.0-1.src"}, query("v/source/tree", "--arch=src")); diff != "" {
		t.Errorf("dnf repoquery --arch=src on the source tree (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"hello-debuginfo-2.0-1.x86_64", "hello-debugsource-2.0-1.x86_64", "hello-libs-debuginfo-2.0-1.x86_64",
		"orphan-debuginfo-2.0-1.x86_64"}, query("v/x86_64/debug/tree")); diff != "" {
		t.Errorf("dnf repoquery on the debug tree (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"common-data-1-1.noarch", "hello-2.0-1.x86_64", "hello-libs-2.0-1.x86_64", "tools-1-1.x86_64"},
		query("v/x86_64/os")); diff != "" {
		t.Errorf("dnf repoquery on the os tree (-want +got):\n%s", diff)
	}

	info := p.read("out", "latest", "compose", "metadata", "composeinfo.json")
	contains(t, "composeinfo.json", info, `"source_tree": {`, `"x86_64": "v/source/tree"`, `"source_packages": {`,
		`"x86_64": "v/source/tree/Packages"`, `"debug_tree": {`, `"x86_64": "v/x86_64/debug/tree"`, `"debug_repository": {`)
	rpms := p.read("out", "latest", "compose", "metadata", "rpms.json")
	contains(t, "rpms.json", rpms, `"hello-0:2.0-1.src": {`,
		`"category": "source",
              "path": "v/source/tree/Packages/h/hello-2.0-1.src.rpm"`,
		`"category": "debug",
              "path": "v/x86_64/debug/tree/Packages/h/hello-debuginfo-2.0-1.x86_64.rpm"`,
		`"category": "binary",
              "path": "v/x86_64/os/Packages/h/hello-libs-2.0-1.x86_64.rpm"`)
	checkRPMsRules(t, compose, rpms)
	lineage := p.read("out", "latest", "compose", "metadata", "lineage.json")
	contains(t, "lineage.json", lineage, `"nevra": "hello-libs-2.0-1.x86_64",`, `"source_rpm": "hello-2.0-1.src"`, `"category": "source"`)

	// Turning the trees off leaves the os tree's build as it was before.
	p.write(map[string]string{"main.hcl": strings.NewReplacer("  sources   = true\n", "", "  debuginfo = true\n", "").Replace(treesConfig)})
	contains(t, "plan without trees", p.ok("plan"), "(rebuild, yumrepo 0.2.0, 4 packages (2 listed, 2 pulled in))", "package hello-2.0-1.src removed")
	p.ok("apply", "-auto-approve")
	if _, err := os.Stat(filepath.Join(p.path("out", "latest", "compose"), "v", "source")); !os.IsNotExist(err) {
		t.Errorf("the source tree is still composed without sources = true: %v", err)
	}
}

// Types that ship no trees refuse sources and debuginfo; a file named as
// a binary's source package that is itself a binary package is named.
func TestTreesBadInput(t *testing.T) {
	p := newProject(t, map[string]string{"main.hcl": `
compose {
  name    = "T"
  version = "1"
  arches  = ["x86_64"]
}
source "rpm_dir" "tag" {
  path = "./rpms"
}
artifact "oci" "img" {
  packages = ["misnamed"]
  sources  = true
}
`}, []genrpm.Spec{{Name: "misnamed", Version: "1", Arch: "x86_64"}})
	p.ok("init")
	contains(t, "sources on an image", p.fails(1, "validate"), "Unsupported argument",
		`Artifacts of type "oci" ship no source or debuginfo trees, so sources cannot be set here`, "main.hcl line 12")

	// misnamed-1-1.src.rpm holds a binary package.
	s := genrpm.Spec{Name: "misnamed-bits", Version: "1", Arch: "x86_64"}
	f, err := os.Create(p.path("rpms", "misnamed-1-1.src.rpm"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sdktest.WriteRPM(f, s.RPM()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	p.write(map[string]string{"main.hcl": strings.Replace(treesConfig, `["hello", "tools"]`, `["misnamed"]`, 1)})
	p.ok("init")
	_, stderr, code := p.run("plan")
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, stderr)
	}
	contains(t, "plan", stderr, "misnamed-1-1.src.rpm, the source package of misnamed-1-1.x86_64, is a binary package for x86_64")
}

// checkRPMsRules checks rpms.json against the rules productmd's Rpms.add
// enforces when it loads one (its loader is not installable here): no
// source arch among the arches, categories binary, debug or source, a
// NEVRA with its epoch, source category exactly for .src packages, a
// source package listed under itself and every other under its source
// package, and each path relative, to a file of the compose.
func checkRPMsRules(t *testing.T, compose, doc string) {
	t.Helper()
	var rpms struct {
		Payload struct {
			RPMs map[string]map[string]map[string]map[string]struct {
				Category string
				Path     string
				Sigkey   *string
			} `json:"rpms"`
		}
	}
	if err := json.Unmarshal([]byte(doc), &rpms); err != nil {
		t.Fatal(err)
	}
	for variant, arches := range rpms.Payload.RPMs {
		for arch, srpms := range arches {
			if arch == "src" || arch == "nosrc" {
				t.Errorf("rpms.json: %s has the arch %s", variant, arch)
			}
			for srpm, pkgs := range srpms {
				for nevra, r := range pkgs {
					where := variant + "/" + arch + "/" + srpm + "/" + nevra
					isSource := strings.HasSuffix(nevra, ".src")
					switch {
					case !strings.Contains(nevra, ":") || !strings.Contains(srpm, ":"):
						t.Errorf("rpms.json %s: a NEVRA without its epoch", where)
					case r.Category != "binary" && r.Category != "debug" && r.Category != "source":
						t.Errorf("rpms.json %s: category %q", where, r.Category)
					case isSource != (r.Category == "source"):
						t.Errorf("rpms.json %s: category %s for arch %s", where, r.Category, nevra[strings.LastIndexByte(nevra, '.')+1:])
					case isSource && srpm != nevra, !strings.HasSuffix(srpm, ".src"):
						t.Errorf("rpms.json %s: listed under another package than its source", where)
					case strings.HasPrefix(r.Path, "/"):
						t.Errorf("rpms.json %s: absolute path %s", where, r.Path)
					}
					if _, err := os.Stat(filepath.Join(compose, filepath.FromSlash(r.Path))); err != nil {
						t.Errorf("rpms.json %s: %v", where, err)
					}
				}
			}
		}
	}
}

// rpm's own test packages: hello-1.0-1.src.rpm, a source package as
// rpmbuild made it, goes into the source tree of its i386 binary; the
// source of hello-2.0-1.x86_64 is not in the corpus, which the plan says.
func TestSourceTreeOfRealPackages(t *testing.T) {
	corpus := filepath.Join(sdktest.SharedTestdata(t), "rpms")
	cfg := strings.NewReplacer(`["x86_64"]`, `["i686", "x86_64"]`, `["hello", "tools"]`, `["hello"]`,
		"  debuginfo = true\n", "  debuginfo = true\n  closure   = \"off\" # the corpus holds no libc\n").Replace(treesConfig)
	p := newProject(t, map[string]string{"main.hcl": cfg}, nil)
	if err := os.MkdirAll(p.path("rpms"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"hello-1.0-1.i386.rpm", "hello-1.0-1.src.rpm", "hello-2.0-1.x86_64.rpm"} {
		if err := os.Symlink(filepath.Join(corpus, f), p.path("rpms", f)); err != nil {
			t.Fatal(err)
		}
	}
	p.ok("init")
	_, stderr, _ := p.run("plan")
	contains(t, "plan", stderr, "hello-2.0-1.src.rpm, the source package of hello-2.0-1.x86_64, is in no source")
	p.ok("apply", "-auto-approve")
	out, ok := sdktest.DNF(t, map[string]string{"src": p.path("out", "latest", "compose", "v", "source", "tree")},
		"repoquery", "--arch=src", "--qf", "%{name}-%{version}-%{release}.%{arch}")
	if !ok || strings.TrimSpace(out) != "hello-1.0-1.src" {
		t.Errorf("dnf repoquery --arch=src on the source tree: %q", out)
	}
	contains(t, "rpms.json", p.read("out", "latest", "compose", "metadata", "rpms.json"), `"i686": {
          "hello-0:1.0-1.src": {`)
}
