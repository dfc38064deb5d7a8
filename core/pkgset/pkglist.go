package pkgset

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strata-build/strata/sdk/files"
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
// dependencies, once), then the packages as string ids and varints:
//
//	magic, pool length (uint64), records length (uint64),
//	pool CRC-32 (uint32), records CRC-32 (uint32)
//	pool:    the strings' bytes, one after another
//	records: count of strings, each one's length;
//	         count of packages, count of dependencies;
//	         per package its strings as ids, its numbers, and its six
//	         dependency lists (a count, then name id, flags, version id)
//
// Loading keeps the pool as one string that the packages' strings are
// parts of, and the packages and their dependencies in one slice each:
// three allocations, whatever the number of packages, and no string
// copied or hashed.
const listMagic = "strata pkglist\x00\x02"

const listHead = len(listMagic) + 8 + 8 + 4 + 4

// listStrings are a package's strings, in the order a record holds them:
// first the ownStrings that are the package's own (its file's path and
// digests), then those that repeat across packages.
func listStrings(p *Package) [12]*string {
	return [12]*string{&p.Location, &p.SHA256, &p.HeaderSHA256, &p.Files, &p.PayloadDigest, &p.Damaged,
		&p.Name, &p.Version, &p.Release, &p.Arch, &p.SigKey, &p.SourceRPM}
}

const ownStrings = 6

// writePackageList writes pkgs to path, whole or not at all. Their
// Source is the caller's, and is not kept.
func writePackageList(path string, pkgs []*Package) error {
	var pool, lengths, recs blocks
	nstrings := uint64(0)
	add := func(s string) uint64 {
		pool.appendString(s)
		lengths.appendUvarint(uint64(len(s)))
		nstrings++
		return nstrings - 1
	}
	// Names, versions and dependencies repeat across packages and are
	// kept once.
	ids := map[string]uint64{}
	shared := func(s string) uint64 {
		n, ok := ids[s]
		if !ok {
			n = add(s)
			ids[s] = n
		}
		return n
	}
	ndeps := 0
	for _, p := range pkgs {
		for i, s := range listStrings(p) {
			id := uint64(0)
			if i < ownStrings {
				id = add(*s)
			} else {
				id = shared(*s)
			}
			recs.appendUvarint(id)
		}
		for _, n := range []int64{p.HeaderEnd, int64(p.Epoch), p.BuildTime, p.Size, p.FileMTime, int64(p.FileInode)} {
			recs.appendVarint(n)
		}
		flags := uint64(0)
		if p.HasScriptlets {
			flags |= 1
		}
		if p.Verified {
			flags |= 2
		}
		recs.appendUvarint(flags)
		for k := range depKinds {
			recs.appendUvarint(uint64(p.count(k)))
			ndeps += p.count(k)
			for d := range p.deps(k) {
				recs.appendUvarint(shared(d.Name))
				recs.appendUvarint(uint64(d.Flags))
				recs.appendUvarint(shared(d.Version))
			}
		}
	}
	var counts, tail blocks
	counts.appendUvarint(nstrings)
	tail.appendUvarint(uint64(len(pkgs)))
	tail.appendUvarint(uint64(ndeps))
	records := slices.Concat(counts.parts(), lengths.parts(), tail.parts(), recs.parts())
	head := make([]byte, 0, listHead)
	head = append(head, listMagic...)
	head = binary.LittleEndian.AppendUint64(head, uint64(pool.len()))
	head = binary.LittleEndian.AppendUint64(head, uint64(counts.len()+lengths.len()+tail.len()+recs.len()))
	head = binary.LittleEndian.AppendUint32(head, checksum(pool.parts()))
	head = binary.LittleEndian.AppendUint32(head, checksum(records))
	return files.WriteAtomic(path, slices.Concat([][]byte{head}, pool.parts(), records)...)
}

func checksum(parts [][]byte) uint32 {
	sum := crc32.NewIEEE()
	for _, p := range parts {
		sum.Write(p)
	}
	return sum.Sum32()
}

