package yumrepo

import (
	"bytes"
	"encoding/gob"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/strata-build/strata/sdk/files"
)

// metaCache keeps packages' metadata between builds, by content: one
// file in the plugin's cache directory, loaded once per process and
// written back, merged with what other builds wrote meanwhile, after a
// build that read new packages.
type metaCache struct {
	mu      sync.Mutex
	path    string
	entries map[string]pkgMeta
	added   map[string]pkgMeta
}

// caches are the per-directory caches of this process; builds of one
// plugin process share them.
var (
	cachesMu sync.Mutex
	caches   = map[string]*metaCache{}
)

const cacheFile = "metadata.gob"

func cacheFor(dir string) *metaCache {
	cachesMu.Lock()
	defer cachesMu.Unlock()
	if c := caches[dir]; c != nil {
		return c
	}
	c := &metaCache{path: filepath.Join(dir, cacheFile), entries: map[string]pkgMeta{}, added: map[string]pkgMeta{}}
	if dir != "" {
		c.entries = readCache(c.path)
	}
	caches[dir] = c
	return c
}

func readCache(path string) map[string]pkgMeta {
	entries := map[string]pkgMeta{}
	if data, err := os.ReadFile(path); err == nil {
		gob.NewDecoder(bytes.NewReader(data)).Decode(&entries)
	}
	return entries
}

func (c *metaCache) get(key string) (pkgMeta, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.entries[key]
	return m, ok
}

func (c *metaCache) put(key string, m pkgMeta) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = m
	c.added[key] = m
}

// save writes what this process added, under a file lock so that two
// plugin processes do not lose each other's entries.
func (c *metaCache) save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.added) == 0 || c.path == cacheFile {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	lock, err := os.OpenFile(c.path+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	merged := readCache(c.path)
	for k, m := range c.added {
		merged[k] = m
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(merged); err != nil {
		return err
	}
	if err := files.WriteAtomic(c.path, buf.Bytes()); err != nil {
		return err
	}
	c.entries, c.added = merged, map[string]pkgMeta{}
	return nil
}
