package pkgset

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/strata-build/strata/sdk/rpm"
)

// A record gives back every field read from a file; a cut or foreign
// record is a miss, never a wrong package.
func TestCacheRecord(t *testing.T) {
	p := &Package{Name: "bash", Epoch: 2, Version: "5.2", Release: "1.fc41", Arch: "x86_64",
		SHA256: "aa", HeaderSHA256: "bb", BuildTime: -5, HasScriptlets: true, Files: "/usr/bin/bash\n/usr/bin/sh",
		PayloadDigest: "cc", HeaderEnd: 12345, Verified: true, Damaged: "payload cut", SigKey: "0123456789abcdef",
		Provides: []rpm.Dependency{{Name: "bash", Flags: rpm.SenseEqual, Version: "2:5.2-1.fc41"}, {Name: "/bin/sh"}},
		Requires: []rpm.Dependency{{Name: "(glibc or musl)"}}, Obsoletes: []rpm.Dependency{{Name: "bash2", Flags: rpm.SenseLess, Version: "5"}},
		Conflicts: []rpm.Dependency{{Name: "zsh-compat"}}, Recommends: []rpm.Dependency{{Name: "bash-doc"}}, Supplements: []rpm.Dependency{{Name: "(bash and x)"}}}
	rec := encodePackage(p)
	got, ok := decodePackage(rec, newInterner())
	if !ok || !reflect.DeepEqual(got, p) {
		t.Fatalf("decoded %+v (%v), want %+v", got, ok, p)
	}
	for n := range len(rec) {
		if _, ok := decodePackage(rec[:n], nil); ok {
			t.Errorf("a record cut to %d of %d bytes decoded", n, len(rec))
		}
	}
	if _, ok := decodePackage(append(rec, 0), nil); ok {
		t.Error("a record with a byte too many decoded")
	}
	other := append([]byte{cacheVersion + 1}, rec[1:]...)
	if _, ok := decodePackage(other, nil); ok {
		t.Error("a record of another version decoded")
	}
}

// The cache of earlier versions is removed, and a record put for a file
// in one state is not found for another.
func TestCacheKeys(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "headers.gob")
	if err := os.WriteFile(old, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "headers.pack")
	c := loadCache(path)
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the old cache is still there: %v", err)
	}
	s := stamp{size: 10, mtime: 20, inode: 30}
	c.put("/r/a.rpm", s, &Package{Name: "a"})
	if err := c.save(); err != nil {
		t.Fatal(err)
	}
	c = loadCache(path)
	if p := c.get("/r/a.rpm", s); p == nil || p.Name != "a" || p.Location != "/r/a.rpm" {
		t.Errorf("get = %+v", p)
	}
	for _, other := range []stamp{{11, 20, 30}, {10, 21, 30}, {10, 20, 31}} {
		if p := c.get("/r/a.rpm", other); p != nil {
			t.Errorf("found for %+v", other)
		}
	}
}
