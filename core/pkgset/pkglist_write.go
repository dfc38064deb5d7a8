package pkgset

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash"
	"hash/crc32"
	"os"

	"github.com/strata-build/strata/sdk/files"
)

// writePackageList writes pkgs to path, whole or not at all. Their
// Source is the caller's, and is not kept.
func writePackageList(path string, pkgs []*Package) error {
	return files.WriteAtomicWith(path, newListWriter(pkgs).write)
}

// listWriter writes one package list (pkglist.go) as it encodes it,
// holding only the strings' order and an index of those that repeat:
// the strings are the packages' own, the details (19 MB of a
// 77,000-package list's 33) are copied from the old list as they are
// read, and the records are encoded as they are written.
type listWriter struct {
	pkgs []*Package
	// strs are the list's strings by id, in the pool's order. Names,
	// versions and dependencies repeat across packages and are kept
	// once (repeated numbers them); a package's own strings (own, by
	// package) are numbered in order with them.
	strs       []string
	repeated   *nameTable
	own        []uint32
	ndeps      int
	detailsLen int
}

// newListWriter numbers the strings of pkgs.
func newListWriter(pkgs []*Package) *listWriter {
	lw := &listWriter{pkgs: pkgs,
		strs: make([]string, 0, (ownStrings+3)*len(pkgs)), // about three new strings a package
		own:  make([]uint32, 0, ownStrings*len(pkgs))}
	lw.repeated = newNameTable(3*len(pkgs), func(id int32) string { return lw.strs[id] })
	for _, p := range pkgs {
		for i, s := range listStrings(p) {
			if i < ownStrings {
				lw.own = append(lw.own, lw.add(*s))
			} else {
				lw.shared(*s)
			}
		}
		for k := range depKinds {
			lw.ndeps += p.count(k)
			for d := range p.deps(k) {
				lw.shared(d.Name)
				lw.shared(d.Version)
			}
		}
		lw.detailsLen += p.detailSize()
	}
	return lw
}

func (lw *listWriter) add(s string) uint32 {
	lw.strs = append(lw.strs, s)
	return uint32(len(lw.strs) - 1)
}

// shared returns the id of a string that may repeat, numbering it the
// first time.
func (lw *listWriter) shared(s string) uint32 {
	if id, ok := lw.repeated.find(s); ok {
		return uint32(id)
	}
	id := lw.add(s)
	lw.repeated.add(int32(id))
	return id
}

// write writes the list into f: a blank head, the parts, then the head
// with the parts' lengths and checksums.
func (lw *listWriter) write(f *os.File) error {
	w := bufio.NewWriterSize(f, 256<<10)
	w.Write(make([]byte, listHead))
	parts := []*sectionWriter{{w: w, sum: crc32.NewIEEE()}, {w: w, sum: crc32.NewIEEE()}, {w: w, sum: crc32.NewIEEE()}}
	lw.writePool(parts[0])
	if err := lw.writeDetails(parts[1]); err != nil {
		return err
	}
	lw.writeRecords(parts[2])
	if err := w.Flush(); err != nil {
		return err
	}
	head := make([]byte, 0, listHead)
	head = append(head, listMagic...)
	for _, part := range parts {
		head = binary.LittleEndian.AppendUint64(head, uint64(part.n))
	}
	for _, part := range parts {
		head = binary.LittleEndian.AppendUint32(head, part.sum.Sum32())
	}
	_, err := f.WriteAt(head, 0)
	return err
}

// writePool writes the strings' bytes, a chunk at a time: a checksum
// takes bytes.
func (lw *listWriter) writePool(pool *sectionWriter) {
	var chunk []byte
	for _, s := range lw.strs {
		if len(chunk)+len(s) > 64<<10 {
			pool.Write(chunk)
			chunk = chunk[:0]
		}
		chunk = append(chunk, s...)
	}
	pool.Write(chunk)
}

// writeDetails copies the packages' details as their lists hold them.
func (lw *listWriter) writeDetails(details *sectionWriter) error {
	i := 0
	eachDetail(lw.pkgs, func(_ *Package, raw []byte) {
		if len(raw) != lw.pkgs[i].detailSize() {
			lw.detailsLen = -1 // changed since it was counted
		}
		details.Write(raw)
		i++
	})
	if err := listError(lw.pkgs); err != nil {
		return err // a list written now would hold empty details
	}
	if details.n != lw.detailsLen {
		return fmt.Errorf("a package's detail changed while its list was written; this is a bug in strata")
	}
	return nil
}

// writeRecords writes the strings' lengths, the counts and a record a
// package.
func (lw *listWriter) writeRecords(recs *sectionWriter) {
	recs.uvarint(uint64(len(lw.strs)))
	for _, s := range lw.strs {
		recs.uvarint(uint64(len(s)))
	}
	recs.uvarint(uint64(len(lw.pkgs)))
	recs.uvarint(uint64(lw.ndeps))
	for i, p := range lw.pkgs {
		for j, s := range listStrings(p) {
			if j < ownStrings {
				recs.uvarint(uint64(lw.own[ownStrings*i+j]))
			} else {
				recs.uvarint(uint64(lw.shared(*s)))
			}
		}
		for _, n := range []int64{p.HeaderEnd, int64(p.Epoch), p.BuildTime, p.Size, p.FileMTime, int64(p.FileInode)} {
			recs.Write(binary.AppendVarint(recs.buf[:0], n))
		}
		flags := uint64(0)
		if p.HasScriptlets {
			flags |= 1
		}
		if p.Verified {
			flags |= 2
		}
		recs.uvarint(flags)
		recs.uvarint(uint64(p.detailSize()))
		for k := range depKinds {
			recs.uvarint(uint64(p.count(k)))
			for d := range p.deps(k) {
				recs.uvarint(uint64(lw.shared(d.Name)))
				recs.uvarint(uint64(d.Flags))
				recs.uvarint(uint64(lw.shared(d.Version)))
			}
		}
	}
}

// sectionWriter writes one part of a list, counting and summing it.
type sectionWriter struct {
	w   *bufio.Writer
	sum hash.Hash32
	n   int
	buf [binary.MaxVarintLen64]byte
}

func (s *sectionWriter) Write(b []byte) (int, error) {
	s.sum.Write(b)
	s.n += len(b)
	return s.w.Write(b) // its error stays in w, for Flush
}

func (s *sectionWriter) uvarint(v uint64) { s.Write(binary.AppendUvarint(s.buf[:0], v)) }
