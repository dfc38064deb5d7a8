package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/manifest"
)

// Store is the .strata directory of a configuration.
type Store struct {
	Dir string

	mu      sync.Mutex
	entries map[string]*Entry // read or written by this process
	checked map[string]bool   // entries this process found sound
	// pool holds the stamps of the pool files this process found to hold
	// their sha256; poolHashed those it hashed; poolDirs the pool's
	// directories it made.
	pool       map[string]poolStamp
	poolHashed sync.Map
	poolDirs   sync.Map
}

// Open returns the store of a configuration directory, creating it.
func Open(configDir string) (*Store, error) {
	s := &Store{Dir: filepath.Join(configDir, ".strata")}
	for _, d := range []string{"store", "tmp"} {
		if err := os.MkdirAll(filepath.Join(s.Dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// CacheDir is where strata keeps caches (package headers, repository
// metadata, fetched packages).
func (s *Store) CacheDir() string { return filepath.Join(s.Dir, "cache") }

// Path is the directory of the entry for key.
func (s *Store) Path(key string) string { return filepath.Join(s.Dir, "store", key) }

// FilesPath is the directory of an entry's artifact files.
func (s *Store) FilesPath(key string) string { return filepath.Join(s.Path(key), "files") }

// Has reports whether the store holds key.
func (s *Store) Has(key string) bool {
	_, err := os.Stat(filepath.Join(s.Path(key), entryFile))
	return err == nil
}

const (
	entryFile   = "entry.json"
	keyFile     = "key.json"
	lineageFile = "lineage.json"
)

// Entry describes one stored artifact.
type Entry struct {
	Key     string `json:"key"`
	Address string `json:"address"`
	Type    string `json:"type"`
	// Outputs are the artifact's outputs as cty JSON with their type.
	Outputs json.RawMessage `json:"outputs"`
	// Manifest lists the files; it is kept in a file of its own
	// (manifest), whose sha256 is ManifestDigest.
	Manifest       []manifest.File `json:"-"`
	ManifestDigest string          `json:"manifest_digest"`
	// Pooled marks the lines of Manifest whose files are in the store's
	// pool (PoolPath) rather than the entry's files: package files a
	// plugin left to strata. It is kept in a file of its own (pooled).
	Pooled []bool `json:"-"`
	// Placements say where the artifact's parts go in a compose.
	Placements []sdk.Placement `json:"placements,omitempty"`
	// BuiltOn says where the artifact was built when not by the apply
	// that stored it ("nomad node N, allocation A").
	BuiltOn string `json:"built_on,omitempty"`
	// Lineage is the Lineage object as EncodeLineage writes it, kept in a
	// file of its own (lineage.json): a compose copies it into its
	// lineage.json as it is. For a repository of tens of thousands of
	// packages it is megabytes, and decoding it, or only scanning it as
	// JSON, would be most of reading the entry.
	Lineage json.RawMessage `json:"-"`
	// KeyInput is everything the key was computed from; comparing two
	// tells why an artifact is rebuilt. It is stored in a file of its own
	// (key.json), which ReadKeyInput reads alone.
	KeyInput json.RawMessage `json:"-"`
}

// LineageIndent is the indentation of an artifact's lineage in a
// compose's lineage.json, under "payload", "artifacts" and its address.
const LineageIndent = "            "

// EncodeLineage encodes a lineage for an entry: indented as a compose's
// lineage.json holds it, four spaces a level.
func EncodeLineage(l Lineage) ([]byte, error) {
	return json.MarshalIndent(l, LineageIndent, "    ")
}

// DecodeLineage decodes the entry's lineage.
func (e *Entry) DecodeLineage() (Lineage, error) {
	var l Lineage
	if err := json.Unmarshal(e.Lineage, &l); err != nil {
		return l, fmt.Errorf("store entry %s: lineage: %w", e.Key, err)
	}
	return l, nil
}

// Lineage is what an artifact was built from.
type Lineage struct {
	Address   string       `json:"address"`
	Plugin    PluginRef    `json:"plugin"`
	Modules   []ModuleRef  `json:"modules"`
	Packages  []PackageRef `json:"packages"`
	Inputs    []InputRef   `json:"inputs"`
	Timestamp int64        `json:"timestamp"`
}

// PluginRef names a plugin build.
type PluginRef struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	Protocol int    `json:"protocol"`
}

// ModuleRef names a module.
type ModuleRef struct {
	Name    string `json:"name"`
	Stream  string `json:"stream"`
	Version int64  `json:"version"`
	Context string `json:"context,omitempty"`
}

// PackageRef names a package.
type PackageRef struct {
	NEVRA  string `json:"nevra"`
	SHA256 string `json:"sha256"`
	Arch   string `json:"arch"` // the compose architecture it was selected for
	Source string `json:"source"`
	// SigKey is the short id of the key that signed it (8 hex digits, as
	// productmd's rpms.json gives it), if any.
	SigKey string `json:"sigkey,omitempty"`
	// Category is "source" or "debug" for a package of a source or
	// debuginfo tree; SourceRPM is the NEVRA of a package's source
	// package when the artifact ships it.
	Category  string `json:"category,omitempty"`
	SourceRPM string `json:"source_rpm,omitempty"`
	// PulledInBy is set for a package gathering pulled in: the package
	// whose requirement it meets.
	PulledInBy *PullRef `json:"pulled_in_by,omitempty"`
}

// PullRef says why a package was pulled in: the package and its
// requirement, and the modules of the listed package the chain of such
// requirements starts from, for which it was pulled in.
type PullRef struct {
	NEVRA    string   `json:"nevra"`
	Requires string   `json:"requires"`
	For      []string `json:"for_modules,omitempty"`
}

// InputRef names an upstream artifact.
type InputRef struct {
	Address string `json:"address"`
	Key     string `json:"key"`
}

// Read reads the entry for key, once per process: entries do not change.
// Its KeyInput is not read; see ReadKeyInput.
func (s *Store) Read(key string) (*Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.entries[key]; e != nil {
		return e, nil
	}
	data, err := os.ReadFile(filepath.Join(s.Path(key), entryFile))
	if err != nil {
		return nil, err
	}
	var stored struct {
		Entry
		// Manifest and Lineage are where entries kept them before their
		// files.
		Manifest json.RawMessage `json:"manifest"`
		Lineage  json.RawMessage `json:"lineage"`
	}
	if err := json.Unmarshal(data, &stored); err != nil {
		return nil, fmt.Errorf("store entry %s: %w", key, err)
	}
	e := stored.Entry
	if stored.Lineage != nil {
		var indented bytes.Buffer
		if err := json.Indent(&indented, stored.Lineage, LineageIndent, "    "); err != nil {
			return nil, fmt.Errorf("store entry %s: lineage: %w", key, err)
		}
		e.Lineage = indented.Bytes()
	} else if e.Lineage, err = os.ReadFile(filepath.Join(s.Path(key), lineageFile)); err != nil {
		return nil, err
	}
	if stored.Manifest != nil {
		if err := json.Unmarshal(stored.Manifest, &e.Manifest); err != nil {
			return nil, fmt.Errorf("store entry %s: %w", key, err)
		}
	} else {
		path := filepath.Join(s.Path(key), manifestFile)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if e.Manifest, err = decodeManifest(data, path); err != nil {
			return nil, err
		}
	}
	pooledPath := filepath.Join(s.Path(key), pooledFile)
	switch data, err := os.ReadFile(pooledPath); {
	case err == nil:
		if e.Pooled, err = decodePooled(data, e.Manifest, pooledPath); err != nil {
			return nil, err
		}
	case !os.IsNotExist(err):
		return nil, err
	}
	s.remember(&e)
	return &e, nil
}

// ReadKeyInput reads what an entry's key was computed from.
func (s *Store) ReadKeyInput(key string) (json.RawMessage, error) {
	return os.ReadFile(filepath.Join(s.Path(key), keyFile))
}

// remember keeps an entry for Read; s.mu must be held.
func (s *Store) remember(e *Entry) {
	if s.entries == nil {
		s.entries = map[string]*Entry{}
	}
	s.entries[e.Key] = e
}

// Keys lists the keys in the store, sorted.
func (s *Store) Keys() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(s.Dir, "store"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}
