package yumrepo

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"sync"

	"github.com/strata-build/strata/format/repodata"
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

// each calls fn with the metadata the cache holds for each of keys, by
// their index, in one pass over the pack: fragments read from the pack
// are valid only during the call, and ref says where to read them again
// (a Cursor); a record added by this process has no ref and stays.
func (c *metaCache) each(keys []string, fn func(i int, m pkgMeta, ref kvpack.Ref)) {
	c.pack.EachMany(keys, func(i int, v []byte, ref kvpack.Ref) {
		if m, err := decodeMeta(v); err == nil {
			fn(i, m, ref)
		}
	})
}

// reread reads again the fragments of a record each found at ref.
func (c *metaCache) reread(cur *kvpack.Cursor, ref kvpack.Ref, key string) (pkgMeta, bool) {
	v, ok := cur.Read(ref, key)
	if !ok {
		return pkgMeta{}, false
	}
	m, err := decodeMeta(v)
	return m, err == nil
}

// put keeps a record for the next Save and returns its metadata, views
// into the record.
func (c *metaCache) put(key string, record []byte) pkgMeta {
	c.pack.Put(key, record)
	m, _ := decodeMeta(record) // encodeMeta's output always decodes
	return m
}

// save keeps what this process added; several plugin processes may save
// at once without losing each other's records.
func (c *metaCache) save() error { return c.pack.Save() }

// encodeMeta writes a package's metadata as length-prefixed strings:
// the three fragments, the source package, the license and why the
// package is left out.
func encodeMeta(c repodata.Chunks, sourceRPM, license, dropped string) []byte {
	fields := [...]string{c.Primary, c.Filelists, c.Other, sourceRPM, license, dropped}
	n := 0
	for _, f := range fields {
		n += binary.MaxVarintLen64 + len(f)
	}
	b := make([]byte, 0, n)
	for _, f := range fields {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

// decodeMeta reads a record encodeMeta wrote; the fragments share its
// bytes.
func decodeMeta(b []byte) (pkgMeta, error) {
	var fields [6][]byte
	for i := range fields {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return pkgMeta{}, errors.New("damaged metadata record")
		}
		fields[i], b = b[w:w+int(n):w+int(n)], b[w+int(n):]
	}
	if len(b) != 0 {
		return pkgMeta{}, errors.New("damaged metadata record")
	}
	return pkgMeta{Primary: fields[0], Filelists: fields[1], Other: fields[2],
		SourceRPM: string(fields[3]), License: string(fields[4]), Dropped: string(fields[5])}, nil
}
