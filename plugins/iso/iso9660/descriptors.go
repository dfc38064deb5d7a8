package iso9660

import (
	"encoding/binary"
	"time"
)

// recordBytes is a directory record: its extent and size, a directory
// flag, its identifier and System Use entries.
func recordBytes(extent, size uint32, dir bool, id, su []byte, t time.Time) []byte {
	b := []byte{0, 0}
	b = append(b, both32(extent)...)
	b = append(b, both32(size)...)
	b = append(b, recordTime(t)...)
	flags := byte(0)
	if dir {
		flags = 0x02
	}
	b = append(b, flags, 0, 0)
	b = append(b, both16(1)...)
	b = append(b, byte(len(id)))
	b = append(b, id...)
	if len(id)%2 == 0 {
		b = append(b, 0)
	}
	b = append(b, su...)
	if len(b)%2 == 1 {
		b = append(b, 0)
	}
	b[0] = byte(len(b))
	return b
}

// volumeDescriptor is the primary descriptor or, with joliet, the
// supplementary one of the Joliet tree.
func (l *layout) volumeDescriptor(joliet bool) []byte {
	b := make([]byte, SectorSize)
	text := func(at int, s string, n int) {
		if joliet {
			copy(b[at:], ucs2Padded(s, n))
		} else {
			copy(b[at:], padded(s, n))
		}
	}
	b[0] = 1
	copy(b[1:], "CD001")
	b[6] = 1
	text(8, "LINUX", 32)
	text(40, l.opts.VolumeID, 32)
	copy(b[80:], both32(l.volume))
	root, ptSize, ptL, ptM := recordBytes(l.root.extent, l.root.size, true, []byte{0}, nil, l.opts.Time), l.ptSize, l.ptL, l.ptM
	if joliet {
		b[0] = 2
		copy(b[88:], "%/E")
		root, ptSize, ptL, ptM = recordBytes(l.root.jextent, l.root.jsize, true, []byte{0}, nil, l.opts.Time), l.jptSize, l.jptL, l.jptM
	}
	copy(b[120:], both16(1))
	copy(b[124:], both16(1))
	copy(b[128:], both16(SectorSize))
	copy(b[132:], both32(ptSize))
	binary.LittleEndian.PutUint32(b[140:], ptL)
	binary.BigEndian.PutUint32(b[148:], ptM)
	copy(b[156:], root)
	text(190, l.opts.VolumeID, 128)
	text(318, l.opts.Publisher, 128)
	text(446, l.opts.Preparer, 128)
	text(574, l.opts.Application, 128)
	text(702, "", 37)
	text(739, "", 37)
	text(776, "", 37)
	stamp := volumeTime(l.opts.Time)
	copy(b[813:], stamp)
	copy(b[830:], stamp)
	copy(b[847:], noTime())
	copy(b[864:], stamp)
	b[881] = 1
	// The application use field stays blank: implantisomd5 writes there.
	copy(b[883:], padded("", 512))
	return b
}

// bootRecord is El Torito's boot record descriptor, pointing to the
// catalog.
func (l *layout) bootRecord() []byte {
	b := make([]byte, SectorSize)
	copy(b[1:], "CD001")
	b[6] = 1
	copy(b[7:], "EL TORITO SPECIFICATION")
	binary.LittleEndian.PutUint32(b[71:], l.catalog.extent)
	return b
}

// terminator ends the volume descriptors.
func terminator() []byte {
	b := make([]byte, SectorSize)
	b[0] = 255
	copy(b[1:], "CD001")
	b[6] = 1
	return b
}

// pathTable is a path table of dirs, little-endian (L) or big-endian (M).
func pathTable(dirs []*node, joliet, bigEndian bool) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	if bigEndian {
		order = binary.BigEndian
	}
	var b []byte
	for _, d := range dirs {
		id, extent, parent := primaryPathID(d), d.extent, 1
		if joliet {
			id, extent = jolietPathID(d), d.jextent
		}
		if d.parent != nil {
			parent = d.parent.number
			if joliet {
				parent = d.parent.jnumber
			}
		}
		b = append(b, byte(len(id)), 0)
		b = order.AppendUint32(b, extent)
		b = order.AppendUint16(b, uint16(parent))
		b = append(b, id...)
		if len(id)%2 == 1 {
			b = append(b, 0)
		}
	}
	return b
}
