// Package rpm reads RPM package files: the lead, the signature and main
// headers, and the cpio payload. It is the one RPM reader that strata's core
// and its plugins share.
//
// The reader is written for hostile input: every length and offset read from
// a file is checked against what the file can hold before anything is
// allocated, and every error names the byte offset where the file stopped
// making sense. The format is described in rpm's doc/manual/format.md and
// the LSB "Package File Format" chapter.
package rpm
