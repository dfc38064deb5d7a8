// Package rpm reads RPM package files: the lead, the signature and main
// headers, and the cpio payload. It is the one RPM reader that strata's core
// and its plugins share.
//
// The reader is written for hostile input: every length and offset read from
// a file is checked against what the file can hold before anything is
// allocated, and every error names the byte offset where the file stopped
// making sense. The format is described in rpm's manual ("Package format",
// https://rpm-software-management.github.io/rpm/manual/format.html) and the
// LSB's "Package File Format" chapter
// (https://refspecs.linuxfoundation.org/LSB_5.0.0/LSB-Core-generic/LSB-Core-generic/pkgformat.html).
package rpm
