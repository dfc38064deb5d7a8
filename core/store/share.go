package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	sdkfiles "github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/manifest"
)

// shared is an entry without its files, as one document: what a shared
// store keeps beside the files, which it keeps by their digests. Each
// part is kept as the entry's own file holds it.
type shared struct {
	Entry    json.RawMessage `json:"entry"`
	KeyInput json.RawMessage `json:"key_input"`
	Lineage  string          `json:"lineage"`
	Manifest string          `json:"manifest"`
}

// Metadata returns the entry for key without its files, for a shared
// store.
func (s *Store) Metadata(key string) ([]byte, error) {
	var m shared
	for name, dst := range map[string]*[]byte{entryFile: (*[]byte)(&m.Entry), keyFile: (*[]byte)(&m.KeyInput)} {
		data, err := os.ReadFile(filepath.Join(s.Path(key), name))
		if err != nil {
			return nil, err
		}
		*dst = data
	}
	for name, dst := range map[string]*string{lineageFile: &m.Lineage, manifestFile: &m.Manifest} {
		data, err := os.ReadFile(filepath.Join(s.Path(key), name))
		if err != nil {
			return nil, err
		}
		*dst = string(data)
	}
	return json.Marshal(m)
}

// Import adds the entry for key from a shared store: metadata is what
// Metadata returned there, and fill writes the files its manifest lists
// into dir, linking those known knows (package files) as a build does.
// The files are verified against the manifest, and the manifest against
// the entry's digest of it, before the entry goes into the store; on any
// error nothing does.
func (s *Store) Import(key string, metadata []byte, known Known, fill func(dir string, files []manifest.File) error) error {
	var m shared
	if err := json.Unmarshal(metadata, &m); err != nil {
		return fmt.Errorf("entry %s: %w", key, err)
	}
	var e Entry
	if err := json.Unmarshal(m.Entry, &e); err != nil {
		return fmt.Errorf("entry %s: %w", key, err)
	}
	if e.Key != key {
		return fmt.Errorf("entry %s holds the entry for %s", key, e.Key)
	}
	sum := sha256.Sum256([]byte(m.Manifest))
	if got := hex.EncodeToString(sum[:]); got != e.ManifestDigest {
		return fmt.Errorf("entry %s: its manifest's sha256 is %.12s, the entry records %.12s", key, got, e.ManifestDigest)
	}
	files, err := decodeManifest([]byte(m.Manifest), "entry "+key+" manifest")
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := sdkfiles.CheckRelPath(f.Path); err != nil {
			return fmt.Errorf("entry %s: its manifest lists %q: %w", key, f.Path, err)
		}
	}
	e.Manifest, e.Lineage, e.KeyInput = files, []byte(m.Lineage), m.KeyInput
	b, err := s.NewBuildDir(key)
	if err != nil {
		return err
	}
	if err := fill(b.Files, files); err != nil {
		b.Discard()
		return err
	}
	if err := s.Commit(b, &e, known); err != nil {
		return fmt.Errorf("entry %s: %w", key, err)
	}
	return nil
}
