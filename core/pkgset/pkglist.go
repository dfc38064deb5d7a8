package pkgset

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-build/strata/sdk/rpm"
)

// A package list is what was read of one source's packages, kept in one
// file so that loading an unchanged source is one read: an rpm_dir
// source's headers with each file's state, or a repository's parsed
// metadata. It is a cache; a list that is damaged, cut or of another
// version is not one, and its source is read again.
//
// The file is a fixed head, then every string the packages hold (the
// pool; those that repeat across packages, such as names, versions and
// dependencies, once), then the packages' details (details.go), then
// the packages as string ids and varints:
//
//	magic, pool length, details length, records length (uint64s),
//	the three parts' CRC-32s (uint32s)
//	pool:    the strings' bytes, one after another
//	details: per package its four detail strings, each a length and
//	         its bytes
//	records: count of strings, each one's length;
//	         count of packages, count of dependencies;
//	         per package its strings as ids, its numbers, its
//	         detail's length and its six dependency lists (a count,
//	         then name id, flags, version id)
//
// Loading keeps the pool as one string that the packages' strings are
// parts of, and the packages and their dependencies in one slice each:
// three allocations, whatever the number of packages, and no string
// copied or hashed. The details stay in the file, checked, and are read
// for the packages a plan names.
const listMagic = "strata pkglist\x00\x03"

const listHead = len(listMagic) + 3*8 + 3*4

// listStrings are a package's strings, in the order a record holds them:
// first the ownStrings that are the package's own (its file's path and
// what is wrong with it), then those that repeat across packages.
func listStrings(p *Package) [8]*string {
	return [8]*string{&p.Location, &p.Damaged, &p.Name, &p.Version, &p.Release, &p.Arch, &p.SigKey, &p.SourceRPM}
}

const ownStrings = 2

// errBadList says a package list is damaged or of another version.
var errBadList = errors.New("not a package list of this version")

// readPackageList reads the packages writePackageList wrote to path.
// The file stays open while they are held: their details are read from
// it when asked for.
func readPackageList(path string) (pkgs []*Package, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	r := bufio.NewReaderSize(f, 1<<20)
	head := make([]byte, listHead)
	if _, err := io.ReadFull(r, head); err != nil || string(head[:len(listMagic)]) != listMagic {
		return nil, errBadList
	}
	h := head[len(listMagic):]
	var lens [3]uint64
	total := uint64(listHead)
	for i := range lens {
		lens[i] = binary.LittleEndian.Uint64(h[8*i:])
		if lens[i] > uint64(st.Size()) {
			return nil, errBadList
		}
		total += lens[i]
	}
	if total != uint64(st.Size()) {
		return nil, errBadList
	}
	sums := h[3*8:]
	part := func(i int, w io.Writer) bool {
		sum := crc32.NewIEEE()
		_, err := io.CopyN(w, io.TeeReader(r, sum), int64(lens[i]))
		return err == nil && sum.Sum32() == binary.LittleEndian.Uint32(sums[4*i:])
	}
	// The pool is read into a builder, whose String is its bytes
	// without a copy: every string of the list is a part of it. The
	// details are only checked. The records are decoded as they are
	// read, and the list is bad unless their checksum then matches.
	var pool strings.Builder
	pool.Grow(int(lens[0]))
	if !part(0, &pool) || !part(1, io.Discard) {
		return nil, errBadList
	}
	from := &listFile{f: f, base: int64(listHead) + int64(lens[0])}
	sum := crc32.NewIEEE()
	pkgs, ok := decodeList(pool.String(), io.TeeReader(io.LimitReader(r, int64(lens[2])), sum), lens[2], from, lens[1])
	if !ok || sum.Sum32() != binary.LittleEndian.Uint32(sums[8:]) {
		return nil, errBadList
	}
	return pkgs, nil
}

