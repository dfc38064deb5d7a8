package pkgset

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sync/atomic"
)

// detail is what a plan needs of the few packages it names and not of
// the rest of the universe: a package's digests and its files. Of
// 77,000 packages, they are most of what their list holds.
type detail struct {
	// sha256 is the digest of the whole file. A plan reads only the
	// headers of local packages, so it may be empty until an apply needs
	// the file (Digests.Hash).
	sha256 string
	// headerSHA256 is the digest of a local file's lead, signature and
	// header, which record the payload's digest: it names the package's
	// content without reading the payload. Empty for the packages of
	// remote repositories, whose sha256 their metadata gives.
	headerSHA256 string
	// files lists the package's files and directories, one per line.
	files string
	// payloadDigest is the sha256 of the compressed payload the header
	// records until the payload is checked against it (empty when it
	// records none or another algorithm, and once Verified).
	payloadDigest string
}

// detailFiles is where files is among a detail's fields.
const detailFiles = 2

// fields are the detail's strings, in the order a list holds them.
func (d *detail) fields() [4]*string {
	return [4]*string{&d.sha256, &d.headerSHA256, &d.files, &d.payloadDigest}
}

// details is a package's detail: held, or where its list holds it, read
// when first asked for. Packages are read from several goroutines, so
// the detail is replaced whole, never changed in place.
type details struct {
	held atomic.Pointer[detail]
	// from, at and size are where the list holds the detail.
	from *listFile
	at   int64
	size uint32
}

// SHA256 is the digest of the whole file; empty until an apply needs the
// file of a local package whose plan read only its header
// (Digests.Hash).
func (p *Package) SHA256() string { return p.detail().sha256 }

// SetSHA256 records the digest of the whole file, as Digests.Hash does.
func (p *Package) SetSHA256(sum string) { p.updateDetail(func(d *detail) { d.sha256 = sum }) }

// HeaderSHA256 is the digest of a local file's lead, signature and
// header; empty for a remote repository's package.
func (p *Package) HeaderSHA256() string { return p.detail().headerSHA256 }

// Files lists the package's files and directories, one per line.
func (p *Package) Files() string { return p.detail().files }

// detail returns the package's detail, reading it from its list the
// first time. A list that cannot be read then gives an empty detail and
// says so in listError.
func (d *details) detail() *detail {
	if x := d.held.Load(); x != nil {
		return x
	}
	if d.from == nil {
		return &detail{}
	}
	x := d.from.read(d.at, d.size)
	d.held.CompareAndSwap(nil, x)
	return d.held.Load()
}

// setDetail replaces the detail.
func (d *details) setDetail(x detail) { d.held.Store(&x) }

// updateDetail changes a copy of the detail and keeps it.
func (d *details) updateDetail(change func(*detail)) {
	x := *d.detail()
	change(&x)
	d.setDetail(x)
}

// listFile is an open package list whose packages' details are read
// when asked for. The file is replaced, never written in place, so what
// it holds stays what loading checked for as long as it is open.
type listFile struct {
	f    *os.File
	base int64 // where the details start
	err  atomic.Pointer[error]
}

// read reads the detail of size bytes at at.
func (l *listFile) read(at int64, size uint32) *detail {
	raw := make([]byte, size)
	if _, err := l.f.ReadAt(raw, l.base+at); err != nil {
		l.fail(err)
		return &detail{}
	}
	d, ok := parseDetail(raw)
	if !ok {
		l.damaged(at)
	}
	return d
}

// damaged records that the detail at at does not parse.
func (l *listFile) damaged(at int64) {
	l.fail(fmt.Errorf("the detail at offset %d is damaged", l.base+at))
}

func (l *listFile) fail(err error) {
	err = fmt.Errorf("%s: %w", l.f.Name(), err)
	l.err.CompareAndSwap(nil, &err)
}

