// Package kvpack keeps keyed records in one append-only file that plugin
// processes share: a cache of what is costly to compute again (package
// headers, repository metadata fragments), keyed by content.
//
// Opening a pack reads where each record lies, not the records; Get
// reads one record with one positioned read, EachMany many in one pass
// in the order the file holds them, and a Cursor reads them again where
// EachMany found them. Put holds new records until Save
// appends them under a file lock, so concurrent processes add to
// the same pack without losing each other's records. A record cut short
// (a write that did not finish) ends the pack, and the next Save writes
// over it; a record whose checksum does not match is a miss, never a
// wrong value. A pack is a cache: any damage only costs the work of
// computing its records again.
package kvpack

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/maphash"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
)

const magic = "strata kvpack 1\n"

// maxRecord bounds a record's key and value, so that a damaged length
// cannot ask for a huge allocation.
const maxRecord = 1 << 30

// Pack is an open pack file. Its methods may be called from several
// goroutines.
type Pack struct {
	path string

	mu   sync.Mutex
	file *os.File
	// index finds records by their key's hash, so that it does not hold
	// every key: a pack of a distribution's headers has hundreds of
	// thousands. Two keys of one hash cost a miss (Get checks the key
	// the record holds), never a wrong value.
	seed    maphash.Seed
	index   map[uint64]span
	end     int64 // where the records end
	pending map[string][]byte
	order   []string            // pending keys in the order they were put
	read    map[uint64]struct{} // hashes of the keys Get found in the file
}

// span is where a whole record lies in the file.
type span struct{ off, len int64 }

// rewriteAbove is the file size above which Save writes a new file
// without the records this process did not read, when they are most of
// it.
var rewriteAbove int64 = 256 << 20

// Open opens the pack at path. A missing, unreadable or foreign file is
// an empty pack; Save then replaces it. An empty path keeps nothing.
func Open(path string) *Pack {
	p := &Pack{path: path, pending: map[string][]byte{}, seed: maphash.MakeSeed()}
	p.load()
	return p
}

// load indexes the file as it is now.
func (p *Pack) load() {
	p.file, p.index, p.end, p.read = nil, map[uint64]span{}, 0, map[uint64]struct{}{}
	if p.path == "" {
		return
	}
	f, err := os.Open(p.path)
	if err != nil {
		return
	}
	index, end, err := scan(f, p.seed)
	if err != nil {
		f.Close()
		return
	}
	p.file, p.index, p.end = f, index, end
}

// scan indexes the records of f and says where they end: at the end of
// the file or of its last whole record. Checksums are checked by Get.
func scan(f *os.File, seed maphash.Seed) (map[uint64]span, int64, error) {
	r := bufio.NewReaderSize(f, 256<<10)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(r, head); err != nil || string(head) != magic {
		return nil, 0, errors.New("not a pack")
	}
	index := map[uint64]span{}
	off := int64(len(magic))
	var key []byte
	for {
		klen, vlen, n, err := readLengths(r)
		if err != nil {
			return index, off, nil
		}
		key = slices.Grow(key[:0], int(klen))[:klen]
		if _, err := io.ReadFull(r, key); err != nil {
			return index, off, nil
		}
		if _, err := r.Discard(int(vlen) + 4); err != nil {
			return index, off, nil
		}
		size := int64(n) + int64(klen) + int64(vlen) + 4
		index[maphash.Bytes(seed, key)] = span{off, size}
		off += size
	}
}

// readLengths reads a record's key and value lengths, and says how many
// bytes they took.
func readLengths(r io.ByteReader) (klen, vlen uint64, n int, err error) {
	if klen, err = binary.ReadUvarint(r); err != nil {
		return 0, 0, 0, err
	}
	if vlen, err = binary.ReadUvarint(r); err != nil {
		return 0, 0, 0, err
	}
	if klen > maxRecord || vlen > maxRecord {
		return 0, 0, 0, errors.New("damaged record")
	}
	return klen, vlen, uvarintLen(klen) + uvarintLen(vlen), nil
}

func uvarintLen(v uint64) int { return len(binary.AppendUvarint(nil, v)) }

