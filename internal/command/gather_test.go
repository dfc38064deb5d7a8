package command_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

// gatherSpecs is a build tag in small: the listed packages need
// libraries by soname, -libs and -common subpackages, a file, a
// capability three packages provide, versioned and epoch'd provides, rich
// dependencies, a weak dependency, and one obsoleted package.
var gatherSpecs = []genrpm.Spec{
	{Name: "app", Version: "1.0", Arch: "x86_64", Requires: []string{"libfoo.so.1()(64bit)", "tool", "/usr/bin/interp", "mta", "bar >= 2", "baz >= 1:1.0", "(libgl or libgl-sw)", "(app-plugin-x if x-server)"},
		Recommends: []string{"app-doc"}},
	{Name: "libfoo", Version: "1.2", Arch: "x86_64", Provides: []string{"libfoo.so.1()(64bit)"}},
	{Name: "libfoo", Version: "1.1", Arch: "x86_64", Provides: []string{"libfoo.so.1()(64bit)"}},
	{Name: "tool", Version: "3", Arch: "x86_64", Requires: []string{"tool-libs = 3-1"}},
	{Name: "tool-libs", Version: "3", Arch: "x86_64", Requires: []string{"tool-common"}},
	{Name: "tool-common", Version: "3"},
	{Name: "interp", Version: "5", Arch: "x86_64", Files: []sdktest.File{{Path: "/usr/bin/interp", Body: "#!/bin/sh\n", Mode: 0o755}}},
	{Name: "exim", Version: "4", Arch: "x86_64", Provides: []string{"mta"}},
	{Name: "postfix", Version: "3", Arch: "x86_64", Provides: []string{"mta"}},
	{Name: "sendmail", Version: "8", Arch: "x86_64", Provides: []string{"mta"}},
	{Name: "bar", Version: "1", Arch: "x86_64"},
	{Name: "bar", Version: "2", Arch: "x86_64"},
	{Name: "baz", Version: "2.0", Arch: "x86_64"},
	{Name: "baz", Version: "1.0", Epoch: 1, Arch: "x86_64"},
	{Name: "libgl", Version: "1", Arch: "x86_64"},
	{Name: "libgl-sw", Version: "1", Arch: "x86_64"},
	{Name: "app-plugin-x", Version: "1", Arch: "x86_64"},
	{Name: "x-server", Version: "1", Arch: "x86_64"},
	{Name: "app-doc", Version: "1"},
	{Name: "oldlib", Version: "1", Arch: "x86_64", Provides: []string{"libcompat"}},
	{Name: "newlib", Version: "2", Arch: "x86_64", Provides: []string{"libcompat"}, Obsoletes: []string{"oldlib < 2"}},
	{Name: "legacy", Version: "1", Arch: "x86_64", Requires: []string{"libcompat"}},
	{Name: "unrelated", Version: "1", Arch: "x86_64"},
}

const gatherConfig = `
compose {
  name    = "G"
  version = "1"
  arches  = ["x86_64"]
}
source "rpm_dir" "tag" {
  path = "./rpms"
}
module "m" {
  packages = ["app", "newlib", "legacy"]
}
variant "v" {
  modules = [module.m]
}
artifact "yumrepo" "os" {
  variant = variant.v
}
`