// listError returns the first error of reading the details of pkgs from
// their lists.
func listError(pkgs []*Package) error {
	var last *listFile
	for _, p := range pkgs {
		if p.from == nil || p.from == last {
			continue
		}
		last = p.from
		if err := last.err.Load(); err != nil {
			return *err
		}
	}
	return nil
}

// appendDetail appends d as a list holds it: each string its length
// and its bytes.
func appendDetail(b []byte, d *detail) []byte {
	for _, s := range d.fields() {
		b = binary.AppendUvarint(b, uint64(len(*s)))
		b = append(b, *s...)
	}
	return b
}

// listName names the list that holds the detail; "" for none.
func (d *details) listName() string {
	if d.from == nil {
		return ""
	}
	return d.from.f.Name()
}

// onDisk says the detail is where its list holds it, not read yet.
func (d *details) onDisk() bool { return d.from != nil && d.held.Load() == nil }

// detailSize is the length of the package's detail as a list holds it,
// known without reading it: what eachDetail gives for it.
func (p *Package) detailSize() int {
	if p.onDisk() {
		return int(p.size)
	}
	n := 0
	for _, s := range p.detail().fields() {
		n += len(*s) + 1
		for l := len(*s); l >= 0x80; l >>= 7 { // the length's uvarint
			n++
		}
	}
	return n
}

// detailField returns the i-th string of a detail as a list holds it.
func detailField(raw []byte, i int) ([]byte, bool) {
	for {
		n, k := binary.Uvarint(raw)
		if k <= 0 || n > uint64(len(raw)-k) {
			return nil, false
		}
		if i == 0 {
			return raw[k : k+int(n)], true
		}
		raw, i = raw[k+int(n):], i-1
	}
}

// parseDetail reads what appendDetail wrote; a damaged detail is empty.
func parseDetail(raw []byte) (*detail, bool) {
	var d detail
	for i, s := range d.fields() {
		b, ok := detailField(raw, i)
		if !ok {
			return &detail{}, false
		}
		*s = string(b)
	}
	return &d, true
}

// eachDetail calls fn with the detail of each package of pkgs, in order,
// as a list holds it, without keeping it: each list is read on, in large
// reads, from where the last detail asked for ended. fn must not keep
// the bytes.
func eachDetail(pkgs []*Package, fn func(p *Package, raw []byte)) {
	readers := map[*listFile]*detailReader{}
	var held []byte
	for _, p := range pkgs {
		if !p.onDisk() {
			held = appendDetail(held[:0], p.detail())
			fn(p, held)
			continue
		}
		r := readers[p.from]
		if r == nil {
			r = &detailReader{l: p.from}
			readers[p.from] = r
		}
		raw, err := r.read(p.at, p.size)
		if err != nil {
			p.from.fail(err)
			held = appendDetail(held[:0], &detail{})
			raw = held
		}
		fn(p, raw)
	}
}

// detailReader reads one list's details in about the order the list
// holds them: forward it reads on, backward or far ahead it starts again
// where it is asked to.
type detailReader struct {
	l   *listFile
	r   *bufio.Reader
	pos int64 // where r's next byte is in the details
	buf []byte
}

func (r *detailReader) read(at int64, size uint32) ([]byte, error) {
	if r.r == nil || at < r.pos || at-r.pos > detailSkip {
		section := io.NewSectionReader(r.l.f, r.l.base+at, math.MaxInt64-r.l.base-at)
		if r.r == nil {
			r.r = bufio.NewReaderSize(section, 256<<10)
		} else {
			r.r.Reset(section)
		}
		r.pos = at
	}
	if _, err := r.r.Discard(int(at - r.pos)); err != nil {
		return nil, err
	}
	r.buf = slices.Grow(r.buf[:0], int(size))[:size]
	if _, err := io.ReadFull(r.r, r.buf); err != nil {
		return nil, err
	}
	r.pos = at + int64(size)
	return r.buf, nil
}

// detailSkip is how far ahead a detailReader reads on rather than
// starting again.
const detailSkip = 1 << 20
