package store

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

const stateVersion = 1

// State maps artifact addresses to the keys they were last built with.
type State struct {
	mu        sync.Mutex
	path      string
	Artifacts map[string]StateEntry
}

// StateEntry is one artifact's state.
type StateEntry struct {
	Key  string `json:"key"`
	Type string `json:"type"`
	// Published is where the artifact with Key was last published (an
	// image's registry reference), and PublishedOutputs what the plugin
	// said of it; empty until a publication succeeds.
	Published        string          `json:"published,omitempty"`
	PublishedOutputs json.RawMessage `json:"published_outputs,omitempty"`
}

type stateFile struct {
	Version   int                   `json:"version"`
	Artifacts map[string]StateEntry `json:"artifacts"`
}

// ReadState reads state.json; a missing file is an empty state.
func (s *Store) ReadState() (*State, error) {
	st := &State{path: filepath.Join(s.Dir, "state.json"), Artifacts: map[string]StateEntry{}}
	data, err := os.ReadFile(st.path)
	if os.IsNotExist(err) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	var f stateFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", st.path, err)
	}
	if f.Version != stateVersion {
		return nil, fmt.Errorf("%s has version %d; this strata reads version %d", st.path, f.Version, stateVersion)
	}
	if f.Artifacts != nil {
		st.Artifacts = f.Artifacts
	}
	return st, nil
}

// Get returns an address's entry.
func (st *State) Get(addr string) (StateEntry, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	e, ok := st.Artifacts[addr]
	return e, ok
}

// Set records an artifact and writes the state at once.
func (st *State) Set(addr string, e StateEntry) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.Artifacts[addr] = e
	return st.write()
}

// Addresses returns every recorded address, sorted.
func (st *State) Addresses() []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := slices.Sorted(maps.Keys(st.Artifacts))
	return out
}

func (st *State) write() error {
	data, err := json.MarshalIndent(stateFile{Version: stateVersion, Artifacts: st.Artifacts}, "", "  ")
	if err != nil {
		return err
	}
	tmp := st.path + ".tmp"
	if err := writeSynced(tmp, data); err != nil {
		return err
	}
	return os.Rename(tmp, st.path)
}
