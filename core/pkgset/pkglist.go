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
// The file is a fixed head, then every string the packages hold, each
// once (the pool), then the packages as string ids and varints:
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
const listMagic = "strata pkglist\x00\x01"

const listHead = len(listMagic) + 8 + 8 + 4 + 4

// listStrings are a package's strings, in the order a record holds them.
func listStrings(p *Package) [12]*string {
	return [12]*string{&p.Location, &p.Name, &p.Version, &p.Release, &p.Arch, &p.SHA256, &p.HeaderSHA256,
		&p.Files, &p.PayloadDigest, &p.Damaged, &p.SigKey, &p.SourceRPM}
}

// listDeps are a package's dependency lists, in the order a record
// holds them.
func listDeps(p *Package) [6]*[]rpm.Dependency {
	return [6]*[]rpm.Dependency{&p.Provides, &p.Requires, &p.Obsoletes, &p.Conflicts, &p.Recommends, &p.Supplements}
}

// writePackageList writes pkgs to path, whole or not at all. Their
// Source is the caller's, and is not kept.
func writePackageList(path string, pkgs []*Package) error {
	ids := map[string]uint64{}
	var pool, lengths, recs []byte
	id := func(s string) uint64 {
		n, ok := ids[s]
		if !ok {
			n = uint64(len(ids))
			ids[s] = n
			pool = append(pool, s...)
			lengths = binary.AppendUvarint(lengths, uint64(len(s)))
		}
		return n
	}
	ndeps := 0
	for _, p := range pkgs {
		for _, s := range listStrings(p) {
			recs = binary.AppendUvarint(recs, id(*s))
		}
		for _, n := range []int64{p.HeaderEnd, int64(p.Epoch), p.BuildTime, p.Size, p.FileMTime, int64(p.FileInode)} {
			recs = binary.AppendVarint(recs, n)
		}
		flags := uint64(0)
		if p.HasScriptlets {
			flags |= 1
		}
		if p.Verified {
			flags |= 2
		}
		recs = binary.AppendUvarint(recs, flags)
		for _, deps := range listDeps(p) {
			recs = binary.AppendUvarint(recs, uint64(len(*deps)))
			ndeps += len(*deps)
			for _, d := range *deps {
				recs = binary.AppendUvarint(recs, id(d.Name))
				recs = binary.AppendUvarint(recs, uint64(d.Flags))
				recs = binary.AppendUvarint(recs, id(d.Version))
			}
		}
	}
	head := binary.AppendUvarint(nil, uint64(len(ids)))
	head = append(head, lengths...)
	head = binary.AppendUvarint(head, uint64(len(pkgs)))
	head = binary.AppendUvarint(head, uint64(ndeps))
	recs = append(head, recs...)

	out := make([]byte, 0, listHead+len(pool)+len(recs))
	out = append(out, listMagic...)
	out = binary.LittleEndian.AppendUint64(out, uint64(len(pool)))
	out = binary.LittleEndian.AppendUint64(out, uint64(len(recs)))
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(pool))
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(recs))
	out = append(append(out, pool...), recs...)
	return files.WriteAtomic(path, out)
}

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
	str := func() string {
		id := r.uvarint()
		if id >= uint64(nstrings) {
			r.bad = true
			return ""
		}
		start := uint32(0)
		if id > 0 {
			start = ends[id-1]
		}
		return pool[start:ends[id]]
	}
	npkgs, ndeps := count(), count()
	if r.bad {
		return nil, false
	}
	slab := make([]Package, npkgs)
	depSlab := make([]rpm.Dependency, ndeps)
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
		for _, deps := range listDeps(p) {
			n := count()
			if n > len(depSlab) {
				return nil, false
			}
			if n == 0 {
				continue
			}
			// Cut so that an append to one package's list cannot write
			// over the next one's.
			*deps, depSlab = depSlab[:n:n], depSlab[n:]
			for j := range *deps {
				(*deps)[j] = rpm.Dependency{Name: str(), Flags: rpm.Flags(r.uvarint()), Version: str()}
			}
		}
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

func (r *recordReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad = true
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// dirListFile is the package list of the rpm_dir source at dir, in the
// cache directory.
func dirListFile(cacheDir, dir string) string {
	return filepath.Join(cacheDir, "sources", fmt.Sprintf("%x.pkgs", hashString(dir)))
}
