package pkgset

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
	"sync"
	"syscall"

	"github.com/strata-build/strata/sdk/files"
)

// cacheVersion changes whenever Package changes shape.
const cacheVersion = 3

// headerCache remembers what was read from each package file, keyed by
// path and checked by size, modification time and inode: a file that
// changed in any of them is read again.
type headerCache struct {
	path    string
	mu      sync.Mutex
	entries map[string]cacheEntry
	used    map[string]bool
	dirty   bool
}

type cacheEntry struct {
	Size  int64
	MTime int64 // nanoseconds
	Inode uint64
	Pkg   *Package
}

type cacheFile struct {
	Version int
	Entries map[string]cacheEntry
}

// stamp identifies a file's state from its stat.
type stamp struct {
	size  int64
	mtime int64
	inode uint64
}

func statStamp(fi os.FileInfo) stamp {
	s := stamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		s.inode = st.Ino
	}
	return s
}

func loadCache(path string) *headerCache {
	c := &headerCache{path: path, entries: map[string]cacheEntry{}, used: map[string]bool{}}
	f, err := os.Open(path)
	if err != nil {
		return c
	}
	defer f.Close()
	var cf cacheFile
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&cf); err == nil && cf.Version == cacheVersion {
		c.entries = cf.Entries
	}
	return c
}

func (c *headerCache) get(path string, s stamp) *Package {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[path]
	if !ok || e.Size != s.size || e.MTime != s.mtime || e.Inode != s.inode {
		return nil
	}
	c.used[path] = true
	return e.Pkg
}

func (c *headerCache) put(path string, s stamp, p *Package) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[path] = cacheEntry{Size: s.size, MTime: s.mtime, Inode: s.inode, Pkg: p}
	c.used[path] = true
	c.dirty = true
}

// save writes the cache if anything changed, dropping entries of files
// that are gone. It writes a new file and renames it, so a crash leaves
// the old cache or the new one.
func (c *headerCache) save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range c.entries {
		if !c.used[p] {
			delete(c.entries, p)
			c.dirty = true
		}
	}
	if !c.dirty || c.path == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(cacheFile{Version: cacheVersion, Entries: c.entries}); err != nil {
		return fmt.Errorf("writing the header cache: %w", err)
	}
	return files.WriteAtomic(c.path, buf.Bytes())
}
