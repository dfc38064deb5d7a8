package yumrepo

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/sdktest"
)

// queries cover every field dnf shows of a package.
var queries = [][]string{
	{"--qf", "%{name}|%{epoch}|%{version}|%{release}|%{arch}|%{evr}|%{sourcerpm}|%{buildtime}|%{size}|%{downloadsize}|%{installsize}|%{license}|%{url}|%{summary}"},
	{"--qf", "%{name}.%{arch}: %{description}"},
	{"--qf", "%{name}.%{arch} provides %{provides}"},
	{"--qf", "%{name}.%{arch} requires %{requires}"},
	{"--qf", "%{name}.%{arch} conflicts %{conflicts}"},
	{"--qf", "%{name}.%{arch} obsoletes %{obsoletes}"},
	{"--recommends"}, {"--suggests"}, {"--supplements"}, {"--enhances"},
	{"--list"}, {"--changelogs"},
	{"--qf", "%{name}.%{arch}", "--whatprovides", "/usr/bin/*"},
}

// repoquery runs every query against one repository.
func repoquery(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, q := range queries {
		text, ok := sdktest.DNF(t, map[string]string{"r": dir}, append([]string{"repoquery", "--arch=x86_64,noarch,src,i386,i686"}, q...)...)
		if !ok {
			t.Fatalf("dnf repoquery %v: %s", q, text)
		}
		out = append(out, strings.Join(q, " ")+"\n"+text)
	}
	return out
}

// copyRPMs copies the RPM files of src into a new directory.
func copyRPMs(t *testing.T, src string, skip ...string) string {
	t.Helper()
	dst := t.TempDir()
	entries, _ := os.ReadDir(src)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".rpm") || slices.Contains(skip, e.Name()) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// dnf repoquery shows the same packages, with every field the same, in
// our repository and in one createrepo_c makes of the same RPMs: the
// shared test RPMs, and 500 generated ones with realistic dependencies.
func TestRepoqueryMatchesCreaterepo(t *testing.T) {
	shared := filepath.Join(sdktest.SharedTestdata(t), "rpms")
	for _, c := range []struct {
		name string
		dir  func(t *testing.T) string
	}{
		// obsolete-foo has foo's NEVRA; TestDuplicateNEVRA covers it.
		{"shared", func(t *testing.T) string { return copyRPMs(t, shared, "obsolete-foo-1.0-1.noarch.rpm") }},
		{"generated", func(t *testing.T) string { d := t.TempDir(); universe(t, d, 500); return d }},
	} {
		t.Run(c.name, func(t *testing.T) {
			rpms := c.dir(t)
			ours, _ := build(t, &sdk.BuildRequest{Packages: pkgsOf(t, rpms, nil)}, nil)
			theirs := copyRPMs(t, rpms)
			sdktest.Createrepo(t, theirs)
			want, got := repoquery(t, theirs), repoquery(t, ours)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("repoquery differs (-createrepo_c +ours):\n%s", diff)
			}
			if !strings.Contains(got[0], "|") || strings.Count(got[0], "\n") < 10 {
				t.Errorf("the query found too little:\n%s", got[0])
			}
		})
	}
}