// appendRecord appends a record: the key's and the value's lengths as
// uvarints, the key, the value, and the CRC-32 of all of them.
func appendRecord(b []byte, key string, value []byte) []byte {
	start := len(b)
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = binary.AppendUvarint(b, uint64(len(value)))
	b = append(b, key...)
	b = append(b, value...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}

// parseRecord returns the value of the whole record rec when it is key's
// and its checksum holds.
func parseRecord(rec []byte, key string) ([]byte, bool) {
	if len(rec) < 4 {
		return nil, false
	}
	body, sum := rec[:len(rec)-4], rec[len(rec)-4:]
	if crc32.ChecksumIEEE(body) != binary.BigEndian.Uint32(sum) {
		return nil, false
	}
	klen, vlen, n, err := readLengths(bytes.NewReader(body))
	if err != nil || uint64(len(body)) != uint64(n)+klen+vlen || string(body[n:n+int(klen)]) != key {
		return nil, false
	}
	return body[n+int(klen):], true
}

// Get returns the value of key, from what Put added or from the file.
func (p *Pack) Get(key string) ([]byte, bool) {
	p.mu.Lock()
	if v, ok := p.pending[key]; ok {
		p.mu.Unlock()
		return v, true
	}
	h := maphash.String(p.seed, key)
	s, ok := p.index[h]
	f := p.file
	p.mu.Unlock()
	if !ok || f == nil {
		return nil, false
	}
	rec := make([]byte, s.len)
	if _, err := f.ReadAt(rec, s.off); err != nil {
		return nil, false
	}
	v, ok := parseRecord(rec, key)
	if ok {
		p.mu.Lock()
		p.read[h] = struct{}{}
		p.mu.Unlock()
	}
	return v, ok
}

// Ref is where a value EachMany read lies in the pack's file, for a
// Cursor to read it again. A value Put added and not yet saved has none.
type Ref struct {
	file     *os.File
	off, len int64
}

// IsZero says r is no value's place: the value was only Put.
func (r Ref) IsZero() bool { return r.file == nil }

// EachMany calls fn with the value of each of keys the pack holds, with
// the key's index and where the value lies, reading the file's records
// in the order the file holds them: one pass in large reads, through
// one buffer, however many there are. A value read from the file is
// valid only during the call; one Put added is the slice Put was given.
// Keys the pack does not hold are left out.
func (p *Pack) EachMany(keys []string, fn func(i int, value []byte, ref Ref)) {
	type wanted struct {
		i int
		h uint64
		s span
	}
	var wants []wanted
	p.mu.Lock()
	for i, key := range keys {
		if v, ok := p.pending[key]; ok {
			p.mu.Unlock()
			fn(i, v, Ref{})
			p.mu.Lock()
			continue
		}
		h := maphash.String(p.seed, key)
		if s, ok := p.index[h]; ok {
			wants = append(wants, wanted{i, h, s})
		}
	}
	f := p.file
	p.mu.Unlock()
	if f == nil || len(wants) == 0 {
		return
	}
	slices.SortFunc(wants, func(a, b wanted) int { return cmp.Compare(a.s.off, b.s.off) })
	var c Cursor
	found := make([]uint64, 0, len(wants))
	for _, w := range wants {
		ref := Ref{f, w.s.off, w.s.len}
		if v, ok := c.Read(ref, keys[w.i]); ok {
			fn(w.i, v, ref)
			found = append(found, w.h)
		}
	}
	p.mu.Lock()
	for _, h := range found {
		p.read[h] = struct{}{}
	}
	p.mu.Unlock()
}

// Cursor reads values again at their Refs, through one buffer: a value
// that lies just after the one read before costs no system call. Its
// zero value is ready; it is not for concurrent use.
type Cursor struct {
	r   *bufio.Reader
	f   *os.File
	pos int64 // where r's next byte is in f
	rec []byte
}

// Read returns the value at ref when it is still key's, valid until the
// next Read. A record damaged, or a file closed since (a Save that loads
// the pack again closes the file EachMany read), is a miss.
func (c *Cursor) Read(ref Ref, key string) ([]byte, bool) {
	if ref.file == nil {
		return nil, false
	}
	if c.r == nil || c.f != ref.file || ref.off < c.pos || ref.off-c.pos > skipAhead {
		section := io.NewSectionReader(ref.file, ref.off, math.MaxInt64-ref.off)
		if c.r == nil {
			c.r = bufio.NewReaderSize(section, 256<<10)
		} else {
			c.r.Reset(section)
		}
		c.f, c.pos = ref.file, ref.off
	}
	if _, err := c.r.Discard(int(ref.off - c.pos)); err != nil {
		c.r = nil
		return nil, false
	}
	c.rec = slices.Grow(c.rec[:0], int(ref.len))[:ref.len]
	if _, err := io.ReadFull(c.r, c.rec); err != nil {
		c.r = nil
		return nil, false
	}
	c.pos = ref.off + ref.len
	return parseRecord(c.rec, key)
}

// skipAhead is how far ahead a Cursor reads on rather than starting again.
const skipAhead = 1 << 20

// Put adds a record, kept in memory until Save.
func (p *Pack) Put(key string, value []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.pending[key]; !ok {
		p.order = append(p.order, key)
	}
	p.pending[key] = value
}

// Save appends the records Put added since the last Save, under a file
// lock. When the file has grown large and most of it is records this
// process did not read, it writes a new file holding only the records
// it read or added, so that a pack does not grow without bound.
func (p *Pack) Save() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.pending) == 0 || p.path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p.path), 0o755); err != nil {
		return err
	}
	lock, err := os.OpenFile(p.path+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	extended := false
	if p.end > rewriteAbove && p.readBytes()+p.pendingBytes() < p.end/4 {
		err = p.rewrite()
	} else {
		extended, err = p.append()
	}
	if err != nil {
		return err
	}
	p.pending, p.order = map[string][]byte{}, nil
	if !extended {
		if p.file != nil {
			p.file.Close()
		}
		p.load()
	}
	return nil
}

