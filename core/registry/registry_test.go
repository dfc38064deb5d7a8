package registry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/internal/rig/testutil"
	"github.com/strata-build/strata/sdk/manifest"
)

// putEntry stores an entry of files (path → content; "->target" makes a
// symbolic link) under key.
func putEntry(t *testing.T, s *store.Store, key string, files map[string]string) {
	t.Helper()
	b, err := s.NewBuildDir(key)
	if err != nil {
		t.Fatal(err)
	}
	for p, body := range files {
		path := filepath.Join(b.Files, p)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if target, ok := strings.CutPrefix(body, "->"); ok {
			err = os.Symlink(target, path)
		} else {
			err = os.WriteFile(path, []byte(body), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	m, err := manifest.Scan(b.Files, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := &store.Entry{Key: key, Address: "artifact.test.a", Type: "test", Outputs: []byte(`{"value":{},"type":["object",{}]}`),
		Manifest: m, Lineage: []byte(`{"address": "artifact.test.a"}`), KeyInput: []byte(`{"type":"test"}`)}
	if err := s.Commit(b, e, store.Known{}); err != nil {
		t.Fatal(err)
	}
}

func key(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// An entry pushed from one store is fetched into another whole and
// verified; a file shared by two entries is one blob; a tampered blob is
// refused and leaves nothing behind; a registry that is down is named.
func TestPushAndFetch(t *testing.T) {
	reg := testutil.StartRegistry(t, testutil.FreePort(t))
	r, err := Open(fmt.Sprintf("127.0.0.1:%d/strata/test", reg.Port), true)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	local, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	k1, k2 := key("one"), key("two")
	pkgA := strings.Repeat("package a ", packLimit/5) // a blob of its own
	putEntry(t, local, k1, map[string]string{"x86_64/Packages/a.rpm": pkgA, "x86_64/repodata/repomd.xml": "<repomd/>",
		"x86_64/repodata/primary.xml": "<metadata/>", "latest": "->x86_64"})
	putEntry(t, local, k2, map[string]string{"Packages/a.rpm": pkgA})
	if has, err := r.Has(ctx, k1); err != nil || has {
		t.Fatalf("Has before a push: %v %v", has, err)
	}
	for _, k := range []string{k1, k2} {
		if err := r.Push(ctx, local, k); err != nil {
			t.Fatal(err)
		}
	}
	if has, err := r.Has(ctx, k1); err != nil || !has {
		t.Fatalf("Has after a push: %v %v", has, err)
	}

	other, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Fetch(ctx, other, k1, Local{}); err != nil {
		t.Fatal(err)
	}
	if err := other.Check(k1); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"x86_64/Packages/a.rpm": pkgA, "x86_64/repodata/repomd.xml": "<repomd/>", "x86_64/repodata/primary.xml": "<metadata/>"} {
		got, err := os.ReadFile(filepath.Join(other.FilesPath(k1), path))
		if err != nil || string(got) != want {
			t.Errorf("fetched %s: %.40q %v", path, got, err)
		}
	}
	sum := sha256.Sum256([]byte(pkgA))
	if _, err := os.Stat(reg.Blob(hex.EncodeToString(sum[:]))); err != nil {
		t.Errorf("the large file is no blob of its own: %v", err)
	}
	if l, err := os.Readlink(filepath.Join(other.FilesPath(k1), "latest")); err != nil || l != "x86_64" {
		t.Errorf("fetched link: %q %v", l, err)
	}
	e1, _ := local.Read(k1)
	f1, _ := other.Read(k1)
	if e1.ManifestDigest != f1.ManifestDigest || string(e1.Lineage) != string(f1.Lineage) {
		t.Errorf("fetched entry differs: manifest %s / %s", e1.ManifestDigest, f1.ManifestDigest)
	}

	// Tamper with the pack (primary.xml, then repomd.xml) in the registry.s
	// storage.
	sum = sha256.Sum256([]byte("<metadata/><repomd/>"))
	if err := os.WriteFile(reg.Blob(hex.EncodeToString(sum[:])), []byte("<metadata/><evil/>!!"), 0o644); err != nil {
		t.Fatal(err)
	}
	third, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	err = r.Fetch(ctx, third, k1, Local{})
	if err == nil || !strings.Contains(err.Error(), r.String()) {
		t.Fatalf("fetching a tampered entry: %v", err)
	}
	if third.Has(k1) {
		t.Error("a tampered entry reached the store")
	}
	if left, _ := os.ReadDir(filepath.Join(third.Dir, "tmp")); len(left) != 0 {
		t.Errorf("a failed fetch left %d directories behind", len(left))
	}

	reg.Stop()
	if _, err := r.Has(ctx, k2); err == nil || !strings.Contains(err.Error(), "the remote store "+r.String()) {
		t.Errorf("Has with the registry down: %v", err)
	}
}
