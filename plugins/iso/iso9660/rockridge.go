package iso9660

import (
	"fmt"
	"io/fs"
	"strings"
	"time"
)

// System Use entries of SUSP and Rock Ridge (RRIP 1.10, as xorriso and
// genisoimage write with -R), each signature, length, version 1, data.

func suEntry(sig string, data ...[]byte) []byte {
	n := 4
	for _, d := range data {
		n += len(d)
	}
	out := append([]byte(sig), byte(n), 1)
	for _, d := range data {
		out = append(out, d...)
	}
	return out
}

// spEntry marks the use of SUSP, in the root's "." record.
func spEntry() []byte { return suEntry("SP", []byte{0xbe, 0xef, 0}) }

// Rock Ridge's extension reference, as RRIP 1.10 names itself.
const (
	rripID     = "RRIP_1991A"
	rripDesc   = "THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS"
	rripSource = "PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION."
)

func erEntry() []byte {
	return suEntry("ER", []byte{byte(len(rripID)), byte(len(rripDesc)), byte(len(rripSource)), 1},
		[]byte(rripID), []byte(rripDesc), []byte(rripSource))
}

// pxEntry gives POSIX attributes: st_mode, links, owner, group.
func pxEntry(mode fs.FileMode, nlink, uid, gid uint32) []byte {
	return suEntry("PX", both32(posixMode(mode)), both32(nlink), both32(uid), both32(gid))
}

// posixMode is the st_mode of a file mode.
func posixMode(m fs.FileMode) uint32 {
	out := uint32(m.Perm())
	switch {
	case m.IsDir():
		out |= 0o040000
	case m&fs.ModeSymlink != 0:
		out |= 0o120000
	default:
		out |= 0o100000
	}
	if m&fs.ModeSetuid != 0 {
		out |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		out |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		out |= 0o1000
	}
	return out
}

// tfEntry stamps modification, access and attribute change times.
func tfEntry(t time.Time) []byte {
	stamp := recordTime(t)
	return suEntry("TF", []byte{0x0e}, stamp, stamp, stamp)
}

// ceEntry points to the continuation of a record's entries.
func ceEntry(lba, offset, length uint32) []byte {
	return suEntry("CE", both32(lba), both32(offset), both32(length))
}

// maxEntryData bounds the data of one NM or SL entry, so that a name or
// link target of any length goes in several.
const maxEntryData = 200

// nmEntries carry a name, in pieces flagged CONTINUE but the last.
func nmEntries(name string) [][]byte {
	var out [][]byte
	for {
		part := name
		flags := byte(0)
		if len(part) > maxEntryData {
			part, flags = name[:maxEntryData], 1
		}
		out = append(out, suEntry("NM", []byte{flags}, []byte(part)))
		name = name[len(part):]
		if name == "" {
			return out
		}
	}
}

// slEntries carry a symbolic link's target as component records: ROOT
// for a leading slash, CURRENT and PARENT for . and .., long components
// continued.
func slEntries(target string) [][]byte {
	var comps [][]byte
	if strings.HasPrefix(target, "/") {
		comps = append(comps, []byte{0x08, 0})
	}
	for _, c := range strings.Split(target, "/") {
		switch c {
		case "":
		case ".":
			comps = append(comps, []byte{0x02, 0})
		case "..":
			comps = append(comps, []byte{0x04, 0})
		default:
			for len(c) > maxEntryData {
				comps = append(comps, append([]byte{0x01, maxEntryData}, c[:maxEntryData]...))
				c = c[maxEntryData:]
			}
			comps = append(comps, append([]byte{0, byte(len(c))}, c...))
		}
	}
	// Components go into SL entries of at most maxEntryData bytes; all
	// but the last entry are flagged CONTINUE.
	var groups [][]byte
	var cur []byte
	for _, c := range comps {
		if len(cur)+len(c) > maxEntryData+2 && len(cur) > 0 {
			groups = append(groups, cur)
			cur = nil
		}
		cur = append(cur, c...)
	}
	groups = append(groups, cur)
	out := make([][]byte, len(groups))
	for i, g := range groups {
		flags := byte(0)
		if i < len(groups)-1 {
			flags = 1
		}
		out[i] = suEntry("SL", []byte{flags}, g)
	}
	return out
}

// suArea is a record's System Use entries split between the record and
// a continuation area.
type suArea struct {
	inline []byte
	more   []byte // in the continuation area; a CE entry ends inline
	// ceLBA and ceOffset place more, once laid out.
	ceLBA, ceOffset uint32
}

// maxRecord is the largest directory record.
const maxRecord = 254

// splitSU keeps the entries that fit in a record of base bytes without
// them and moves the rest to a continuation area.
func splitSU(base int, entries [][]byte) (*suArea, error) {
	a := &suArea{}
	room, total := maxRecord-base, 0
	for _, e := range entries {
		total += len(e)
	}
	for _, e := range entries {
		if total <= room || len(a.more) == 0 && len(a.inline)+len(e) <= room-ceLen {
			a.inline = append(a.inline, e...)
		} else {
			a.more = append(a.more, e...)
		}
	}
	if len(a.more) > SectorSize {
		return nil, fmt.Errorf("%d bytes of Rock Ridge entries; a continuation area holds %d", len(a.more), SectorSize)
	}
	return a, nil
}

// ceLen is the length of a CE entry.
const ceLen = 28
