// Package iso9660 writes ISO 9660 images as installer media carry them:
// a primary tree with Rock Ridge (POSIX names, modes, owners, symbolic
// links), a Joliet tree for other systems, El Torito boot entries for
// BIOS and UEFI with an optional hybrid MBR, and the MD5 implanted as
// implantisomd5 does, computed while the image is written.
//
// Every timestamp comes from one time the caller gives, names are
// sorted, and nothing depends on the clock or the host: the same files
// give the same bytes. The layout follows what xorriso and genisoimage
// write, so that isoinfo, xorriso, the kernel, SeaBIOS and OVMF read it.
package iso9660