// decodeList decodes a list's records against its pool; a record that
// names a string or dependency the list does not hold makes it bad.
func decodeList(pool string, recs io.Reader, recsLen uint64, from *listFile, detailsLen uint64) ([]*Package, bool) {
	r := recordReader{src: recs, buf: make([]byte, recordWindow)}
	// Each string, package and dependency takes a byte of the records at
	// least: counts beyond that are damage, not allocations to make.
	count := func() int {
		n := r.uvarint()
		if n > recsLen {
			r.bad = true
			return 0
		}
		return int(n)
	}
	nstrings := count()
	ends := make([]uint32, nstrings)
	end := uint64(0)
	for i := range ends {
		end += r.uvarint()
		if end > uint64(len(pool)) {
			return nil, false
		}
		ends[i] = uint32(end)
	}
	strs := &strtab{pool: pool, ends: ends}
	id := func() uint32 {
		id := r.uvarint()
		if id >= uint64(nstrings) {
			r.bad = true
			return 0
		}
		return uint32(id)
	}
	str := func() string {
		n := id()
		if r.bad {
			return ""
		}
		return strs.str(n)
	}
	npkgs, ndeps := count(), count()
	if r.bad || ndeps > math.MaxUint32 {
		return nil, false
	}
	at := uint64(0) // where the next detail starts
	slab := make([]Package, npkgs)
	strs.deps = make([]depRef, ndeps)
	first := 0 // where the next package's dependencies start
	pkgs := make([]*Package, npkgs)
	for i := range slab {
		p := &slab[i]
		pkgs[i] = p
		for _, s := range listStrings(p) {
			*s = str()
		}
		var epoch, inode int64
		for _, n := range []*int64{&p.HeaderEnd, &epoch, &p.BuildTime, &p.Size, &p.FileMTime, &inode} {
			*n = r.varint()
		}
		p.Epoch, p.FileInode = uint64(epoch), uint64(inode)
		flags := r.uvarint()
		p.HasScriptlets, p.Verified = flags&1 != 0, flags&2 != 0
		size := r.uvarint()
		if size > detailsLen-at || size > math.MaxUint32 {
			return nil, false
		}
		p.from, p.at, p.size = from, int64(at), uint32(size)
		at += size
		// The package's dependencies are a run of the table's, ids in it.
		p.strs, p.first = strs, uint32(first)
		total := 0
		for k := range depKinds {
			n := count()
			if n > ndeps-first-total {
				return nil, false
			}
			for j := first + total; j < first+total+n; j++ {
				strs.deps[j] = depRef{name: id(), flags: rpm.Flags(r.uvarint()), version: id()}
			}
			total += n
			p.ends[k] = uint32(total)
		}
		first += total
		if r.bad {
			return nil, false
		}
	}
	return pkgs, r.done() && first == ndeps && at == detailsLen
}

// recordReader reads a list's varints from a window on its records, read
// on as it empties: a 77,000-package list's records are 6 MB that need
// not be held at once. One past the end marks it bad and reads as zero.
type recordReader struct {
	b   []byte    // what is left of the window
	src io.Reader // the records after it; nil once read to the end
	buf []byte
	bad bool
}

// recordWindow is the size of a recordReader's window.
const recordWindow = 256 << 10

func (r *recordReader) uvarint() uint64 {
	if len(r.b) < binary.MaxVarintLen64 && r.src != nil {
		n := copy(r.buf, r.b)
		m, err := io.ReadFull(r.src, r.buf[n:])
		r.b = r.buf[:n+m]
		if err != nil {
			r.src = nil // the end, or a read that failed: what is left is all
		}
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// done says every record was read, and nothing follows them.
func (r *recordReader) done() bool {
	if len(r.b) > 0 {
		return false
	}
	if r.src != nil {
		n, _ := io.ReadFull(r.src, r.buf[:1])
		return n == 0
	}
	return true
}

// varint reads what binary.AppendVarint wrote: the uvarint of the
// value zig-zag encoded.
func (r *recordReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// dirListFile is the package list of the rpm_dir source at dir, in the
// cache directory.
func dirListFile(cacheDir, dir string) string {
	return filepath.Join(cacheDir, "sources", fmt.Sprintf("%x.pkgs", hashString(dir)))
}
