package iso9660

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/sdktest"
)

// FromDir gives files the modes xorriso's -rational-rock gives them,
// whatever the directory's own modes, and isoinfo reads them so: a tree
// kept read-only (a store entry) and one kept writable make one image.
func TestFromDirRationalModes(t *testing.T) {
	images := map[string]string{}
	for _, perm := range []fs.FileMode{0o600, 0o444} {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "sub"), 0o700)
		for name, mode := range map[string]fs.FileMode{"sub/data": perm, "run": perm | 0o100} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(name), mode); err != nil {
				t.Fatal(err)
			}
			os.Chmod(filepath.Join(dir, name), mode)
		}
		tree, err := FromDir(dir, "")
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]fs.FileMode{"sub": fs.ModeDir | 0o555, "sub/data": 0o444, "run": 0o555}
		for _, f := range tree {
			if f.Mode != want[f.Path] || f.UID != 0 || f.GID != 0 {
				t.Errorf("%o: %s has mode %v, owner %d:%d; want %v, root", perm, f.Path, f.Mode, f.UID, f.GID, want[f.Path])
			}
		}
		path, _ := writeImage(t, tree, Options{VolumeID: "MODES", Time: stamp})
		sum, err := files.SHA256(path)
		if err != nil {
			t.Fatal(err)
		}
		images[sum] = path
	}
	if len(images) != 1 {
		t.Errorf("a read-only and a writable tree make %d different images", len(images))
	}
	for _, iso := range images {
		l := sdktest.Run(t, "isoinfo", "-R", "-l", "-i", iso)
		for _, want := range []string{"-r--r--r--", "-r-xr-xr-x", "dr-xr-xr-x"} {
			if !strings.Contains(l, want) {
				t.Errorf("isoinfo -R -l lacks %s:\n%s", want, l)
			}
		}
	}
}
