package rpm

import (
	"bytes"
	"encoding/binary"
	"io"
	"strconv"
)

// Limits from rpm's lib/header.c (hdrchkTags, hdrchkData): a header with
// more entries or more data than this is corrupt, and we refuse it before
// allocating anything for it.
const (
	maxHeaderEntries = 0x00ffffff
	maxHeaderData    = 256 << 20
)

var headerMagic = []byte{0x8e, 0xad, 0xe8, 0x01}

// Header is one header structure of an RPM file: the signature header or the
// main header. Values are decoded on access; their extents were checked when
// the header was read, so access never fails.
type Header struct {
	entries map[Tag]entry
	index   []byte // the index entries as read
	data    []byte
}

type entry struct {
	typ    Type
	offset uint32
	count  uint32
}

// readHeader reads a header structure that starts at file offset base.
// It returns the header and the number of bytes it took, padding included
// when pad is set (the signature header is padded to 8 bytes).
func readHeader(r io.Reader, base int64, pad bool) (*Header, int64, error) {
	var intro [16]byte
	if _, err := io.ReadFull(r, intro[:]); err != nil {
		return nil, 0, formatErr(base, "header truncated: %v", unexpectedEOF(err))
	}
	if !bytes.Equal(intro[:4], headerMagic) {
		return nil, 0, formatErr(base, "bad header magic %x", intro[:4])
	}
	il := binary.BigEndian.Uint32(intro[8:12])
	dl := binary.BigEndian.Uint32(intro[12:16])
	if il > maxHeaderEntries {
		return nil, 0, formatErr(base+8, "header claims %d entries, more than rpm allows", il)
	}
	if dl > maxHeaderData {
		return nil, 0, formatErr(base+12, "header claims %d bytes of data, more than rpm allows", dl)
	}
	size := int64(il)*16 + int64(dl)
	// The first MiB is read at once, the rest as the file really holds
	// it: a lying length in a short file costs no more than that.
	buf := make([]byte, min(size, 1<<20))
	got, err := io.ReadFull(r, buf)
	buf = buf[:got]
	if err == nil && int64(got) < size {
		var rest []byte
		rest, err = io.ReadAll(io.LimitReader(r, size-int64(got)))
		buf = append(buf, rest...)
	}
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, 0, formatErr(base+16, "reading header: %v", err)
	}
	if int64(len(buf)) < size {
		return nil, 0, formatErr(base+16+int64(len(buf)), "header truncated: %d of %d bytes present", len(buf), size)
	}
	h := &Header{entries: make(map[Tag]entry, il), index: buf[:il*16], data: buf[il*16:]}
	for i := uint32(0); i < il; i++ {
		at := base + 16 + int64(i)*16
		ix := buf[i*16 : i*16+16]
		tag := Tag(binary.BigEndian.Uint32(ix[0:4]))
		e := entry{
			typ:    Type(binary.BigEndian.Uint32(ix[4:8])),
			offset: binary.BigEndian.Uint32(ix[8:12]),
			count:  binary.BigEndian.Uint32(ix[12:16]),
		}
		if err := h.check(tag, e); err != "" {
			return nil, 0, formatErr(at, "header entry %d (tag %d): %s", i, tag, err)
		}
		h.entries[tag] = e
	}
	n := 16 + size
	if pad {
		if p := (8 - n%8) % 8; p != 0 {
			if _, err := io.CopyN(io.Discard, r, p); err != nil {
				return nil, 0, formatErr(base+n, "header padding truncated: %v", unexpectedEOF(err))
			}
			n += p
		}
	}
	return h, n, nil
}

