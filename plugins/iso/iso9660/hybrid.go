package iso9660

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
)

// An isohybrid image starts with a master boot record, so that written to
// a USB stick it boots like a disk: isolinux's isohdpfx.bin code, the
// BIOS boot image's place, and one bootable partition over the whole
// image, as isohybrid and xorriso -isohybrid-mbr write it.
const (
	mbrCodeSize = 432
	// hybridAlign is the cylinder of the geometry isohybrid assumes (64
	// heads, 32 sectors of 512 bytes): the image grows to a whole number.
	hybridHeads, hybridSectors = 64, 32
	hybridAlign                = hybridHeads * hybridSectors * 512 / SectorSize
	// partitionType is isohybrid's default partition type.
	partitionType = 0x17
)

// checkHybrid reports why an image cannot be hybrid, or nil.
func checkHybrid(opts Options) error {
	if len(opts.HybridMBR) < mbrCodeSize {
		return fmt.Errorf("the hybrid MBR code is %d bytes; isohdpfx.bin holds at least %d", len(opts.HybridMBR), mbrCodeSize)
	}
	if len(opts.Boot) == 0 || opts.Boot[0].Platform != BIOS {
		return fmt.Errorf("a hybrid image boots its first El Torito entry from the MBR; make it the BIOS entry")
	}
	return nil
}

// mbr is the first 512 bytes of a hybrid image of volume sectors whose
// BIOS boot image starts at sector boot.
func (l *layout) mbr(boot uint32) []byte {
	b := make([]byte, 512)
	copy(b, l.opts.HybridMBR[:mbrCodeSize])
	binary.LittleEndian.PutUint32(b[432:], boot*(SectorSize/512))
	// The disk signature depends on the volume alone: the same inputs
	// give the same image.
	id := fnv.New32a()
	fmt.Fprintf(id, "%s %d", l.opts.VolumeID, l.opts.Time.Unix())
	binary.LittleEndian.PutUint32(b[440:], id.Sum32())
	blocks := l.volume * (SectorSize / 512)
	p := b[446:462]
	p[0] = 0x80
	copy(p[1:4], chs(0))
	p[4] = partitionType
	copy(p[5:8], chs(blocks-1))
	binary.LittleEndian.PutUint32(p[8:], 0)
	binary.LittleEndian.PutUint32(p[12:], blocks)
	b[510], b[511] = 0x55, 0xaa
	return b
}

// chs encodes a 512-byte block's cylinder, head and sector in the
// geometry isohybrid assumes, capped at the last cylinder CHS can name.
func chs(block uint32) []byte {
	c := block / (hybridHeads * hybridSectors)
	h := block / hybridSectors % hybridHeads
	s := block%hybridSectors + 1
	if c > 1023 {
		c, h, s = 1023, hybridHeads-1, hybridSectors
	}
	return []byte{byte(h), byte(s) | byte(c>>8)<<6, byte(c)}
}
