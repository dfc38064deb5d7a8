package rootfs

import (
	"encoding/binary"
	"errors"
	"path/filepath"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/kvpack"
	"github.com/strata-build/strata/sdk/rpm"
)

// HeaderCache keeps packages' headers between builds, by the package's
// sha256, in one file of a plugin's cache directory: a build that reads
// a pack of them once does not read every package file's header again
// (reading thousands of headers spread over the disk is most of the
// cost of assembling a tree from packages not in the page cache).
type HeaderCache struct {
	pack *kvpack.Pack
}

// headerCacheVersion changes whenever a record's form does.
const headerCacheVersion = "1"

// OpenHeaderCache opens the cache in dir; an empty dir keeps nothing.
func OpenHeaderCache(dir string) *HeaderCache {
	path := ""
	if dir != "" {
		path = filepath.Join(dir, "headers.pack")
	}
	return &HeaderCache{pack: kvpack.Open(path)}
}

// Read returns the headers of p, from the cache when it holds them.
func (c *HeaderCache) Read(p sdk.Package) (*rpm.Package, error) {
	if c == nil || p.SHA256 == "" {
		return rpm.ReadFile(p.Path)
	}
	key := headerCacheVersion + " " + p.SHA256
	if v, ok := c.pack.Get(key); ok {
		if h, err := decodeHeaders(v); err == nil && h.Name() == p.Name {
			return h, nil
		}
	}
	h, err := rpm.ReadFile(p.Path)
	if err != nil {
		return nil, err
	}
	c.pack.Put(key, encodeHeaders(h))
	return h, nil
}

// Save keeps what Read added.
func (c *HeaderCache) Save() error {
	if c == nil {
		return nil
	}
	return c.pack.Save()
}

// Close releases the cache's file.
func (c *HeaderCache) Close() error {
	if c == nil {
		return nil
	}
	return c.pack.Close()
}

// encodeHeaders writes where the main header lies in the file, then the
// signature and main headers as rpm's database holds them.
func encodeHeaders(p *rpm.Package) []byte {
	sig := p.Signature.Blob()
	b := binary.AppendUvarint(nil, uint64(p.HeaderStart))
	b = binary.AppendUvarint(b, uint64(p.HeaderEnd))
	b = binary.AppendUvarint(b, uint64(len(sig)))
	b = append(b, sig...)
	return append(b, p.Header.Blob()...)
}

func decodeHeaders(b []byte) (*rpm.Package, error) {
	var fields [3]uint64
	for i := range fields {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errors.New("damaged header record")
		}
		fields[i], b = v, b[n:]
	}
	if fields[2] > uint64(len(b)) {
		return nil, errors.New("damaged header record")
	}
	sig, err := rpm.ReadBlob(b[:fields[2]])
	if err != nil {
		return nil, err
	}
	hdr, err := rpm.ReadBlob(b[fields[2]:])
	if err != nil {
		return nil, err
	}
	return &rpm.Package{Signature: sig, Header: hdr, HeaderStart: int64(fields[0]), HeaderEnd: int64(fields[1])}, nil
}
