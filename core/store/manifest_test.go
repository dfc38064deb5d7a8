package store

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk/manifest"
)

// A manifest read back from a new store equals the one committed, for
// names that must be quoted, and its digest is the manifest file's.
func TestManifestFileRoundTrip(t *testing.T) {
	listed := []manifest.File{
		{Path: "Packages/a/a-1.0-1.x86_64.rpm", Size: 1234, SHA256: strings.Repeat("ab", 32), Mode: 0o644},
		{Path: "with space/and \"quote\"", Size: 0, SHA256: strings.Repeat("00", 32), Mode: 0o600},
		{Path: "new\nline\\back", Size: 1 << 40, SHA256: strings.Repeat("ff", 32), Mode: 0o755},
		{Path: "caf\xe9/latin1", Size: 7, SHA256: strings.Repeat("12", 32), Mode: 0o4755},
		{Path: "ünïcode/ok", Size: 7, SHA256: strings.Repeat("12", 32), Mode: 0o644},
		{Path: "lib/libx.so", Link: "libx.so.1"},
		{Path: "lib/odd link", Link: "target with space"},
	}
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	key := strings.Repeat("a", 64)
	b, err := s.NewBuildDir(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range listed {
		path := filepath.Join(b.Files, f.Path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if f.Link != "" {
			err = os.Symlink(f.Link, path)
		} else {
			err = os.WriteFile(path, nil, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	scanned, err := manifest.Scan(b.Files, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(b, &Entry{Key: key, Manifest: scanned}, Known{}); err != nil {
		t.Fatal(err)
	}
	// A new Store reads the entry from its files.
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.Read(key)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(scanned, e.Manifest); diff != "" {
		t.Errorf("manifest read back (-committed +read):\n%s", diff)
	}
	data, err := os.ReadFile(filepath.Join(s.Path(key), manifestFile))
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(data); e.ManifestDigest != hex.EncodeToString(sum[:]) {
		t.Errorf("manifest digest %s is not the manifest file's sha256", e.ManifestDigest)
	}
	for _, f := range listed {
		got, err := decodeManifest(encodeManifest([]manifest.File{f}), "m")
		if err != nil || len(got) != 1 || got[0] != f {
			t.Errorf("%q read back as %+v, %v", f.Path, got, err)
		}
	}
}

// Entries written before the manifest and lineage files kept both in
// entry.json; they read as they did.
func TestEntryWithManifestInside(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	key := strings.Repeat("b", 64)
	if err := os.MkdirAll(s.Path(key), 0o755); err != nil {
		t.Fatal(err)
	}
	old := `{"key":"` + key + `","type":"tarball","manifest":[{"Path":"out.tar","Size":3,"SHA256":"abc","Mode":420,"Link":""}],"manifest_digest":"d","lineage":{"address":"artifact.tarball.x","plugin":{"name":"tarball","version":"1","protocol":1},"modules":[],"packages":[],"inputs":[],"timestamp":5}}`
	if err := os.WriteFile(filepath.Join(s.Path(key), entryFile), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := s.Read(key)
	if err != nil {
		t.Fatal(err)
	}
	if want := []manifest.File{{Path: "out.tar", Size: 3, SHA256: "abc", Mode: 0o644}}; !cmp.Equal(want, e.Manifest) {
		t.Errorf("manifest = %+v, want %+v", e.Manifest, want)
	}
	want := Lineage{Address: "artifact.tarball.x", Plugin: PluginRef{Name: "tarball", Version: "1", Protocol: 1},
		Modules: []ModuleRef{}, Packages: []PackageRef{}, Inputs: []InputRef{}, Timestamp: 5}
	encoded, _ := EncodeLineage(want)
	if string(e.Lineage) != string(encoded) {
		t.Errorf("lineage kept as\n%s\nwant, as EncodeLineage writes it,\n%s", e.Lineage, encoded)
	}
}

func TestBrokenManifestFile(t *testing.T) {
	for _, c := range []struct{ content, want string }{
		{"abc 1 644 a\nabc 2 644 b", "m:2: the last line is cut short"},
		{"abc x 644 a\n", "m:1: size"},
		{"abc 1 999 a\n", "m:1: mode"},
		{"abc 1 644\n", "m:1: path: missing"},
		{"abc 1 644 \"a\"b\n", "m:1: path"},
		{"- 0 777 a b c\n", "m:1: \"c\" after the link target"},
	} {
		if _, err := decodeManifest([]byte(c.content), "m"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.content, err, c.want)
		}
	}
}
