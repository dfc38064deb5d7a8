package ostree

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/plugins/ostree/repo"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// Two builds, the second from the first's repository with one package
// changed: the ref's history has both commits, the second writes only
// the changed objects and leaves the first build's files as they were,
// pull-local copies the ref and a static delta between them is made.
func TestHistory(t *testing.T) {
	config := attrs(map[string]cty.Value{"ref": cty.StringVal(testRef)})
	pkgs := hostPackages(t)
	first, dir1 := mustBuild(t, config, pkgs, "")
	before := sdktest.ListTree(t, dir1)

	second, dir2 := mustBuild(t, config, updateTools(t, pkgs), dir1)
	if second == first {
		t.Fatal("a changed package gave the same commit")
	}
	repo2 := filepath.Join(dir2, repoDir)
	ostree(t, "fsck", "--repo="+repo2)
	log := ostree(t, "log", "--repo="+repo2, testRef)
	if !strings.Contains(log, "commit "+second) || !strings.Contains(log, "commit "+first) || strings.Index(log, second) > strings.Index(log, first) {
		t.Errorf("ostree log does not show %s then its parent %s:\n%s", second, first, log)
	}
	if diff := cmp.Diff(before, sdktest.ListTree(t, dir1)); diff != "" {
		t.Errorf("the second build changed the first build's files:\n%s", diff)
	}
	// Only what changed is new: the new ping, the rpm database and the
	// tmpfiles list (/var/log is gone with tools.log), the directories
	// above them and above the removed files (/, usr, usr/bin, usr/lib,
	// its sysimage/rpm and tmpfiles.d, usr/share), and the commit.
	fresh := newObjects(t, filepath.Join(dir1, repoDir), repo2)
	if fresh["filez"] != 3 || fresh["commit"] != 1 || fresh["dirtree"] != 8 || fresh["dirmeta"] != 0 {
		t.Errorf("new objects by type: %v", fresh)
	}

	pulled := filepath.Join(t.TempDir(), "pulled")
	ostree(t, "init", "--repo="+pulled, "--mode=archive")
	ostree(t, "pull-local", "--repo="+pulled, "--depth=1", repo2, testRef)
	ostree(t, "fsck", "--repo="+pulled)
	if rev := strings.TrimSpace(ostree(t, "rev-parse", "--repo="+pulled, testRef)); rev != second {
		t.Errorf("pulled ref is %s, want %s", rev, second)
	}
	ostree(t, "static-delta", "generate", "--repo="+pulled, "--from="+first, "--to="+second)
	if list := ostree(t, "static-delta", "list", "--repo="+pulled); !strings.Contains(list, first+"-"+second) {
		t.Errorf("static-delta list:\n%s", list)
	}
	if view := ostree(t, "summary", "--view", "--repo="+repo2); !strings.Contains(view, "* "+testRef) || !strings.Contains(view, second) {
		t.Errorf("summary:\n%s", view)
	}
}

// updateTools is pkgs with tools 2.0 updated to 2.1: a new ping, the
// log under /var and two files gone.
func updateTools(t *testing.T, pkgs []sdk.Package) []sdk.Package {
	t.Helper()
	next := sdktest.Packages(t, t.TempDir(), "x86_64", sdktest.RPM{Name: "tools", Version: "2.1", Release: "1", Arch: "x86_64",
		BuildTime: ts - 40, Requires: []string{"setup"}, Files: []sdktest.File{
			{Path: "/usr/bin/ping", Body: "ELF ping 2.1", Mode: 0o4755, Caps: "cap_net_raw=ep"},
			{Path: "/etc/tools.conf", Body: "verbose = 1\n", Config: true},
		}})
	for _, p := range pkgs {
		if p.Name != "tools" {
			next = append(next, p)
		}
	}
	return next
}

// newObjects counts the objects of b that a lacks, by type.
func newObjects(t *testing.T, a, b string) map[string]int {
	t.Helper()
	out := map[string]int{}
	err := filepath.WalkDir(filepath.Join(b, "objects"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(b, p)
		if _, err := os.Stat(filepath.Join(a, rel)); os.IsNotExist(err) {
			out[strings.TrimPrefix(filepath.Ext(p), ".")]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Same inputs give the same commit, object for object.
func TestReproducible(t *testing.T) {
	config := attrs(map[string]cty.Value{"ref": cty.StringVal(testRef), "body": cty.StringVal("two\nlines")})
	pkgs := hostPackages(t)
	a, dirA := mustBuild(t, config, pkgs, "")
	b, dirB := mustBuild(t, config, pkgs, "")
	if a != b {
		t.Fatalf("two builds gave commits %s and %s", a, b)
	}
	if diff := cmp.Diff(withoutTimes(sdktest.ListTree(t, dirA)), withoutTimes(sdktest.ListTree(t, dirB))); diff != "" {
		t.Errorf("two builds wrote different repositories (-first +second):\n%s", diff)
	}
}

func TestRefuses(t *testing.T) {
	if diags := (ostreeType{}).Validate(context.Background(), attrs(map[string]cty.Value{"ref": cty.StringVal("fedora//x86_64")})); !diags.HasErrors() ||
		!strings.Contains(diags.Err().Error(), `invalid ref "fedora//x86_64"`) {
		t.Errorf("a ref ostree rejects: %v", diags)
	}
	// A previous repository in another mode: an error, and nothing of it
	// changes.
	prev := t.TempDir()
	ostree(t, "init", "--repo="+filepath.Join(prev, repoDir), "--mode=bare-user")
	before := sdktest.ListTree(t, prev)
	_, _, err := build(t, attrs(map[string]cty.Value{"ref": cty.StringVal(testRef)}), hostPackages(t), prev)
	if err == nil || !strings.Contains(err.Error(), "the repository is in mode bare-user; strata writes archive repositories") {
		t.Errorf("building on a bare-user repository: %v", err)
	}
	if diff := cmp.Diff(before, sdktest.ListTree(t, prev)); diff != "" {
		t.Errorf("the bare-user repository changed:\n%s", diff)
	}
}

// A build that fails while writing objects (a payload cut short) leaves
// the ref at the previous commit, and the repository passes fsck.
func TestFailedCommitKeepsRef(t *testing.T) {
	config := attrs(map[string]cty.Value{"ref": cty.StringVal(testRef)})
	pkgs := hostPackages(t)
	first, dir1 := mustBuild(t, config, pkgs, "")

	broken := sdktest.Packages(t, t.TempDir(), "x86_64", sdktest.RPM{Name: "big", Version: "1", Release: "1", Arch: "x86_64",
		Files: []sdktest.File{{Path: "/usr/share/big", Body: strings.Repeat("not compressible? ", 1<<16)}}})
	data, err := os.ReadFile(broken[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(broken[0].Path, data[:len(data)-200], 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, err := build(t, config, append(pkgs, broken...), dir1)
	if err == nil {
		t.Fatal("a cut payload built")
	}
	r, err := repo.Open(filepath.Join(out, repoDir))
	if err != nil {
		t.Fatal(err)
	}
	if ref, _, _ := r.Ref(testRef); ref != first {
		t.Errorf("after a failed build the ref is %s, want the previous commit %s", ref, first)
	}
	ostree(t, "fsck", "--repo="+filepath.Join(out, repoDir))
}
