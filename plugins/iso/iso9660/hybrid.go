package iso9660

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
)

// An isohybrid image starts with a master boot record, so that written to
// a USB stick it boots like a disk: isolinux's isohdpfx.bin code, the
// BIOS boot image's place, and one bootable partition over the whole
// image, as isohybrid and xorriso -isohybrid-mbr write it. With a UEFI
// boot entry, a second partition of type EF holds its EFI system
// partition image for UEFI firmware, and the first becomes type 00, which
// firmware skips where partitions overlap (as xorriso
// -isohybrid-gpt-basdat writes the MBR).
const (
	mbrCodeSize = 432
	// hybridAlign is the cylinder of the geometry isohybrid assumes (64
	// heads, 32 sectors of 512 bytes): the image grows to a whole number.
	hybridHeads, hybridSectors = 64, 32
	hybridAlign                = hybridHeads * hybridSectors * 512 / SectorSize
	// partitionType is isohybrid's default partition type; efiType marks
	// an EFI system partition.
	partitionType = 0x17
	efiType       = 0xef
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

// mbr is the first 512 bytes of the hybrid image.
func (l *layout) mbr() []byte {
	boot := l.boot[0].extent
	b := make([]byte, 512)
	copy(b, l.opts.HybridMBR[:mbrCodeSize])
	binary.LittleEndian.PutUint32(b[432:], boot*(SectorSize/512))
	// The disk signature depends on the volume alone: the same inputs
	// give the same image.
	id := fnv.New32a()
	fmt.Fprintf(id, "%s %d", l.opts.VolumeID, l.opts.Time.Unix())
	binary.LittleEndian.PutUint32(b[440:], id.Sum32())
	first := byte(partitionType)
	for i, e := range l.opts.Boot {
		if e.Platform == EFI {
			first = 0x00
			n := l.boot[i]
			partition(b[462:478], 0x00, efiType, n.extent*(SectorSize/512), (n.size+511)/512)
			break
		}
	}
	partition(b[446:462], 0x80, first, 0, l.volume*(SectorSize/512))
	b[510], b[511] = 0x55, 0xaa
	return b
}

// partition writes a partition table entry of blocks 512-byte blocks
// from start.
func partition(p []byte, status, typ byte, start, blocks uint32) {
	p[0] = status
	copy(p[1:4], chs(start))
	p[4] = typ
	copy(p[5:8], chs(start+blocks-1))
	binary.LittleEndian.PutUint32(p[8:], start)
	binary.LittleEndian.PutUint32(p[12:], blocks)
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
