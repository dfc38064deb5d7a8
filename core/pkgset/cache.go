package pkgset

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/strata-build/strata/sdk/kvpack"
)

// cacheVersion starts every cached record; it changes whenever what a
// record holds changes, and records of another version are misses.
const cacheVersion = 8

// headerCache remembers what was read from each package file, in a pack
// keyed by the file's path and state (size, modification time, inode): a
// file that changed in any of them is another key, read again. Saving
// appends only what was read, so an apply that read one new package
// writes one record, whatever the size of the universe.
type headerCache struct {
	// pack is opened (its records indexed) while the sources' directories
	// are listed; opened is closed when it is.
	pack   *kvpack.Pack
	opened chan struct{}
	// strings interns the strings of the records read while loading.
	strings *interner
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

// loadCache opens the cache at path ("" keeps nothing). The cache of
// earlier versions, one gob written whole, is removed.
func loadCache(path string) *headerCache {
	if path != "" {
		os.Remove(filepath.Join(filepath.Dir(path), "headers.gob"))
	}
	c := &headerCache{opened: make(chan struct{}), strings: newInterner()}
	go func() {
		c.pack = kvpack.Open(path)
		close(c.opened)
	}()
	return c
}

// open returns the pack once it is open.
func (c *headerCache) open() *kvpack.Pack {
	<-c.opened
	return c.pack
}

func cacheKey(path string, s stamp) string {
	b := strconv.AppendInt(nil, s.size, 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, s.mtime, 10)
	b = append(b, ' ')
	b = strconv.AppendUint(b, s.inode, 10)
	b = append(b, ' ')
	return string(append(b, path...))
}

func (c *headerCache) get(path string, s stamp) *Package {
	v, ok := c.open().Get(cacheKey(path, s))
	if !ok {
		return nil
	}
	p, ok := decodePackage(v, c.strings)
	if !ok {
		return nil
	}
	p.Location = path
	return p
}

func (c *headerCache) put(path string, s stamp, p *Package) {
	c.open().Put(cacheKey(path, s), encodePackage(p))
}

// save appends what was put since the last save.
func (c *headerCache) save() error { return c.open().Save() }
