package rootfs_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/rootfs"
	"github.com/strata-build/strata/sdk/sdktest"
)

// buildPackages builds rpms into a directory and returns them in order.
func buildPackages(t *testing.T, rpms ...sdktest.RPM) []sdk.Package {
	t.Helper()
	dir := t.TempDir()
	var pkgs []sdk.Package
	for _, r := range rpms {
		p, err := sdktest.BuildRPM(dir, r)
		if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, sdk.Package{Path: p})
	}
	return pkgs
}

// Contents reads only the payloads of packages with a selected file: a
// package whose payload is cut off after its headers still assembles,
// the other package's files are read, and asking for the broken one's
// fails naming its file.
func TestContentsReadsOnlySelectedPayloads(t *testing.T) {
	pkgs := buildPackages(t,
		sdktest.RPM{Name: "good", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/usr/share/good", Body: "good\n"}}},
		sdktest.RPM{Name: "cut", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/usr/share/cut", Body: strings.Repeat("cut\n", 1000)}}},
	)
	data, err := os.ReadFile(pkgs[1].Path)
	if err != nil {
		t.Fatal(err)
	}
	end := bytes.Index(data, []byte{0x1f, 0x8b}) // the gzip payload's start
	if err := os.WriteFile(pkgs[1].Path, data[:end+4], 0o644); err != nil {
		t.Fatal(err)
	}
	tree, err := rootfs.Assemble(context.Background(), pkgs, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	good, err := tree.ReadFile(context.Background(), "/usr/share/good", 100)
	if err != nil || string(good) != "good\n" {
		t.Errorf("ReadFile(good) = %q, %v", good, err)
	}
	if _, err := tree.ReadFile(context.Background(), "/usr/share/cut", 1<<20); err == nil || !strings.Contains(err.Error(), pkgs[1].Path) {
		t.Errorf("reading from the cut payload: %v, want an error naming %s", err, pkgs[1].Path)
	}
}

// Content that does not match its header's digest is refused.
func TestContentsChecksDigest(t *testing.T) {
	body := "the content the header describes\n"
	pkgs := buildPackages(t, sdktest.RPM{Name: "liar", Version: "1", Release: "1", Compressor: "zstd",
		Files: []sdktest.File{{Path: "/etc/liar.conf", Body: body}}})
	sum := sha256.Sum256([]byte(body))
	digest := hex.EncodeToString(sum[:])
	data, err := os.ReadFile(pkgs[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(digest)) {
		t.Fatalf("the header does not carry the sha256 %s", digest)
	}
	forged := strings.Repeat("0", len(digest))
	if err := os.WriteFile(pkgs[0].Path, bytes.Replace(data, []byte(digest), []byte(forged), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	tree, err := rootfs.Assemble(context.Background(), pkgs, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	err = rootfs.WriteTar(context.Background(), io.Discard, tree, rootfs.TarOptions{})
	if err == nil || !strings.Contains(err.Error(), "/etc/liar.conf: content does not match the header's sha256 digest") {
		t.Errorf("err = %v, want a digest mismatch on /etc/liar.conf", err)
	}
}
