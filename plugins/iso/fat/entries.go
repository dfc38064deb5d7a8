package fat

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
)

const (
	attrVolume = 0x08
	attrDir    = 0x10
	attrFile   = 0x20
	attrLFN    = 0x0f
)

// dirEntries are the entries of directory d, whose parent is parent (nil
// for the root, which has no "." and ".."), stamped with t.
func dirEntries(d, parent *node, t time.Time) []byte {
	var out []byte
	if parent != nil {
		out = append(out, entry(".          ", attrDir, d.cluster, 0, t)...)
		out = append(out, entry("..         ", attrDir, parent.cluster, 0, t)...)
	}
	taken := map[string]bool{}
	for _, c := range d.children {
		short, long := shortName(c.name, taken)
		taken[short] = true
		if long {
			out = append(out, lfnEntries(c.name, short)...)
		}
		attr, size := byte(attrFile), len(c.data)
		if c.dir {
			attr, size = attrDir, 0
		}
		out = append(out, entry(short, attr, c.cluster, size, t)...)
	}
	return out
}

// entry is one short directory entry; name is the 11 bytes of its 8.3
// form.
func entry(name string, attr byte, cluster, size int, t time.Time) []byte {
	b := make([]byte, entrySize)
	copy(b, name)
	b[11] = attr
	date, clock := dosTime(t)
	binary.LittleEndian.PutUint16(b[14:], clock)
	binary.LittleEndian.PutUint16(b[16:], date)
	binary.LittleEndian.PutUint16(b[18:], date)
	binary.LittleEndian.PutUint16(b[22:], clock)
	binary.LittleEndian.PutUint16(b[24:], date)
	binary.LittleEndian.PutUint16(b[26:], uint16(cluster))
	binary.LittleEndian.PutUint32(b[28:], uint32(size))
	return b
}

func volumeEntry(label string, t time.Time) []byte {
	return entry(fmt.Sprintf("%-11s", strings.ToUpper(label)), attrVolume, 0, 0, t)
}

// dosTime encodes t as FAT dates and times do, from 1980 on, in
// two-second steps.
func dosTime(t time.Time) (date, clock uint16) {
	t = t.UTC()
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	date = uint16(t.Year()-1980)<<9 | uint16(t.Month())<<5 | uint16(t.Day())
	clock = uint16(t.Hour())<<11 | uint16(t.Minute())<<5 | uint16(t.Second()/2)
	return date, clock
}

// shortChars are the characters an 8.3 name may hold besides A–Z, 0–9.
const shortChars = "!#$%&'()-@^_`{}~"

func isShortChar(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(shortChars, r)
}

// shortName is name's 11-byte 8.3 form and whether it needs a long name
// beside it: names that are not upper-case 8.3 get a NAME~N.EXT form
// not yet taken in the directory.
func shortName(name string, taken map[string]bool) (string, bool) {
	stem, ext, _ := strings.Cut(name, ".")
	valid := len(stem) >= 1 && len(stem) <= 8 && len(ext) <= 3 && !strings.Contains(ext, ".") &&
		strings.IndexFunc(stem+ext, func(r rune) bool { return !isShortChar(r) }) < 0
	if valid {
		return fmt.Sprintf("%-8s%-3s", stem, ext), false
	}
	clean := func(s string, n int) string {
		var b strings.Builder
		for _, r := range strings.ToUpper(s) {
			if isShortChar(r) && b.Len() < n {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		stem, ext = name[:i], name[i+1:]
	} else {
		stem, ext = name, ""
	}
	base, e := clean(stem, 6), clean(ext, 3)
	for n := 1; ; n++ {
		suffix := fmt.Sprintf("~%d", n)
		s := fmt.Sprintf("%-8s%-3s", base[:min(len(base), 8-len(suffix))]+suffix, e)
		if !taken[s] {
			return s, true
		}
	}
}

// lfnEntries are the long name entries that precede a short entry,
// last part first.
func lfnEntries(name, short string) []byte {
	chars := utf16.Encode([]rune(name))
	parts := ceilDiv(len(chars)+1, 13)
	padded := make([]uint16, parts*13)
	for i := range padded {
		switch {
		case i < len(chars):
			padded[i] = chars[i]
		case i == len(chars):
			padded[i] = 0
		default:
			padded[i] = 0xffff
		}
	}
	sum := checksum(short)
	var out []byte
	for p := parts; p >= 1; p-- {
		b := make([]byte, entrySize)
		b[0] = byte(p)
		if p == parts {
			b[0] |= 0x40
		}
		b[11], b[13] = attrLFN, sum
		part := padded[(p-1)*13 : p*13]
		for i, at := range []int{1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30} {
			binary.LittleEndian.PutUint16(b[at:], part[i])
		}
		out = append(out, b...)
	}
	return out
}

// checksum is the short name's checksum each long entry carries.
func checksum(short string) byte {
	var sum byte
	for i := 0; i < 11; i++ {
		sum = (sum&1)<<7 + sum>>1 + short[i]
	}
	return sum
}
