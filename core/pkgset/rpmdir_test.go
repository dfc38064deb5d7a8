package pkgset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/rpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

func writeRPM(t *testing.T, dir, name string, seed, size int) string {
	t.Helper()
	path, err := sdktest.BuildRPM(dir, sdktest.RPM{Name: name, Version: "1", Release: "1", BuildTime: 1,
		Files: genrpm.NoiseFiles(fmt.Sprint(name, seed), size)})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func fileDigest(t *testing.T, path string, n int64) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n >= 0 {
		b = b[:n]
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func loadDir(t *testing.T, dir, cache string) *Universe {
	t.Helper()
	u, diags := Load(context.Background(), []Source{{Type: "rpm_dir", Name: "local", Location: dir}}, Options{Dir: dir, CacheDir: cache})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return u
}

// A plan reads a large package's header only: the header's digest names
// it, and the file is hashed when an apply asks. A small one is hashed
// whole while its header is read.
func TestHeaderIdentity(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	small := writeRPM(t, dir, "small", 1, smallFile/2)
	large := writeRPM(t, dir, "large", 2, 2*smallFile)
	hdr, err := rpm.ReadFile(large)
	if err != nil {
		t.Fatal(err)
	}

	u := loadDir(t, dir, cache)
	byName := func(u *Universe, name string) *Package { return u.Names(name)[0] }
	s, l := byName(u, "small"), byName(u, "large")
	if s.SHA256() != fileDigest(t, small, -1) || s.HeaderSHA256() == "" {
		t.Errorf("small package: sha256 %q header %q, want the file's digest and a header digest", s.SHA256(), s.HeaderSHA256())
	}
	if l.SHA256() != "" {
		t.Errorf("the large package was hashed whole while planning")
	}
	if want := fileDigest(t, large, hdr.HeaderEnd); l.HeaderSHA256() != want || l.Identity() != want {
		t.Errorf("large package: header digest %q, identity %q, want %q", l.HeaderSHA256(), l.Identity(), want)
	}

	// As an apply does: the package copied out of the universe, which
	// is let go, then hashed, and the digest saved in the package list.
	digests := u.Digests()
	set := &Set{Arches: []string{"x86_64"}, ByArch: map[string][]*Package{"x86_64": {l}}}
	if err := Detach([]*Set{set}, nil); err != nil {
		t.Fatal(err)
	}
	copied := set.ByArch["x86_64"][0]
	if err := digests.Hash(set.All()); err != nil {
		t.Fatal(err)
	}
	if copied.SHA256() != fileDigest(t, large, -1) {
		t.Errorf("after Hash: sha256 %q, want the file's %q", copied.SHA256(), fileDigest(t, large, -1))
	}
	if err := digests.Save(); err != nil {
		t.Fatal(err)
	}
	again := loadDir(t, dir, cache)
	if again.HeadersRead != 0 || byName(again, "large").SHA256() != copied.SHA256() || !byName(again, "large").Verified {
		t.Errorf("from the cache: %d headers read, sha256 %q; want none read and %q, verified", again.HeadersRead, byName(again, "large").SHA256(), copied.SHA256())
	}

	// Another payload under the same name and version is another package.
	writeRPM(t, dir, "large", 3, 2*smallFile)
	changed := byName(loadDir(t, dir, cache), "large")
	if changed.HeaderSHA256() == l.HeaderSHA256() || changed.SHA256() != "" {
		t.Errorf("new payload: header digest %q (was %q), sha256 %q", changed.HeaderSHA256(), l.HeaderSHA256(), changed.SHA256())
	}
}

// A package file rewritten between the plan and the apply is not hashed
// as if it were the one planned.
func TestHashRefusesChangedFile(t *testing.T) {
	dir := t.TempDir()
	large := writeRPM(t, dir, "large", 2, 2*smallFile)
	u := loadDir(t, dir, t.TempDir())
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(large, later, later); err != nil {
		t.Fatal(err)
	}
	err := u.Digests().Hash(u.Packages)
	if err == nil || !strings.Contains(err.Error(), filepath.Base(large)+" changed since its header was read") {
		t.Fatalf("Hash = %v, want an error naming the changed file", err)
	}
	if u.Packages[0].SHA256() != "" {
		t.Error("a changed file was given a digest")
	}
}

// A source whose path is a symbolic link to a directory is read through
// it; below it, links to files are packages, links to directories are
// not followed.
func TestScanDirFollowsASymlinkedRoot(t *testing.T) {
	base := t.TempDir()
	real := filepath.Join(base, "compose-1")
	for _, name := range []string{"a.rpm", "sub/b.rpm", "notes.txt"} {
		p := filepath.Join(real, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		filepath.Join(base, "latest"): "compose-1", filepath.Join(real, "link.rpm"): "a.rpm", filepath.Join(real, "loop"): ".",
	} {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	got, linked, err := scanDir(filepath.Join(base, "latest"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.rpm", "link.rpm", "sub/b.rpm"}
	for i := range want {
		want[i] = filepath.Join(base, "latest", want[i])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scanDir (-want +got):\n%s", diff)
	}
	if len(linked) != 0 {
		t.Errorf("links inside the tree lead outside it: %v", linked)
	}
}

// A first load compacts the packages it reads, a batch at a time: they
// come out as a load without a cache reads them, their details in a
// list's file, and no batch list is left behind.
func TestFirstLoadCompacts(t *testing.T) {
	defer func(n int) { compactBatch = n }(compactBatch)
	compactBatch = 16
	dir, cache := t.TempDir(), t.TempDir()
	var specs []genrpm.Spec
	for i := range 40 {
		specs = append(specs, genrpm.Spec{Name: fmt.Sprintf("pkg%02d", i), Version: "1", Release: "1", Arch: "x86_64",
			Requires: []string{"/bin/sh", fmt.Sprintf("pkg%02d >= 1", (i+1)%40)}, Provides: []string{fmt.Sprintf("libpkg%02d.so.1()(64bit)", i)},
			Files: genrpm.NoiseFiles(fmt.Sprint(i), 100)})
	}
	if err := genrpm.Write(dir, specs); err != nil {
		t.Fatal(err)
	}
	plainU := loadDir(t, dir, "")
	u := loadDir(t, dir, cache)
	if u.HeadersRead != 40 {
		t.Errorf("%d headers read, want 40", u.HeadersRead)
	}
	for _, p := range u.Packages {
		if p.from == nil {
			t.Fatalf("%s was not compacted", p.Name)
		}
	}
	if diff := cmp.Diff(plainOf(plainU.Packages), plainOf(u.Packages), cmp.AllowUnexported(detail{})); diff != "" {
		t.Errorf("compacted packages differ from those read (-read +compacted):\n%s", diff)
	}
	warm := loadDir(t, dir, cache)
	if diff := cmp.Diff(plainOf(plainU.Packages), plainOf(warm.Packages), cmp.AllowUnexported(detail{})); warm.HeadersRead != 0 || diff != "" {
		t.Errorf("from the list, %d headers read; differences (-read +list):\n%s", warm.HeadersRead, diff)
	}
	err := filepath.WalkDir(cache, func(path string, d os.DirEntry, err error) error {
		if strings.HasPrefix(d.Name(), ".batch-") || strings.HasPrefix(d.Name(), ".tmp-") {
			t.Errorf("left behind: %s", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
