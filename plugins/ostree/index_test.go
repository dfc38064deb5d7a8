package ostree

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/rpm"
	"github.com/zclconf/go-cty/cty"
)

// With a cache directory, a commit on the previous one reads only the
// payloads of packages that bring a file the repository lacks: with the
// kernel's payload cut off, the commit is the one a build from whole
// packages without the index makes. Without the previous repository the
// index names objects the new one lacks, so the payload is read, and the
// build fails naming it.
func TestContentIndex(t *testing.T) {
	config := attrs(map[string]cty.Value{"ref": cty.StringVal(testRef)})
	pkgs := hostPackages(t)
	cache := t.TempDir()
	req := request(t, config, pkgs, "")
	req.CacheDir = cache
	if _, err := run(t, req); err != nil {
		t.Fatal(err)
	}
	dir1 := req.OutputDir
	next := updateTools(t, pkgs)
	want, _ := mustBuild(t, config, next, dir1)

	kernel := cutPayload(t, next, "kernel")
	req = request(t, config, next, dir1)
	req.CacheDir = cache
	res, err := run(t, req)
	if err != nil {
		t.Fatalf("with the index, a cut payload of an unchanged package was read: %v", err)
	}
	if got := res.Outputs.GetAttr("commit").AsString(); got != want {
		t.Errorf("with the index the commit is %s, without it %s", got, want)
	}
	ostree(t, "fsck", "--repo="+filepath.Join(req.OutputDir, repoDir))

	req = request(t, config, next, "")
	req.CacheDir = cache
	if _, err := run(t, req); err == nil || !strings.Contains(err.Error(), kernel) {
		t.Errorf("a fresh repository with the index: %v, want an error naming %s", err, kernel)
	}
}

// cutPayload cuts off the payload of the package named name, leaving its
// headers, and returns its path.
func cutPayload(t *testing.T, pkgs []sdk.Package, name string) string {
	t.Helper()
	for _, p := range pkgs {
		if p.Name != name {
			continue
		}
		h, err := rpm.ReadFile(p.Path)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(p.Path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p.Path, data[:h.HeaderEnd+4], 0o644); err != nil {
			t.Fatal(err)
		}
		return p.Path
	}
	t.Fatalf("no package %s", name)
	return ""
}
