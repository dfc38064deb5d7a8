package rpm

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
	"github.com/ulikunitz/xz/lzma"
)

// PayloadReader reads the members of a package's payload in archive order.
// Next moves to the next member; Read reads its content.
type PayloadReader struct {
	cpio  cpioReader
	close func()
}

// Payload returns a reader of the payload that follows the headers in r;
// r must be where Read left it.
func (p *Package) Payload(r io.Reader) (*PayloadReader, error) {
	compressor := p.Header.String(TagPayloadCompressor)
	if f := p.Header.String(TagPayloadFormat); f != "" && f != "cpio" {
		return nil, formatErr(p.HeaderEnd, "unsupported payload format %q", f)
	}
	br := bufio.NewReader(r)
	if compressor == "" {
		compressor = sniffCompressor(br)
	}
	dr, closeFn, err := decompressor(compressor, br)
	if err != nil {
		return nil, formatErr(p.HeaderEnd, "payload: %v", err)
	}
	return &PayloadReader{
		cpio:  cpioReader{r: bufio.NewReaderSize(dr, 256<<10), files: p.Files()},
		close: closeFn,
	}, nil
}

// zstdDecoders keeps zstd decoders for reuse: each holds a window of
// history that a new decoder per package would allocate again.
var zstdDecoders sync.Pool

func decompressor(name string, r io.Reader) (io.Reader, func(), error) {
	nop := func() {}
	switch name {
	case "gzip":
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return z, func() { z.Close() }, nil
	case "bzip2":
		return bzip2.NewReader(r), nop, nil
	case "xz":
		z, err := xz.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("xz: %w", err)
		}
		return z, nop, nil
	case "lzma":
		if err := checkLZMAHeader(r); err != nil {
			return nil, nil, err
		}
		z, err := lzma.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("lzma: %w", err)
		}
		return z, nop, nil
	case "zstd":
		z, _ := zstdDecoders.Get().(*zstd.Decoder)
		if z == nil {
			var err error
			if z, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true)); err != nil {
				return nil, nil, fmt.Errorf("zstd: %w", err)
			}
		}
		if err := z.Reset(r); err != nil {
			zstdDecoders.Put(z)
			return nil, nil, fmt.Errorf("zstd: %w", err)
		}
		return z, func() { z.Reset(nil); zstdDecoders.Put(z) }, nil
	case "identity":
		return r, nop, nil
	}
	return nil, nil, fmt.Errorf("unsupported compressor %q", name)
}

// maxDict bounds the dictionary a payload may ask the decompressor to
// allocate. xz -9, the largest preset rpm uses, takes 64 MiB.
const maxDict = 256 << 20

// checkLZMAHeader refuses an LZMA stream whose header asks for more memory
// than any real package needs, before the decoder allocates it.
func checkLZMAHeader(r io.Reader) error {
	br, ok := r.(*bufio.Reader)
	if !ok {
		return nil
	}
	h, err := br.Peek(lzma.HeaderLen)
	if err != nil {
		return fmt.Errorf("lzma: %w", unexpectedEOF(err))
	}
	if d := binary.LittleEndian.Uint32(h[1:5]); d > maxDict {
		return fmt.Errorf("lzma: dictionary of %d bytes is larger than any package needs", d)
	}
	return nil
}

// sniffCompressor recognises the payload compression of old packages that
// do not name it, by its magic number.
func sniffCompressor(r *bufio.Reader) string {
	b, _ := r.Peek(6)
	switch {
	case bytes.HasPrefix(b, []byte{0x1f, 0x8b}):
		return "gzip"
	case bytes.HasPrefix(b, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return "xz"
	case bytes.HasPrefix(b, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return "zstd"
	case bytes.HasPrefix(b, []byte("BZh")):
		return "bzip2"
	case bytes.HasPrefix(b, []byte("07070")):
		return "identity"
	}
	return "unrecognised"
}

// Next returns the next member, or io.EOF after the last one.
func (pr *PayloadReader) Next() (*PayloadEntry, error) {
	return pr.cpio.next()
}

// Read reads the content of the current member.
func (pr *PayloadReader) Read(b []byte) (int, error) {
	return pr.cpio.Read(b)
}

// Close releases the decompressor.
func (pr *PayloadReader) Close() error {
	if pr.close != nil {
		pr.close()
		pr.close = nil
	}
	return nil
}
