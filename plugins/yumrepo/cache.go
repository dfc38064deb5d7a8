package yumrepo

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"sync"

	"github.com/strata-build/strata/sdk/kvpack"
)

// metaCache keeps packages' metadata between builds, by content, in a
// pack in the plugin's cache directory: opening it reads where each
// package's record lies, a build reads the records of its packages, and
// a build that read new packages appends theirs.
type metaCache struct {
	pack *kvpack.Pack
}

// caches are the per-directory caches of this process; builds of one
// plugin process share them.
var (
	cachesMu sync.Mutex
	caches   = map[string]*metaCache{}
)

const cacheFile = "metadata.pack"

func cacheFor(dir string) *metaCache {
	cachesMu.Lock()
	defer cachesMu.Unlock()
	if c := caches[dir]; c != nil {
		return c
	}
	path := ""
	if dir != "" {
		path = filepath.Join(dir, cacheFile)
		// The cache's earlier form, one gob of every record, is not read
		// any more.
		os.Remove(filepath.Join(dir, "metadata.gob"))
		os.Remove(filepath.Join(dir, "metadata.gob.lock"))
	}
	c := &metaCache{pack: kvpack.Open(path)}
	caches[dir] = c
	return c
}

func (c *metaCache) get(key string) (pkgMeta, bool) {
	v, ok := c.pack.Get(key)
	if !ok {
		return pkgMeta{}, false
	}
	m, err := decodeMeta(v)
	return m, err == nil
}

func (c *metaCache) put(key string, m pkgMeta) { c.pack.Put(key, encodeMeta(m)) }

// save keeps what this process added; several plugin processes may save
// at once without losing each other's records.
func (c *metaCache) save() error { return c.pack.Save() }

// encodeMeta writes a package's metadata as length-prefixed strings.
func encodeMeta(m pkgMeta) []byte {
	var b []byte
	for _, s := range m.fields() {
		b = binary.AppendUvarint(b, uint64(len(*s)))
		b = append(b, *s...)
	}
	return b
}

func decodeMeta(b []byte) (pkgMeta, error) {
	var m pkgMeta
	for _, s := range m.fields() {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return pkgMeta{}, errors.New("damaged metadata record")
		}
		*s, b = string(b[w:w+int(n)]), b[w+int(n):]
	}
	if len(b) != 0 {
		return pkgMeta{}, errors.New("damaged metadata record")
	}
	return m, nil
}

// fields are the parts of m, in their order in a record.
func (m *pkgMeta) fields() []*string {
	return []*string{&m.Chunks.Primary, &m.Chunks.Filelists, &m.Chunks.Other, &m.SourceRPM, &m.License, &m.Dropped}
}
