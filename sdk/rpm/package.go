package rpm

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	"github.com/strata-build/strata/sdk/files"
)

const leadSize = 96

var leadMagic = []byte{0xed, 0xab, 0xee, 0xdb}

// Package is the metadata of an RPM file: its signature and main headers and
// where the main header lies in the file.
type Package struct {
	Signature *Header
	Header    *Header
	// HeaderStart and HeaderEnd delimit the main header in the file, as
	// createrepo_c reports them in <rpm:header-range>.
	HeaderStart, HeaderEnd int64
}

// Read reads the lead and both headers of a package from r. On success r is
// positioned at the start of the payload (see Package.Payload).
func Read(r io.Reader) (*Package, error) {
	var lead [leadSize]byte
	if _, err := io.ReadFull(r, lead[:]); err != nil {
		return nil, formatErr(0, "lead truncated: %v", unexpectedEOF(err))
	}
	if !bytes.Equal(lead[:4], leadMagic) {
		return nil, formatErr(0, "not an RPM file (lead magic %x)", lead[:4])
	}
	if lead[4] < 3 {
		return nil, formatErr(4, "unsupported RPM format version %d", lead[4])
	}
	sig, n, err := readHeader(r, leadSize, true)
	if err != nil {
		return nil, err
	}
	start := leadSize + n
	hdr, m, err := readHeader(r, start, false)
	if err != nil {
		return nil, err
	}
	p := &Package{Signature: sig, Header: hdr, HeaderStart: start, HeaderEnd: start + m}
	if p.Name() == "" {
		return nil, formatErr(start, "header has no package name")
	}
	return p, nil
}

// ReadFile reads the headers of the package at path. Errors name the file.
func ReadFile(path string) (*Package, error) {
	f, err := files.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Headers are a few kilobytes; a larger buffer would read the payload.
	p, err := Read(bufio.NewReaderSize(f, 8<<10))
	return p, withFile(err, path)
}

// withFile sets the file name on a FormatError.
func withFile(err error, path string) error {
	var fe *FormatError
	if errors.As(err, &fe) && fe.File == "" {
		fe.File = path
	}
	return err
}

// Name is the package name.
func (p *Package) Name() string { return p.Header.String(TagName) }

// Version is the package version.
func (p *Package) Version() string { return p.Header.String(TagVersion) }

// Release is the package release.
func (p *Package) Release() string { return p.Header.String(TagRelease) }

// Epoch returns the package epoch and whether the header sets one.
func (p *Package) Epoch() (uint64, bool) { return p.Header.Uint(TagEpoch) }

// IsSource reports whether this is a source package.
func (p *Package) IsSource() bool {
	return p.Header.Has(TagSourcePackage) || !p.Header.Has(TagSourceRPM)
}

// Arch is the package architecture; "src" for source packages, as
// createrepo_c and dnf name them.
func (p *Package) Arch() string {
	if p.IsSource() {
		return "src"
	}
	return p.Header.String(TagArch)
}

// EVR is the package's epoch, version and release.
func (p *Package) EVR() EVR {
	e, _ := p.Epoch()
	return EVR{Epoch: e, Version: p.Version(), Release: p.Release()}
}

// NEVRA is the package's name-[epoch:]version-release.arch.
func (p *Package) NEVRA() string {
	return NEVRA(p.Name(), p.EVR(), p.Arch())
}

// BuildTime is the package's build time in seconds since the epoch.
func (p *Package) BuildTime() int64 {
	v, _ := p.Header.Uint(TagBuildTime)
	return int64(v)
}

// InstalledSize is the size of the installed files (LONGSIZE, else SIZE).
func (p *Package) InstalledSize() uint64 {
	if v, ok := p.Header.Uint(TagLongSize); ok {
		return v
	}
	v, _ := p.Header.Uint(TagSize)
	return v
}

// PayloadSize is the uncompressed size of the payload archive, from the
// signature header.
func (p *Package) PayloadSize() uint64 {
	if v, ok := p.Signature.Uint(SigTagLongArchiveSize); ok {
		return v
	}
	v, _ := p.Signature.Uint(SigTagPayloadSize)
	return v
}

// HasScriptlets reports whether the package runs any install-time script.
func (p *Package) HasScriptlets() bool {
	for _, t := range []Tag{TagPreIn, TagPostIn, TagPreUn, TagPostUn, TagPreTrans, TagPostTrans,
		TagPreInProg, TagPostInProg, TagPreUnProg, TagPostUnProg, TagPreTransProg, TagPostTransProg, TagTriggerScripts} {
		if p.Header.Has(t) {
			return true
		}
	}
	return false
}
