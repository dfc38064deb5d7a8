package plugins

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
)

// Schema returns the schema of an artifact type. With a SchemaCache it
// is kept there, under the plugin binary's identity, so that decoding a
// configuration starts no plugin when nothing changed: a plan starts
// its plugins once, after the package universe is let go. A plugin
// whose binary changed is asked again.
func (m *Manager) Schema(typ string) (sdk.Schema, error) {
	m.mu.Lock()
	s, ok := m.schemas[typ]
	m.mu.Unlock()
	if ok {
		return s, nil
	}
	s, err := m.schema(typ)
	if err == nil {
		m.mu.Lock()
		if m.schemas == nil {
			m.schemas = map[string]sdk.Schema{}
		}
		m.schemas[typ] = s
		m.mu.Unlock()
	}
	return s, err
}

// schema finds a type's schema in the cache, or asks its plugin and
// keeps it there.
func (m *Manager) schema(typ string) (sdk.Schema, error) {
	if m.SchemaCache == "" {
		return m.askSchema(typ)
	}
	id, err := m.identity(typ)
	if err != nil {
		return sdk.Schema{}, &NotAvailableError{Err: err}
	}
	path := filepath.Join(m.SchemaCache, fmt.Sprintf("%x.json", sha256.Sum256([]byte(id))))
	if data, err := os.ReadFile(path); err == nil {
		var c cachedSchema
		if json.Unmarshal(data, &c) == nil && c.Identity == id {
			return c.Schema, nil
		}
	}
	s, err := m.askSchema(typ)
	if err != nil {
		return s, err
	}
	if data, err := json.Marshal(cachedSchema{Identity: id, Schema: s}); err == nil {
		if os.MkdirAll(m.SchemaCache, 0o755) == nil {
			files.WriteAtomic(path, data) // a cache: one not written is asked again
		}
	}
	return s, nil
}

// cachedSchema is a schema as the cache keeps it, with what it was
// asked of.
type cachedSchema struct {
	Identity string
	Schema   sdk.Schema
}

func (m *Manager) askSchema(typ string) (sdk.Schema, error) {
	p, err := m.ForType(typ)
	if err != nil {
		return sdk.Schema{}, &NotAvailableError{Err: err}
	}
	return p.Schema(typ)
}

// identity names the binary that would serve typ: a plugin binary by its
// content (as the lock file does), strata's own for a built-in type by
// its file's path, size, modification time and inode.
func (m *Manager) identity(typ string) (string, error) {
	path, found := Find(m.Dirs, typ)
	if found {
		sum, err := files.SHA256(path)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("plugin %s sha256 %s type %s", path, sum, typ), nil
	}
	if _, ok := m.Builtins[typ]; !ok {
		return "", &MissingError{Type: typ, Dirs: m.Dirs}
	}
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	var st syscall.Stat_t
	if err := syscall.Stat(exe, &st); err != nil {
		return "", &os.PathError{Op: "stat", Path: exe, Err: err}
	}
	return fmt.Sprintf("builtin %s size %d mtime %d inode %d type %s", exe, st.Size, st.Mtim.Nano(), st.Ino, typ), nil
}
