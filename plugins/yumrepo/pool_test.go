package yumrepo

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/sdktest"
)

// When strata places package files (PoolPackages), the plugin writes the
// same metadata and names each package's place instead of linking it.
func TestPoolPackages(t *testing.T) {
	rpms := t.TempDir()
	if err := sdktest.WriteRPMs(rpms, contentRPMs); err != nil {
		t.Fatal(err)
	}
	pkgs := pkgsOf(t, rpms, nil)
	linked, _ := build(t, &sdk.BuildRequest{Packages: pkgs}, nil)
	pooled, res := build(t, &sdk.BuildRequest{Packages: pkgs, PoolPackages: true}, nil)
	for _, name := range []string{"repodata/repomd.xml", ".treeinfo"} {
		want, _ := os.ReadFile(filepath.Join(linked, name))
		got, err := os.ReadFile(filepath.Join(pooled, name))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s differs from a build that links the packages: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(pooled, "Packages")); !os.IsNotExist(err) {
		t.Errorf("the pooled build wrote Packages: %v", err)
	}
	if len(res.PackageFiles) != len(pkgs) {
		t.Fatalf("%d package files named for %d packages: %v", len(res.PackageFiles), len(pkgs), res.PackageFiles)
	}
	for _, p := range pkgs {
		if sum := res.PackageFiles["x86_64/"+href(filename(p))]; sum != p.SHA256 {
			t.Errorf("%s: named %q, want its sha256", p.NEVRA(), sum)
		}
	}
	for _, f := range res.Manifest {
		if _, ok := res.PackageFiles[f.Path]; ok {
			t.Errorf("the manifest lists %s, a package file", f.Path)
		}
	}
}
