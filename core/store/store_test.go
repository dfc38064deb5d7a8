package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk/manifest"
)

// A build whose files do not match its manifest never reaches the store.
func TestCommitVerifiesTheManifest(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	write := func(b *BuildDir, name, content string) {
		if err := os.WriteFile(filepath.Join(b.Files, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name   string
		tamper func(*BuildDir)
		want   string
	}{
		{"extra file", func(b *BuildDir) { write(b, "extra", "x") }, "the build wrote extra, which its manifest does not list"},
		{"changed content", func(b *BuildDir) { write(b, "out", "other") }, "out does not match the manifest"},
		{"missing file", func(b *BuildDir) { os.Remove(filepath.Join(b.Files, "out")) }, "the manifest lists out, which the build did not write"},
		{"untouched", func(*BuildDir) {}, ""},
	}
	for i, c := range cases {
		key := strings.Repeat(string(rune('a'+i)), 64)
		b, err := s.NewBuildDir(key)
		if err != nil {
			t.Fatal(err)
		}
		write(b, "out", "content")
		manifest, err := manifest.Scan(b.Files, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.tamper(b)
		err = s.Commit(b, &Entry{Key: key, Manifest: manifest}, Known{})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
		if s.Has(key) != (c.want == "") {
			t.Errorf("%s: in the store = %v", c.name, s.Has(key))
		}
		if _, err := os.Stat(b.root); !os.IsNotExist(err) {
			t.Errorf("%s: the build directory is left behind", c.name)
		}
	}
	e, err := s.Read(strings.Repeat("d", 64))
	if err != nil || e.ManifestDigest == "" || len(e.Manifest) != 1 {
		t.Errorf("stored entry: %+v, %v", e, err)
	}
}

func TestStateSurvivesReopening(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	st, err := s.ReadState()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Set("artifact.a.b", StateEntry{Key: "k1", Type: "a"}); err != nil {
		t.Fatal(err)
	}
	st2, err := s.ReadState()
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := st2.Get("artifact.a.b"); !ok || e.Key != "k1" {
		t.Errorf("state after reopening: %+v", st2.Artifacts)
	}
	if err := os.WriteFile(filepath.Join(dir, ".strata", "state.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReadState(); err == nil {
		t.Error("a corrupt state.json was accepted")
	}
}

func TestLockIsExclusive(t *testing.T) {
	s, _ := Open(t.TempDir())
	l, err := s.Acquire("first")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Acquire("second"); err == nil || !strings.Contains(err.Error(), "first, pid") {
		t.Errorf("second acquire: %v", err)
	}
	l.Release()
	l2, err := s.Acquire("third")
	if err != nil {
		t.Fatal(err)
	}
	l2.Release()
}