// check reports what is wrong with an entry's extent, or "".
func (h *Header) check(tag Tag, e entry) string {
	if e.typ > TypeI18NString {
		return "unknown data type " + strconv.FormatUint(uint64(e.typ), 10)
	}
	if e.typ == TypeNull {
		return ""
	}
	if e.count == 0 {
		return "no values"
	}
	if int64(e.offset) > int64(len(h.data)) {
		return "data offset " + strconv.FormatUint(uint64(e.offset), 10) + " past the end of the header"
	}
	if n := e.typ.size(); n > 0 {
		if int64(e.offset)+int64(e.count)*int64(n) > int64(len(h.data)) {
			return "values run past the end of the header"
		}
		return ""
	}
	if e.typ == TypeString && e.count != 1 {
		return "a STRING entry must hold one value"
	}
	o := int(e.offset)
	for s := uint32(0); s < e.count; s++ {
		end := bytes.IndexByte(h.data[o:], 0)
		if end < 0 {
			return "string runs past the end of the header"
		}
		o += end + 1
	}
	return ""
}

// Blob returns the header as rpm stores it in its database: the entry
// and data counts, the index and the data, without the magic.
func (h *Header) Blob() []byte {
	out := make([]byte, 8, 8+len(h.index)+len(h.data))
	binary.BigEndian.PutUint32(out[0:4], uint32(len(h.index)/16))
	binary.BigEndian.PutUint32(out[4:8], uint32(len(h.data)))
	out = append(out, h.index...)
	return append(out, h.data...)
}

// ReadBlob reads a header in the form Blob returns and rpm's database
// holds.
func ReadBlob(b []byte) (*Header, error) {
	r := io.MultiReader(bytes.NewReader(append(headerMagic[:4:4], 0, 0, 0, 0)), bytes.NewReader(b))
	h, n, err := readHeader(r, 0, false)
	if err == nil && n != int64(len(b))+8 {
		err = formatErr(n-8, "%d bytes after the header", int64(len(b))+8-n)
	}
	return h, err
}

// Has reports whether the header holds tag.
func (h *Header) Has(tag Tag) bool {
	_, ok := h.entries[tag]
	return ok
}

// Type returns the data type of tag, or TypeNull when it is absent.
func (h *Header) Type(tag Tag) Type {
	return h.entries[tag].typ
}

// Strings returns the values of a string entry; nil when tag is absent or
// not a string type. An I18N string gives one value per locale, the first
// being the default ("C") text.
func (h *Header) Strings(tag Tag) []string {
	e, ok := h.entries[tag]
	if !ok || !e.typ.isString() {
		return nil
	}
	out := make([]string, 0, e.count)
	o := int(e.offset)
	for s := uint32(0); s < e.count; s++ {
		end := bytes.IndexByte(h.data[o:], 0)
		out = append(out, string(h.data[o:o+end]))
		o += end + 1
	}
	return out
}

// String returns the first value of a string entry, or "".
func (h *Header) String(tag Tag) string {
	e, ok := h.entries[tag]
	if !ok || !e.typ.isString() {
		return ""
	}
	o := int(e.offset)
	return string(h.data[o : o+bytes.IndexByte(h.data[o:], 0)])
}

// Uints returns the values of an integer entry (INT8 to INT64, or CHAR);
// nil when tag is absent or of another type.
func (h *Header) Uints(tag Tag) []uint64 {
	e, ok := h.entries[tag]
	if !ok {
		return nil
	}
	n := e.typ.size()
	if n == 0 || e.typ == TypeBinary {
		return nil
	}
	out := make([]uint64, e.count)
	d := h.data[e.offset:]
	for i := range out {
		switch n {
		case 1:
			out[i] = uint64(d[i])
		case 2:
			out[i] = uint64(binary.BigEndian.Uint16(d[2*i:]))
		case 4:
			out[i] = uint64(binary.BigEndian.Uint32(d[4*i:]))
		case 8:
			out[i] = binary.BigEndian.Uint64(d[8*i:])
		}
	}
	return out
}

// Uint returns the first value of an integer entry and whether it exists.
func (h *Header) Uint(tag Tag) (uint64, bool) {
	v := h.Uints(tag)
	if len(v) == 0 {
		return 0, false
	}
	return v[0], true
}

// Bytes returns the raw bytes of a BIN entry; nil otherwise.
func (h *Header) Bytes(tag Tag) []byte {
	e, ok := h.entries[tag]
	if !ok || e.typ != TypeBinary {
		return nil
	}
	return h.data[e.offset : e.offset+e.count]
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
