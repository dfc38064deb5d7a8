package oci

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/pgzip"
)

// gzipLevel is the compression of layers: gzip -6, as most image
// builders write them.
const gzipLevel = 6

// blockSize is the size of the blocks compressed in parallel. The
// compressed bytes depend on it, never on timing, so it is fixed.
const blockSize = 1 << 20

// fileLayer is a gzip-compressed layer in a blob file whose digests were
// computed while it was written, so nothing reads it again.
type fileLayer struct {
	path   string
	digest v1.Hash
	diffID v1.Hash
	size   int64
}

func (l *fileLayer) Digest() (v1.Hash, error) { return l.digest, nil }
func (l *fileLayer) DiffID() (v1.Hash, error) { return l.diffID, nil }
func (l *fileLayer) Size() (int64, error)     { return l.size, nil }
func (l *fileLayer) MediaType() (types.MediaType, error) {
	return types.OCILayer, nil
}
func (l *fileLayer) Compressed() (io.ReadCloser, error) { return os.Open(l.path) }

// layer makes it a go-containerregistry layer.
func (l *fileLayer) layer() (v1.Layer, error) { return partial.CompressedToLayer(l) }

// writeLayer writes the tar stream that write produces as a compressed
// blob into blobs (a layout's blobs/sha256 directory), compressing blocks
// on every core, and hashes both forms on the way.
func writeLayer(blobs string, write func(io.Writer) error) (*fileLayer, error) {
	if err := os.MkdirAll(blobs, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(blobs, ".layer-")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name()) // after the rename, a no-op
	defer f.Close()
	compressed := &digester{h: sha256.New()}
	out := bufio.NewWriterSize(io.MultiWriter(f, compressed), 1<<20)
	zw, err := pgzip.NewWriterLevel(out, gzipLevel)
	if err != nil {
		return nil, err
	}
	if err := zw.SetConcurrency(blockSize, 2*runtime.NumCPU()); err != nil {
		return nil, err
	}
	uncompressed := &digester{h: sha256.New()}
	in := bufio.NewWriterSize(io.MultiWriter(zw, uncompressed), 1<<20)
	if err := write(in); err != nil {
		return nil, err
	}
	if err := in.Flush(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if err := out.Flush(); err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	l := &fileLayer{digest: compressed.sum(), diffID: uncompressed.sum(), size: compressed.n}
	l.path = filepath.Join(blobs, l.digest.Hex)
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(f.Name(), l.path); err != nil {
		return nil, fmt.Errorf("storing the layer: %w", err)
	}
	return l, nil
}

// digester hashes and counts what is written through it.
type digester struct {
	h hash.Hash
	n int64
}

func (d *digester) Write(b []byte) (int, error) {
	d.n += int64(len(b))
	return d.h.Write(b)
}

func (d *digester) sum() v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(d.h.Sum(nil))}
}
