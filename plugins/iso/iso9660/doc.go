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
//
// The specifications: ECMA-119 4th edition (volume descriptors 8.4-8.5,
// directory records 9.1, path tables 9.4;
// https://ecma-international.org/publications-and-standards/standards/ecma-119/),
// Rock Ridge RRIP 1.12 and SUSP 1.12 (IEEE P1282, P1281), Joliet
// (Microsoft, 1995), El Torito 1.0 (Phoenix/IBM, 1995), and for the hybrid
// MBR and the implanted MD5 what xorriso's isohybrid and isomd5sum's
// libimplantisomd5.c write (shared/formats/iso.md).
package iso9660
