package rootfs_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/rootfs"
	"github.com/strata-build/strata/sdk/rpm"
)

// listing describes a tree's entries and headers in text, to compare
// trees assembled different ways.
func listing(t *testing.T, tree *rootfs.Tree) string {
	t.Helper()
	var b strings.Builder
	for _, e := range tree.Entries() {
		fmt.Fprintf(&b, "%s %v %o %s:%s %d %s %s %s\n", e.Path, e.Kind, e.Mode, e.User, e.Group, e.Size, e.Digest, e.Target, e.Package)
	}
	for _, h := range tree.Headers() {
		fmt.Fprintf(&b, "header %s %d-%d %x %x\n", h.NEVRA(), h.HeaderStart, h.HeaderEnd, h.Signature.Blob(), h.Header.Blob())
	}
	return b.String()
}

// A tree assembled through the header cache is the tree assembled from
// the package files; once cached, a package's header is not read from
// its file again (here the files are cut short after the lead, but for
// the one whose passwd is read), and a package the cache does not hold is
// read from its file.
func TestHeaderCache(t *testing.T) {
	ctx := context.Background()
	pkgs := testPackages(t)
	cut := make([]sdk.Package, len(pkgs))
	for i := range pkgs {
		data, err := os.ReadFile(pkgs[i].Path)
		if err != nil {
			t.Fatal(err)
		}
		h, err := rpm.ReadFile(pkgs[i].Path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		pkgs[i].Name, pkgs[i].SHA256 = h.Name(), hex.EncodeToString(sum[:])
		cut[i] = pkgs[i]
		if h.Name() == "setup" {
			continue // its /etc/passwd is read for owners
		}
		cut[i].Path = filepath.Join(t.TempDir(), filepath.Base(pkgs[i].Path))
		if err := os.WriteFile(cut[i].Path, data[:100], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	plain, err := rootfs.Assemble(ctx, pkgs, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	want := listing(t, plain)

	dir := t.TempDir()
	first := rootfs.OpenHeaderCache(dir)
	tree, err := rootfs.AssembleCached(ctx, pkgs, t.TempDir(), first)
	if err != nil {
		t.Fatal(err)
	}
	if got := listing(t, tree); got != want {
		t.Errorf("assembled while filling the cache:\n%s\nwant:\n%s", got, want)
	}
	if err := first.Save(); err != nil {
		t.Fatal(err)
	}
	first.Close()

	again := rootfs.OpenHeaderCache(dir)
	defer again.Close()
	tree, err = rootfs.AssembleCached(ctx, cut, t.TempDir(), again)
	if err != nil {
		t.Fatalf("from the cache: %v", err)
	}
	if got := listing(t, tree); got != want {
		t.Errorf("assembled from the cache:\n%s\nwant:\n%s", got, want)
	}

	if _, err := rootfs.AssembleCached(ctx, cut, t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), cut[0].Path) {
		t.Errorf("without the cache the cut files gave %v, want an error naming %s", err, cut[0].Path)
	}
	other := append([]sdk.Package(nil), cut...)
	other[0].SHA256 = strings.Repeat("0", 64)
	if _, err := rootfs.AssembleCached(ctx, other, t.TempDir(), again); err == nil || !strings.Contains(err.Error(), other[0].Path) {
		t.Errorf("a package the cache does not hold gave %v, want an error naming %s", err, other[0].Path)
	}
	if err := rootfs.OpenHeaderCache("").Save(); err != nil {
		t.Errorf("a cache without a directory: %v", err)
	}
}
