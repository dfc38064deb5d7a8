package command_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk/sdktest"
)

const everythingConfig = `
compose {
  name    = "T"
  version = "1"
  arches  = ["x86_64"]
}
source "rpm_dir" "tag" {
  path = "./rpms"
}
artifact "yumrepo" "everything" {
  packages = ["*"]
}
variant "hello" {
  packages = ["hello*"]
}
artifact "yumrepo" "hello" {
  variant = variant.hello
}
`

// packages = ["*"] is Pungi's Everything variant: every package of the
// build tag at its newest, but the debuginfo and source packages, whose
// trees are their own. dnf reads what the repositories hold; a glob that
// matches nothing, or is not one, is an error at its line.
func TestEverythingGlob(t *testing.T) {
	p := newProject(t, map[string]string{"main.hcl": everythingConfig}, treeSpecs())
	p.ok("init")
	contains(t, "plan", p.ok("plan"), "yumrepo.everything  (build, yumrepo 0.2.0, 5 packages)", "3 packages (2 listed, 1 pulled in)")
	p.ok("apply", "-auto-approve")
	query := func(repo string) []string {
		t.Helper()
		out, ok := sdktest.DNF(t, map[string]string{"r": p.path("out", "latest", "compose", repo, "x86_64", "os")},
			"repoquery", "--qf", "%{name}-%{version}-%{release}.%{arch}")
		if !ok {
			t.Fatalf("dnf repoquery on %s:\n%s", repo, out)
		}
		got := strings.Fields(out)
		sort.Strings(got)
		return got
	}
	if diff := cmp.Diff([]string{"common-data-1-1.noarch", "hello-2.0-1.x86_64", "hello-libs-2.0-1.x86_64", "other-1-1.x86_64", "tools-1-1.x86_64"},
		query("everything")); diff != "" {
		t.Errorf("dnf repoquery on everything (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"common-data-1-1.noarch", "hello-2.0-1.x86_64", "hello-libs-2.0-1.x86_64"}, query("hello")); diff != "" {
		t.Errorf("dnf repoquery on hello (-want +got):\n%s", diff)
	}

	p.write(map[string]string{"main.hcl": strings.Replace(everythingConfig, `"hello*"`, `"ruby*"`, 1)})
	contains(t, "plan", p.fails(1, "plan"), "Package not found", `No source holds a package whose name matches "ruby*"`, "main.hcl line 14")
	p.write(map[string]string{"main.hcl": strings.Replace(everythingConfig, `"hello*"`, `"hello[-"`, 1)})
	contains(t, "validate", p.fails(1, "validate"), "Invalid glob in packages", `"hello[-" is not a glob`, "main.hcl line 14")
}
