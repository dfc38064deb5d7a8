package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/manifest"
)

// BuildDir is a fresh directory for one build: Files is the empty output
// directory a plugin writes into, Work its scratch space.
type BuildDir struct {
	root  string
	Files string
	Work  string
}

// NewBuildDir makes a build directory under tmp/.
func (s *Store) NewBuildDir(key string) (*BuildDir, error) {
	root, err := os.MkdirTemp(filepath.Join(s.Dir, "tmp"), key[:12]+"-")
	if err != nil {
		return nil, err
	}
	b := &BuildDir{root: root, Files: filepath.Join(root, "files"), Work: filepath.Join(root, "work")}
	for _, d := range []string{b.Files, b.Work} {
		if err := os.Mkdir(d, 0o755); err != nil {
			os.RemoveAll(root)
			return nil, err
		}
	}
	return b, nil
}

// Discard removes the build directory.
func (b *BuildDir) Discard() { os.RemoveAll(b.root) }

// Known is what strata knows of the digests of files it hashed before,
// so that verifying a build does not read them again: files linked from
// them by inode, and a function for the rest (either may be nil).
type Known struct {
	Linked manifest.Linked
	Digest manifest.KnownDigest
}

// Commit verifies that the files match the manifest the plugin reported,
// then moves the build into the store as key with its entry. On any error
// nothing reaches the store.
func (s *Store) Commit(b *BuildDir, e *Entry, known Known) error {
	defer b.Discard()
	if err := os.RemoveAll(b.Work); err != nil {
		return err
	}
	if err := CheckPlacements(e.Placements); err != nil {
		return err
	}
	if err := Verify(b.Files, e.Own(), known); err != nil {
		return err
	}
	stamps, err := s.seal(b.Files, e, sharedWith(known))
	if err != nil {
		return err
	}
	manifest := encodeManifest(e.Manifest)
	sum := sha256.Sum256(manifest)
	e.ManifestDigest = hex.EncodeToString(sum[:])
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	records := []record{{stampsFile, stamps}, {keyFile, e.KeyInput}, {manifestFile, manifest}, {lineageFile, e.Lineage}, {entryFile, data}}
	if e.HasPooled() {
		records = append(records, record{pooledFile, encodePooled(e.Pooled)})
	}
	if err := writeAllSynced(b.root, records); err != nil {
		return err
	}
	if s.Has(e.Key) {
		return nil // built meanwhile with the same inputs: the same bytes
	}
	if err := os.Rename(b.root, s.Path(e.Key)); err != nil {
		return fmt.Errorf("moving the build into the store: %w", err)
	}
	s.mu.Lock()
	s.remember(e)
	if s.checked == nil {
		s.checked = map[string]bool{}
	}
	s.checked[e.Key] = true
	s.mu.Unlock()
	return nil
}

// Verify checks that dir holds exactly the files listed, with the
// same sizes, modes, digests and link targets; write permissions aside,
// which the store takes away.
func Verify(dir string, listed []manifest.File, known Known) error {
	actual, err := manifest.ScanLinked(dir, known.Linked, known.Digest)
	if err != nil {
		return err
	}
	want := map[string]manifest.File{}
	for _, f := range listed {
		want[f.Path] = f
	}
	for _, f := range actual {
		w, ok := want[f.Path]
		f.Mode, w.Mode = uint32(readOnly(f.Mode)), uint32(readOnly(w.Mode))
		switch {
		case !ok:
			return fmt.Errorf("the build wrote %s, which its manifest does not list", f.Path)
		case w != f:
			return fmt.Errorf("%s does not match the manifest (manifest: %d bytes sha256 %.12s, found: %d bytes sha256 %.12s)",
				f.Path, w.Size, w.SHA256, f.Size, f.SHA256)
		}
		delete(want, f.Path)
	}
	for p := range want {
		return fmt.Errorf("the manifest lists %s, which the build did not write", p)
	}
	return nil
}

// CleanTmp removes builds and views left behind by an apply that was
// killed. Call it only while holding the lock.
func (s *Store) CleanTmp() error {
	if err := os.RemoveAll(filepath.Join(s.Dir, "views")); err != nil {
		return err
	}
	entries, err := os.ReadDir(filepath.Join(s.Dir, "tmp"))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(s.Dir, "tmp", e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// record is a file of an entry's record, beside its files.
type record struct {
	name string
	data []byte
}

// writeAllSynced writes files into dir, then syncs them: each sync
// commits what the file system's journal holds, so one after the
// writes, not one after each, takes most of the waiting (a compose
// linking thousands of files meanwhile fills the journal).
func writeAllSynced(dir string, records []record) (err error) {
	files := make([]*os.File, 0, len(records))
	defer func() {
		for _, f := range files {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
	}()
	for _, r := range records {
		f, err := os.Create(filepath.Join(dir, r.name))
		if err != nil {
			return err
		}
		files = append(files, f)
		if _, err := f.Write(r.data); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	return nil
}

func writeSynced(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// CheckPlacements refuses compose paths that would leave the compose tree.
func CheckPlacements(ps []sdk.Placement) error {
	for _, pl := range ps {
		if err := files.CheckRelPath(pl.ComposePath); err != nil {
			return fmt.Errorf("placement %q -> %q: %w", pl.Path, pl.ComposePath, err)
		}
		if pl.Path != "" {
			if err := files.CheckRelPath(pl.Path); err != nil {
				return fmt.Errorf("placement %q -> %q: %w", pl.Path, pl.ComposePath, err)
			}
		}
	}
	return nil
}
