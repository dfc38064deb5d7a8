package iso9660

import (
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"
	"unicode/utf8"
)

// SectorSize is the logical block size of every image.
const SectorSize = 2048

// File is one entry of the image. Directories that hold entries need not
// be listed; listed ones give their mode and owner.
type File struct {
	// Path is slash-separated and relative: "repodata/repomd.xml".
	Path string
	// Mode holds the type (fs.ModeDir, fs.ModeSymlink or none for a
	// regular file) and the permission bits, with setuid, setgid and
	// sticky.
	Mode     fs.FileMode
	UID, GID uint32
	// Size is a regular file's length; Open must give that many bytes.
	Size int64
	Open func() (io.ReadCloser, error)
	// Target is a symbolic link's target.
	Target string
}

// Platform is the firmware an El Torito entry boots.
type Platform byte

const (
	BIOS Platform = 0x00
	EFI  Platform = 0xef
)

// BootEntry is one El Torito boot image, a file of the image. Entries
// are made without emulation, as isolinux, GRUB and EFI system
// partitions expect.
type BootEntry struct {
	Platform Platform
	Path     string
	// LoadSectors is how many 512-byte sectors the firmware loads; 0
	// means the whole file (what UEFI entries give).
	LoadSectors uint16
	// InfoTable patches the boot information table into the image's copy
	// of the file at offset 8, as -boot-info-table does for isolinux.
	InfoTable bool
}

// Options describe the volume.
type Options struct {
	// VolumeID is at most 32 characters (see CheckVolumeID), also the
	// Joliet volume id (its first 16 characters).
	VolumeID string
	// Publisher, Preparer and Application fill the descriptors' fields.
	Publisher, Preparer, Application string
	// Time stamps the volume and every record: the image depends on no
	// clock.
	Time time.Time
	// Joliet adds the Joliet tree.
	Joliet bool
	// Boot entries, in catalog order; the first is the default. Catalog
	// is the path of the boot catalog in the image.
	Boot    []BootEntry
	Catalog string
	// HybridMBR makes the image hybrid, bootable from a disk such as a USB
	// stick, by BIOS and, with a UEFI entry, by UEFI: it is isolinux's
	// isohdpfx.bin (its first 432 bytes are the MBR's code), and the
	// first boot entry must be the BIOS one. The image grows to a whole
	// MiB.
	HybridMBR []byte
	// ImplantMD5 implants the MD5 of the image as implantisomd5 does;
	// Supported sets its RHLISOSTATUS to 1 (implantisomd5
	// --supported-iso).
	ImplantMD5, Supported bool
}

// Result describes a written image.
type Result struct {
	// Size is the image's length in bytes.
	Size int64
	// MD5 is the implanted MD5 (hex), empty without ImplantMD5.
	MD5 string
}

// maxFileSize is the largest file one extent holds.
const maxFileSize = 1<<32 - 1

// CheckVolumeID reports why id cannot be a volume identifier, or nil.
// ISO 9660 asks for upper-case d-characters, but installers find their
// disc by a label such as "Fedora-S-dvd-x86_64-41" (what xorriso and
// genisoimage write verbatim), so the a-characters and lower-case letters
// are accepted; other characters, which blkid and udev mangle, are not.
func CheckVolumeID(id string) error {
	if id == "" {
		return fmt.Errorf("the volume id is empty")
	}
	if len(id) > 32 {
		return fmt.Errorf("the volume id %q has %d characters; ISO 9660 allows 32", id, len(id))
	}
	if i := strings.IndexFunc(id, func(r rune) bool { return !isLabelChar(r) }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(id[i:])
		return fmt.Errorf("the volume id %q has %q at %d; use letters, digits, space and !\"%%&'()*+,-./:;<=>?_", id, r, i)
	}
	if strings.TrimSpace(id) != id {
		return fmt.Errorf("the volume id %q starts or ends with a space", id)
	}
	return nil
}

func isLabelChar(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune(" !\"%&'()*+,-./:;<=>?_", r)
}