// Gathering completes a module's listed packages from the tag, and dnf
// judges the result: the composed repository is closed (dnf repoclosure
// prints nothing), and dnf installs the listed packages from it exactly
// as from the whole tag. strata why explains a pulled-in package, and
// lineage.json says what pulled each in.
func TestGatherJudgedByDNF(t *testing.T) {
	p := newProject(t, map[string]string{"main.hcl": gatherConfig}, gatherSpecs)
	p.ok("init")
	out := p.ok("plan")
	contains(t, "plan", out, "(3 listed, 10 pulled in)")
	p.ok("apply", "-auto-approve")
	repo := p.path("out", "latest", "compose", "v", "x86_64", "os")
	if unresolved := sdktest.Repoclosure(t, repo); len(unresolved) != 0 {
		t.Errorf("dnf repoclosure on the composed repository: %v", unresolved)
	}
	whole := wholeTag(t, p)
	listed := []string{"app", "newlib", "legacy"}
	ours, theirs := dnfInstalls(t, repo, listed, false), dnfInstalls(t, whole, listed, false)
	if diff := cmp.Diff(theirs, ours); diff != "" {
		t.Errorf("dnf installs other packages from the composed repository than from the whole tag (-tag +composed):\n%s", diff)
	}
	for _, want := range []string{"libfoo-1.2-1.x86_64", "tool-common-3-1.noarch", "interp-5-1.x86_64", "exim-4-1.x86_64",
		"bar-2-1.x86_64", "baz-1:1.0-1.x86_64", "libgl-1-1.x86_64"} {
		if !slices.Contains(ours, want) {
			t.Errorf("dnf does not install %s: %v", want, ours)
		}
	}
	// (app-plugin-x if x-server): dnf installs it only beside x-server,
	// but dnf repoclosure asks for it whatever, so the repository holds it.
	rpms := p.read("out", "latest", "compose", "metadata", "rpms.json")
	contains(t, "rpms.json", rpms, `"app-plugin-x-0:1-1.x86_64"`)
	for _, absent := range []string{"oldlib", "sendmail", "postfix", "unrelated", "x-server", "libgl-sw", "app-doc"} {
		if strings.Contains(rpms, "\""+absent+"-") {
			t.Errorf("%s was pulled in", absent)
		}
	}
	if why := p.ok("why", "artifact.yumrepo.os", "tool-common"); strings.TrimSpace(why) != "tool-common ← requires tool-common ← tool-libs ← requires tool-libs = 3-1 ← tool ← requires tool ← app ← module m" {
		t.Errorf("strata why: %q", why)
	}
	lineage := p.read("out", "latest", "compose", "metadata", "lineage.json")
	contains(t, "lineage.json", lineage, `"pulled_in_by": {`, `"nevra": "tool-libs-3-1.x86_64"`, `"requires": "tool-common"`, `"for_modules": [`)
}

