package iso9660

import "encoding/binary"

// catalogBytes is the El Torito boot catalog: a validation entry, the
// first boot entry as the default, then a section per other entry, the
// last flagged final.
func (l *layout) catalogBytes() []byte {
	b := make([]byte, SectorSize)
	b[0] = 1
	b[1] = byte(l.opts.Boot[0].Platform)
	b[30], b[31] = 0x55, 0xaa
	var sum uint16
	for i := 0; i < 32; i += 2 {
		sum += binary.LittleEndian.Uint16(b[i:])
	}
	binary.LittleEndian.PutUint16(b[28:], -sum)
	l.bootEntry(b[32:64], 0)
	at := 64
	for i := 1; i < len(l.opts.Boot); i++ {
		header := b[at : at+32]
		header[0] = 0x90
		if i == len(l.opts.Boot)-1 {
			header[0] = 0x91
		}
		header[1] = byte(l.opts.Boot[i].Platform)
		binary.LittleEndian.PutUint16(header[2:], 1)
		l.bootEntry(b[at+32:at+64], i)
		at += 64
	}
	return b
}

// bootEntry fills a bootable entry without emulation: the sectors to load
// and the image's address.
func (l *layout) bootEntry(b []byte, i int) {
	e, n := l.opts.Boot[i], l.boot[i]
	b[0] = 0x88
	count := e.LoadSectors
	if count == 0 {
		count = uint16(min((n.file.Size+511)/512, 0xffff))
	}
	binary.LittleEndian.PutUint16(b[6:], count)
	binary.LittleEndian.PutUint32(b[8:], n.extent)
}

// patchInfoTable writes the boot information table into a boot image:
// at byte 8 the descriptor's sector, the image's sector, its length and
// the sum of its 32-bit little-endian words from byte 64.
func patchInfoTable(data []byte, extent uint32) {
	if len(data) < 64 {
		return
	}
	var sum uint32
	for i := 64; i < len(data); i += 4 {
		var w [4]byte
		copy(w[:], data[i:])
		sum += binary.LittleEndian.Uint32(w[:])
	}
	binary.LittleEndian.PutUint32(data[8:], 16)
	binary.LittleEndian.PutUint32(data[12:], extent)
	binary.LittleEndian.PutUint32(data[16:], uint32(len(data)))
	binary.LittleEndian.PutUint32(data[20:], sum)
	clear(data[24:64])
}
