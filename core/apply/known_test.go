package apply

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/strata-build/strata/core/pkgset"
)

// A built file linked from a package is known by the digest strata
// recorded for the package, until the package file changes; a copy is
// not known.
func TestPackageDigests(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a-1-1.noarch.rpm")
	if err := os.WriteFile(path, []byte("package"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	pkg := &pkgset.Package{Name: "a", Location: path, Size: fi.Size(),
		FileMTime: fi.ModTime().UnixNano(), FileInode: fi.Sys().(*syscall.Stat_t).Ino}
	pkg.SetSHA256("recorded")
	known := packageDigests(&pkgset.Set{ByArch: map[string][]*pkgset.Package{"noarch": {pkg}}})

	link, copied := filepath.Join(dir, "link"), filepath.Join(dir, "copy")
	if err := os.Link(path, link); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copied, []byte("package"), 0o644); err != nil {
		t.Fatal(err)
	}
	digest := func(p string) string {
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		sum, _ := known(p, fi)
		return sum
	}
	if got := digest(link); got != "recorded" {
		t.Errorf("a link of the package: %q, want the recorded digest", got)
	}
	if got := digest(copied); got != "" {
		t.Errorf("a copy of the package: %q, want none", got)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if got := digest(link); got != "" {
		t.Errorf("a link of a package changed since it was hashed: %q, want none", got)
	}
}
