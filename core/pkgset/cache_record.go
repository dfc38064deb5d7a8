package pkgset

import (
	"encoding/binary"

	"github.com/strata-build/strata/sdk/rpm"
)

// encodePackage is a header cache record: what was read from the file,
// as length-prefixed strings and varints. The file's path, state and
// source are the key's and the caller's.
func encodePackage(p *Package) []byte {
	b := binary.AppendUvarint(make([]byte, 0, 256+len(p.Files)), cacheVersion)
	for _, s := range []string{p.Name, p.Version, p.Release, p.Arch, p.SHA256, p.HeaderSHA256, p.Files, p.PayloadDigest, p.Damaged, p.SigKey, p.SourceRPM} {
		b = appendString(b, s)
	}
	b = binary.AppendVarint(b, p.HeaderEnd)
	b = binary.AppendUvarint(b, p.Epoch)
	b = binary.AppendVarint(b, p.BuildTime)
	flags := uint64(0)
	if p.HasScriptlets {
		flags |= 1
	}
	if p.Verified {
		flags |= 2
	}
	b = binary.AppendUvarint(b, flags)
	for _, deps := range [][]rpm.Dependency{p.Provides, p.Requires, p.Obsoletes, p.Conflicts, p.Recommends, p.Supplements} {
		b = binary.AppendUvarint(b, uint64(len(deps)))
		for _, d := range deps {
			b = appendString(b, d.Name)
			b = binary.AppendUvarint(b, uint64(d.Flags))
			b = appendString(b, d.Version)
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// decodePackage reads a record encodePackage wrote; a record of another
// version, or damaged, is not one. Strings that repeat across packages
// are interned by in (which may be nil).
func decodePackage(b []byte, in *interner) (*Package, bool) {
	r := recordReader{b: b}
	if r.uvarint() != cacheVersion {
		return nil, false
	}
	p := &Package{}
	for _, s := range []*string{&p.Name, &p.Version, &p.Release, &p.Arch} {
		*s = r.interned(in)
	}
	for _, s := range []*string{&p.SHA256, &p.HeaderSHA256, &p.Files, &p.PayloadDigest, &p.Damaged} {
		*s = r.string()
	}
	p.SigKey, p.SourceRPM = r.interned(in), r.interned(in)
	p.HeaderEnd = r.varint()
	p.Epoch = r.uvarint()
	p.BuildTime = r.varint()
	flags := r.uvarint()
	p.HasScriptlets, p.Verified = flags&1 != 0, flags&2 != 0
	for _, deps := range []*[]rpm.Dependency{&p.Provides, &p.Requires, &p.Obsoletes, &p.Conflicts, &p.Recommends, &p.Supplements} {
		n := r.uvarint()
		if n > uint64(len(r.b)) { // each takes a byte at least
			return nil, false
		}
		if n == 0 {
			continue
		}
		*deps = make([]rpm.Dependency, n)
		for i := range *deps {
			(*deps)[i] = rpm.Dependency{Name: r.interned(in), Flags: rpm.Flags(r.uvarint()), Version: r.interned(in)}
		}
	}
	return p, !r.bad && len(r.b) == 0
}

// recordReader reads a record's fields; a field past the end marks it
// bad and reads as zero.
type recordReader struct {
	b   []byte
	bad bool
}

func (r *recordReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	r.skip(n)
	return v
}

func (r *recordReader) varint() int64 {
	v, n := binary.Varint(r.b)
	r.skip(n)
	return v
}

// skip moves past a field of n bytes; n <= 0, binary's "no value" (and
// then a zero value), marks the record bad.
func (r *recordReader) skip(n int) {
	if n <= 0 {
		r.bad, r.b = true, nil
		return
	}
	r.b = r.b[n:]
}

func (r *recordReader) string() string { return r.interned(nil) }

// interned reads a string field, interned by in.
func (r *recordReader) interned(in *interner) string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.bad, r.b = true, nil
		return ""
	}
	s := in.string(r.b[:n])
	r.b = r.b[n:]
	return s
}