// blocks are bytes appended in blocks of a MiB or more: growing them
// copies nothing already held, where one slice would copy it each time it
// doubled (a 77,000-package list is 35 MB).
type blocks struct {
	full [][]byte
	cur  []byte
	n    int
}

const blockSize = 1 << 20

// room makes room for n more bytes in the current block.
func (b *blocks) room(n int) {
	if len(b.cur)+n > cap(b.cur) {
		if len(b.cur) > 0 {
			b.full = append(b.full, b.cur)
		}
		b.cur = make([]byte, 0, max(blockSize, n))
	}
	b.n += n
}

func (b *blocks) appendString(s string) {
	b.room(len(s))
	b.cur = append(b.cur, s...)
}

func (b *blocks) appendUvarint(v uint64) {
	b.room(binary.MaxVarintLen64)
	n := len(b.cur)
	b.cur = binary.AppendUvarint(b.cur, v)
	b.n -= binary.MaxVarintLen64 - (len(b.cur) - n)
}

// appendVarint appends v as binary.AppendVarint does: zig-zag encoded.
func (b *blocks) appendVarint(v int64) { b.appendUvarint(uint64(v<<1) ^ uint64(v>>63)) }

func (b *blocks) len() int { return b.n }

func (b *blocks) parts() [][]byte { return append(b.full[:len(b.full):len(b.full)], b.cur) }

// errBadList says a package list is damaged or of another version.
var errBadList = errors.New("not a package list of this version")

// readPackageList reads the packages writePackageList wrote to path.
func readPackageList(path string) ([]*Package, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
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
	poolLen, recsLen := binary.LittleEndian.Uint64(h), binary.LittleEndian.Uint64(h[8:])
	poolSum, recsSum := binary.LittleEndian.Uint32(h[16:]), binary.LittleEndian.Uint32(h[20:])
	if poolLen > uint64(st.Size()) || recsLen > uint64(st.Size()) || uint64(listHead)+poolLen+recsLen != uint64(st.Size()) {
		return nil, errBadList
	}
	// The pool is read into a builder, whose String is its bytes
	// without a copy: every string of the list is a part of it.
	var pool strings.Builder
	pool.Grow(int(poolLen))
	sum := crc32.NewIEEE()
	if _, err := io.CopyN(&pool, io.TeeReader(r, sum), int64(poolLen)); err != nil || sum.Sum32() != poolSum {
		return nil, errBadList
	}
	recs := make([]byte, recsLen)
	if _, err := io.ReadFull(r, recs); err != nil || crc32.ChecksumIEEE(recs) != recsSum {
		return nil, errBadList
	}
	pkgs, ok := decodeList(pool.String(), recs)
	if !ok {
		return nil, errBadList
	}
	return pkgs, nil
}

// decodeList decodes a list's records against its pool; a record that
// names a string or dependency the list does not hold makes it bad.
func decodeList(pool string, recs []byte) ([]*Package, bool) {
	r := recordReader{b: recs}
	// Each string, package and dependency takes a byte of the records at
	// least: counts beyond that are damage, not allocations to make.
	count := func() int {
		n := r.uvarint()
		if n > uint64(len(recs)) {
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
	if r.bad {
		return nil, false
	}
	slab := make([]Package, npkgs)
	depSlab := make([]depRef, ndeps)
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
		// The package's dependencies are a part of the slab, ids in the
		// list's table.
		p.strs = strs
		total := 0
		for k := range depKinds {
			n := count()
			if n > len(depSlab)-total {
				return nil, false
			}
			for j := total; j < total+n; j++ {
				depSlab[j] = depRef{name: id(), flags: rpm.Flags(r.uvarint()), version: id()}
			}
			total += n
			p.ends[k] = uint32(total)
		}
		p.refs, depSlab = depSlab[:total:total], depSlab[total:]
		if r.bad {
			return nil, false
		}
	}
	return pkgs, len(r.b) == 0 && len(depSlab) == 0
}

// recordReader reads a list's varints; one past the end marks it bad
// and reads as zero.
type recordReader struct {
	b   []byte
	bad bool
}

func (r *recordReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
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
