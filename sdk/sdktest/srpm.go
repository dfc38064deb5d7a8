package sdktest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sort"
)

// Header tags a source package is told apart by, and those of the
// signature header made again for it (rpm's lib/rpmtag.h).
const (
	tagSourceRPM     = 1044
	tagSourcePackage = 1106
	regionHeader     = 63 // HEADERIMMUTABLE
	regionSignature  = 62 // HEADERSIGNATURES
	sigSize          = 1000
	sigSHA256        = 273
	sigPayloadSize   = 1007
	sigRSA           = 268
	sigPGP           = 1002
	typeInt32        = 4
	typeString       = 6
	typeBin          = 7
)

// headerEntry is one entry of a header: its tag, type, count and data.
type headerEntry struct {
	tag, typ, count uint32
	data            []byte
}

// sourcePackage turns a package rpmpack wrote into a source package, as
// rpmbuild -bs makes one: the lead says "source", the header records
// SOURCEPACKAGE and no SOURCERPM (rpm's test of a source package), and
// the signature header is made again for the new header, signed again
// when sign is set.
func sourcePackage(pkg []byte, sign func([]byte) ([]byte, error)) ([]byte, error) {
	const leadSize = 96
	sigEnd, err := headerEnd(pkg, leadSize)
	if err != nil {
		return nil, err
	}
	sigs, err := decodeHeader(pkg[leadSize:sigEnd])
	if err != nil {
		return nil, err
	}
	hdrStart := sigEnd + (8-(sigEnd-leadSize)%8)%8
	hdrEnd, err := headerEnd(pkg, hdrStart)
	if err != nil {
		return nil, err
	}
	entries, err := decodeHeader(pkg[hdrStart:hdrEnd])
	if err != nil {
		return nil, err
	}
	kept := entries[:0]
	for _, e := range entries {
		if e.tag != tagSourceRPM {
			kept = append(kept, e)
		}
	}
	kept = append(kept, headerEntry{tag: tagSourcePackage, typ: typeInt32, count: 1, data: []byte{0, 0, 0, 1}})
	hdr := encodeHeader(kept, regionHeader)
	payload := pkg[hdrEnd:]

	sum := sha256.Sum256(hdr)
	newSigs := []headerEntry{
		{tag: sigSize, typ: typeInt32, count: 1, data: binary.BigEndian.AppendUint32(nil, uint32(len(hdr)+len(payload)))},
		{tag: sigSHA256, typ: typeString, count: 1, data: append([]byte(fmt.Sprintf("%x", sum)), 0)},
	}
	for _, e := range sigs {
		if e.tag == sigPayloadSize {
			newSigs = append(newSigs, e)
		}
	}
	if sign != nil {
		h, err := sign(hdr)
		if err != nil {
			return nil, err
		}
		hp, err := sign(append(append([]byte(nil), hdr...), payload...))
		if err != nil {
			return nil, err
		}
		newSigs = append(newSigs, headerEntry{tag: sigRSA, typ: typeBin, count: uint32(len(h)), data: h},
			headerEntry{tag: sigPGP, typ: typeBin, count: uint32(len(hp)), data: hp})
	}
	sig := encodeHeader(newSigs, regionSignature)

	out := append([]byte(nil), pkg[:leadSize]...)
	binary.BigEndian.PutUint16(out[6:8], 1) // lead type: source
	out = append(out, sig...)
	out = append(out, make([]byte, (8-len(sig)%8)%8)...)
	out = append(out, hdr...)
	return append(out, payload...), nil
}

// headerEnd is where the header structure at start ends.
func headerEnd(pkg []byte, start int) (int, error) {
	if len(pkg) < start+16 {
		return 0, fmt.Errorf("header at %d truncated", start)
	}
	il := int(binary.BigEndian.Uint32(pkg[start+8:]))
	dl := int(binary.BigEndian.Uint32(pkg[start+12:]))
	end := start + 16 + il*16 + dl
	if end > len(pkg) {
		return 0, fmt.Errorf("header at %d truncated", start)
	}
	return end, nil
}

// decodeHeader lists a header's entries, its region entry left out.
func decodeHeader(h []byte) ([]headerEntry, error) {
	il := int(binary.BigEndian.Uint32(h[8:]))
	store := h[16+il*16:]
	var out []headerEntry
	for i := 0; i < il; i++ {
		ix := h[16+i*16:]
		e := headerEntry{tag: binary.BigEndian.Uint32(ix), typ: binary.BigEndian.Uint32(ix[4:]), count: binary.BigEndian.Uint32(ix[12:])}
		if e.tag == regionHeader || e.tag == regionSignature {
			continue
		}
		off := int(binary.BigEndian.Uint32(ix[8:]))
		n, err := dataSize(e.typ, e.count, store, off)
		if err != nil {
			return nil, fmt.Errorf("tag %d: %w", e.tag, err)
		}
		e.data = store[off : off+n]
		out = append(out, e)
	}
	return out, nil
}

// dataSize is the size of an entry's data at off.
func dataSize(typ, count uint32, store []byte, off int) (int, error) {
	sizes := map[uint32]int{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, typeBin: 1}
	if s, ok := sizes[typ]; ok {
		if off+s*int(count) > len(store) {
			return 0, fmt.Errorf("data past the header's end")
		}
		return s * int(count), nil
	}
	strs := int(count)
	if typ == typeString {
		strs = 1
	}
	n := 0
	for i := 0; i < strs; i++ {
		end := bytes.IndexByte(store[off+n:], 0)
		if end < 0 {
			return 0, fmt.Errorf("string past the header's end")
		}
		n += end + 1
	}
	return n, nil
}

// encodeHeader writes a header structure: its entries sorted by tag,
// each aligned as its type needs, after the region entry whose trailer
// ends the data, as rpm writes them.
func encodeHeader(entries []headerEntry, region uint32) []byte {
	sort.Slice(entries, func(i, j int) bool { return entries[i].tag < entries[j].tag })
	align := map[uint32]int{3: 2, 4: 4, 5: 8}
	var data bytes.Buffer
	offsets := make([]int, len(entries))
	for i, e := range entries {
		if a := align[e.typ]; a > 0 && data.Len()%a != 0 {
			data.Write(make([]byte, a-data.Len()%a))
		}
		offsets[i] = data.Len()
		data.Write(e.data)
	}
	n := len(entries) + 1
	trailer := data.Len()
	data.Write(indexEntry(region, typeBin, uint32(-16*n), 16))
	out := []byte{0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0}
	out = binary.BigEndian.AppendUint32(out, uint32(n))
	out = binary.BigEndian.AppendUint32(out, uint32(data.Len()))
	out = append(out, indexEntry(region, typeBin, uint32(trailer), 16)...)
	for i, e := range entries {
		out = append(out, indexEntry(e.tag, e.typ, uint32(offsets[i]), e.count)...)
	}
	return append(out, data.Bytes()...)
}

func indexEntry(tag, typ, off, count uint32) []byte {
	b := binary.BigEndian.AppendUint32(nil, tag)
	b = binary.BigEndian.AppendUint32(b, typ)
	b = binary.BigEndian.AppendUint32(b, off)
	return binary.BigEndian.AppendUint32(b, count)
}