// readBytes is the size of the records Get found in the file.
func (p *Pack) readBytes() int64 {
	var n int64
	for h := range p.read {
		n += p.index[h].len
	}
	return n
}

// pendingBytes is the size of the records Put added, as written.
func (p *Pack) pendingBytes() int64 {
	var n int64
	for k, v := range p.pending {
		n += int64(uvarintLen(uint64(len(k))) + uvarintLen(uint64(len(v))) + len(k) + len(v) + 4)
	}
	return n
}

// writePending writes the records Put added, in their order, through
// one buffer (a record is never held twice in memory), and says where
// each lies when w starts at offset off.
func (p *Pack) writePending(w io.Writer, off int64) (map[uint64]span, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	spans := make(map[uint64]span, len(p.order))
	var rec []byte
	for _, k := range p.order {
		rec = appendRecord(rec[:0], k, p.pending[k])
		if _, err := bw.Write(rec); err != nil {
			return nil, err
		}
		spans[maphash.String(p.seed, k)] = span{off, int64(len(rec))}
		off += int64(len(rec))
	}
	return spans, bw.Flush()
}

// append adds records where the records in the file end now, cutting off
// a damaged tail. When the file is still the one p indexed and no other
// process has appended to it, p's index is extended with the new records
// (extended is true) instead of the file being scanned again.
func (p *Pack) append() (extended bool, err error) {
	f, err := os.OpenFile(p.path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return false, err
	}
	defer f.Close()
	end, same := p.end, p.indexes(f)
	if !same {
		if _, end, err = scan(f, p.seed); err != nil {
			// Empty or foreign: start it again.
			end = 0
		}
		if err := f.Truncate(end); err != nil {
			return false, err
		}
	}
	w := io.NewOffsetWriter(f, end)
	if end == 0 {
		if _, err := io.WriteString(w, magic); err != nil {
			return false, fmt.Errorf("appending to %s: %w", p.path, err)
		}
	}
	spans, err := p.writePending(w, max(end, int64(len(magic))))
	if err != nil {
		return false, fmt.Errorf("appending to %s: %w", p.path, err)
	}
	if !same {
		return false, nil
	}
	for k, s := range spans {
		p.index[k] = s
		p.end = max(p.end, s.off+s.len)
	}
	return true, nil
}

// indexes says whether f is the file p indexed, as p indexed it: the same
// inode, ending where its last record p saw ends.
func (p *Pack) indexes(f *os.File) bool {
	if p.file == nil || p.end == 0 {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Size() != p.end {
		return false
	}
	old, err := p.file.Stat()
	return err == nil && os.SameFile(fi, old)
}

// rewrite replaces the file with the records this process read and the
// new ones.
func (p *Pack) rewrite() error {
	tmp, err := os.CreateTemp(filepath.Dir(p.path), ".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 256<<10)
	bw.WriteString(magic)
	fresh := make(map[uint64]bool, len(p.pending))
	for k := range p.pending {
		fresh[maphash.String(p.seed, k)] = true
	}
	for h := range p.read {
		if fresh[h] {
			continue
		}
		s := p.index[h]
		rec := make([]byte, s.len)
		if _, err := p.file.ReadAt(rec, s.off); err == nil {
			bw.Write(rec)
		}
	}
	err = bw.Flush()
	if err == nil {
		_, err = p.writePending(tmp, 0) // the file is loaded again after
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", p.path, err)
	}
	return os.Rename(tmp.Name(), p.path)
}

// Close releases the file.
func (p *Pack) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.file == nil {
		return nil
	}
	err := p.file.Close()
	p.file = nil
	return err
}