// wholeTag is a repository of every package of the project's source, as
// createrepo_c writes it: what dnf resolves against to judge a gather.
func wholeTag(t *testing.T, p *project) string {
	t.Helper()
	whole := t.TempDir()
	entries, _ := os.ReadDir(p.path("rpms"))
	for _, e := range entries {
		if err := os.Link(p.path("rpms", e.Name()), filepath.Join(whole, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	sdktest.Createrepo(t, whole)
	return whole
}

// dnfInstalls lists, sorted, the NEVRAs dnf would install for names from
// one repository, with weak dependencies on or off.
func dnfInstalls(t *testing.T, repo string, names []string, weak bool) []string {
	t.Helper()
	var args []string
	for _, a := range sdktest.DNFArgs(map[string]string{"r": repo}, t.TempDir()) {
		if a != "-q" { // quiet, dnf does not print the transaction
			args = append(args, a)
		}
	}
	args = append(append(args, "--installroot="+t.TempDir(), fmt.Sprintf("--setopt=install_weak_deps=%v", weak), "install", "--assumeno"), names...)
	outb, _ := exec.Command(sdktest.NeedTool(t, "dnf"), args...).CombinedOutput()
	out := string(outb)
	var got []string
	s := bufio.NewScanner(strings.NewReader(out))
	in := false
	for s.Scan() {
		line := s.Text()
		switch {
		case line != "" && line[0] != ' ':
			in = strings.HasPrefix(line, "Installing")
		case in:
			f := strings.Fields(line)
			if len(f) >= 3 {
				got = append(got, f[0]+"-"+f[2]+"."+f[1])
			}
		}
	}
	if len(got) == 0 {
		t.Fatalf("dnf install --assumeno listed nothing:\n%s", out)
	}
	sort.Strings(got)
	return got
}

// What gathering cannot meet is a closure problem that says why: the only
// provider obsoleted by, or conflicting with, a listed package, or
// excluded. greedy = "all" takes every provider; gather = "none" none.
func TestGatherProblems(t *testing.T) {
	specs := []genrpm.Spec{
		{Name: "a", Version: "1", Requires: []string{"oldapi"}},
		{Name: "new", Version: "2", Obsoletes: []string{"old < 2"}},
		{Name: "old", Version: "1", Provides: []string{"oldapi"}},
		{Name: "b", Version: "1", Requires: []string{"clashing"}},
		{Name: "c", Version: "1", Conflicts: []string{"clashing"}},
		{Name: "clash", Version: "1", Provides: []string{"clashing"}},
		{Name: "d", Version: "1", Requires: []string{"debugger"}},
		{Name: "gdb-debug", Version: "1", Provides: []string{"debugger"}},
		{Name: "e", Version: "1", Requires: []string{"mta"}},
		{Name: "exim", Version: "1", Provides: []string{"mta"}},
		{Name: "postfix", Version: "1", Provides: []string{"mta"}},
		{Name: "w", Version: "1", Recommends: []string{"w-extras"}},
		{Name: "w-extras", Version: "1"},
		{Name: "cyc", Version: "1", Requires: []string{"cyc-a"}},
		{Name: "cyc-a", Version: "1", Requires: []string{"cyc-b"}},
		{Name: "cyc-b", Version: "1", Requires: []string{"cyc-a"}},
		{Name: "bad", Version: "1", Requires: []string{"(cyc or"}},
		{Name: "lonely", Version: "1", Requires: []string{"nothing-provides-this >= 2"}},
	}
	for _, tc := range []struct {
		body, want string
		code       int
	}{
		{`packages = ["a", "new"]`, "a-1-1.noarch (x86_64) requires oldapi, and no provider can be pulled in: old-1-1.noarch is obsoleted by a package of the artifact", 1},
		{`packages = ["b", "c"]`, "b-1-1.noarch (x86_64) requires clashing, and no provider can be pulled in: clash-1-1.noarch conflicts with c-1-1.noarch", 1},
		{"packages = [\"d\"]\n  exclude = [\"*-debug\"]", `d-1-1.noarch (x86_64) requires debugger, and no provider can be pulled in: gdb-debug-1-1.noarch is excluded by "*-debug"`, 1},
		{"packages = [\"e\"]\n  greedy = \"all\"", "(1 listed, 2 pulled in)", 0},
		{`packages = ["e"]`, "(1 listed, 1 pulled in)", 0},
		{"packages = [\"e\"]\n  gather = \"none\"", "e-1-1.noarch (x86_64) requires mta, which nothing in the artifact provides", 1},
		{"packages = [\"w\"]\n  weak_deps = true", "(1 listed, 1 pulled in)", 0},
		{"packages = [\"w\"]", "(build, probe 0.1.0, 1 packages)", 0},
		{`packages = ["cyc"]`, "(1 listed, 2 pulled in)", 0},
		{`packages = ["bad"]`, `bad-1-1.noarch (x86_64): rich dependency "(cyc or"`, 1},
		{`packages = ["lonely"]`, "lonely-1-1.noarch (x86_64) requires nothing-provides-this >= 2, which nothing in the artifact provides", 1},
	} {
		p := newProject(t, map[string]string{"main.hcl": "source \"rpm_dir\" \"tag\" {\n  path = \"./rpms\"\n}\nartifact \"probe\" \"x\" {\n  " + tc.body + "\n}\n"}, specs)
		p.ok("init")
		stdout, stderr, code := p.run("plan")
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", tc.body, code, tc.code, stdout, stderr)
		}
		contains(t, tc.body, stdout+stderr, tc.want)
	}
}

// With weak_deps = true gathering follows Recommends, and adds packages
// whose Supplements the set meets, as dnf with install_weak_deps does:
// dnf installs the same packages from the composed repository as from
// the whole tag.
func TestWeakDepsJudgedByDNF(t *testing.T) {
	specs := []genrpm.Spec{
		{Name: "editor", Version: "1", Arch: "x86_64", Recommends: []string{"editor-spell"}},
		{Name: "editor-spell", Version: "1"},
		{Name: "editor-lang", Version: "1", Supplements: []string{"editor"}},
		{Name: "editor-theme", Version: "1", Supplements: []string{"(editor and desktop)"}},
		{Name: "desktop", Version: "1"},
	}
	p := newProject(t, map[string]string{"main.hcl": `
source "rpm_dir" "tag" {
  path = "./rpms"
}
variant "v" {
  packages = ["editor"]
}
artifact "yumrepo" "os" {
  variant   = variant.v
  weak_deps = true
}
`}, specs)
	p.ok("init")
	contains(t, "plan", p.ok("plan"), "(1 listed, 2 pulled in)")
	p.ok("apply", "-auto-approve")
	repo := p.path("out", "latest", "compose", "v", "x86_64", "os")
	whole := wholeTag(t, p)
	ours, theirs := dnfInstalls(t, repo, []string{"editor"}, true), dnfInstalls(t, whole, []string{"editor"}, true)
	if diff := cmp.Diff(theirs, ours); diff != "" {
		t.Errorf("dnf installs other packages from the composed repository than from the whole tag (-tag +composed):\n%s", diff)
	}
	if want := []string{"editor-1-1.x86_64", "editor-lang-1-1.noarch", "editor-spell-1-1.noarch"}; !cmp.Equal(want, ours) {
		t.Errorf("dnf installs %v, want %v", ours, want)
	}
}

// multilib = ["runtime"] adds the i686 build of the x86_64 artifact's
// libraries (not of its programs), and gathers what they need; "devel"
// adds -devel packages too. dnf installs libfoo.i686 from the composed
// repository.
func TestMultilibJudgedByDNF(t *testing.T) {
	lib := func(name, a, dir string, requires ...string) genrpm.Spec {
		so := "lib" + name + ".so.1"
		provide := so
		if a == "x86_64" {
			provide += "()(64bit)"
		}
		return genrpm.Spec{Name: name, Version: "1", Arch: a, Provides: []string{provide}, Requires: requires,
			Files: []sdktest.File{{Path: dir + "/" + so, Body: "ELF " + a, Mode: 0o755}}}
	}
	specs := []genrpm.Spec{
		{Name: "app", Version: "1", Arch: "x86_64", Requires: []string{"libfoo.so.1()(64bit)"}},
		{Name: "app", Version: "1", Arch: "i686"},
		lib("foo", "x86_64", "/usr/lib64", "libbar.so.1()(64bit)"),
		lib("foo", "i686", "/usr/lib", "libbar.so.1"),
		lib("bar", "x86_64", "/usr/lib64"),
		lib("bar", "i686", "/usr/lib"),
		{Name: "foo-devel", Version: "1", Arch: "x86_64", Requires: []string{"foo = 1-1"}},
		{Name: "foo-devel", Version: "1", Arch: "i686", Requires: []string{"foo = 1-1"}},
	}
	for _, tc := range []struct {
		methods, want string
		has           []string
	}{
		{`["runtime"]`, "(1 listed, 4 pulled in, 2 of them multilib)", []string{"foo-1-1.i686", "bar-1-1.i686"}},
		{`["devel"]`, "(2 listed, 5 pulled in, 3 of them multilib)", []string{"foo-devel-1-1.i686", "foo-1-1.i686", "bar-1-1.i686"}},
	} {
		p := newProject(t, map[string]string{"main.hcl": `
compose {
  name    = "M"
  version = "1"
  arches  = ["x86_64"]
}
source "rpm_dir" "tag" {
  path = "./rpms"
}
variant "v" {
  packages = ["app"` + map[bool]string{true: `, "foo-devel"`, false: ""}[tc.methods == `["devel"]`] + `]
  multilib = ` + tc.methods + `
}
artifact "yumrepo" "os" {
  variant = variant.v
}
`}, specs)
		p.ok("init")
		contains(t, tc.methods, p.ok("plan"), tc.want)
		p.ok("apply", "-auto-approve")
		repo := p.path("out", "latest", "compose", "v", "x86_64", "os")
		rpms := p.read("out", "latest", "compose", "metadata", "rpms.json")
		for _, h := range tc.has {
			name, rest, _ := strings.Cut(h, "-1-1.")
			contains(t, "rpms.json", rpms, `"`+name+`-0:1-1.`+rest+`"`)
		}
		if strings.Contains(rpms, `"app-0:1-1.i686"`) {
			t.Errorf("%s: the i686 build of app, a program, was added", tc.methods)
		}
		if unresolved := sdktest.Repoclosure(t, repo); len(unresolved) != 0 {
			t.Errorf("%s: repoclosure: %v", tc.methods, unresolved)
		}
		got := dnfInstalls(t, repo, []string{"foo.i686"}, false)
		if !slices.Contains(got, "foo-1-1.i686") || !slices.Contains(got, "bar-1-1.i686") {
			t.Errorf("%s: dnf install foo.i686 from the composed repository: %v", tc.methods, got)
		}
	}
}
