package repodata

import (
	"bufio"
	"compress/bzip2"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/strata-build/strata/sdk/rpm"
	"github.com/ulikunitz/xz"
)

// The reader takes what createrepo_c writes and dnf reads (see
// shared/formats/repodata.md): repomd.xml's data records, primary.xml's
// packages with their dependencies and primary files, filelists.xml's
// complete file lists.

// ReadRepomd parses repomd.xml into its data records: type, location and
// checksum (of the file as stored).
func ReadRepomd(data []byte) ([]Record, error) {
	var md struct {
		Data []struct {
			Type     string `xml:"type,attr"`
			Checksum string `xml:"checksum"`
			Location struct {
				Href string `xml:"href,attr"`
			} `xml:"location"`
		} `xml:"data"`
	}
	if err := xml.Unmarshal(data, &md); err != nil {
		return nil, err
	}
	out := make([]Record, len(md.Data))
	for i, d := range md.Data {
		out[i] = Record{Type: d.Type, Href: d.Location.Href, Checksum: strings.TrimSpace(d.Checksum)}
	}
	return out, nil
}

// Decompress returns the content of a metadata file named name, read from
// rc, decompressed by the name's suffix (.gz, .zst, .xz, .bz2) as dnf
// does. Closing it closes rc.
func Decompress(name string, rc io.ReadCloser) (io.ReadCloser, error) {
	switch path.Ext(name) {
	case ".gz":
		z, err := gzip.NewReader(rc)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return readCloser{z, rc.Close}, nil
	case ".zst":
		z, err := zstd.NewReader(rc)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return readCloser{z, func() error { z.Close(); return rc.Close() }}, nil
	case ".xz":
		z, err := xz.NewReader(rc)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return readCloser{z, rc.Close}, nil
	case ".bz2":
		return readCloser{bzip2.NewReader(rc), rc.Close}, nil
	}
	return rc, nil
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

// ReadPrimary calls fn with each package primary.xml lists, streaming:
// name, EVR, checksum, sizes, times, location (LocationBase holds an
// xml:base), source package, dependencies and the primary files.
func ReadPrimary(r io.Reader, fn func(*Package) error) error {
	return eachElement(r, "package", func(dec *xml.Decoder, start xml.StartElement) error {
		var x xmlPackage
		if err := dec.DecodeElement(&x, &start); err != nil {
			return err
		}
		if x.Checksum.Type != "sha256" {
			return fmt.Errorf("package %s uses %s checksums; strata needs sha256 (createrepo_c -s sha256)", x.Name, x.Checksum.Type)
		}
		f := &x.Format
		p := &Package{
			Name: x.Name, Arch: x.Arch, Epoch: x.Version.Epoch, Version: x.Version.Ver, Release: x.Version.Rel,
			Checksum: strings.TrimSpace(x.Checksum.Value), Summary: x.Summary, Description: x.Description,
			FileTime: x.Time.File, BuildTime: x.Time.Build,
			SizePackage: x.Size.Package, SizeInstalled: x.Size.Installed, SizeArchive: x.Size.Archive,
			Location: x.Location.Href, LocationBase: x.Location.Base, SourceRPM: strings.TrimSpace(f.SourceRPM),
			Provides: f.Provides, Requires: f.Requires, Conflicts: f.Conflicts, Obsoletes: f.Obsoletes,
			Suggests: f.Suggests, Enhances: f.Enhances, Recommends: f.Recommends, Supplements: f.Supplements,
			Files: f.Files,
		}
		return fn(p)
	})
}

// ReadFilelists calls fn with each package's checksum and every one of
// its files, as filelists.xml lists them.
func ReadFilelists(r io.Reader, fn func(pkgid string, files []File) error) error {
	return eachElement(r, "package", func(dec *xml.Decoder, start xml.StartElement) error {
		var x struct {
			PkgID string `xml:"pkgid,attr"`
			Files []File `xml:"file"`
		}
		if err := dec.DecodeElement(&x, &start); err != nil {
			return err
		}
		return fn(x.PkgID, x.Files)
	})
}

// Dependency is the entry as rpm spells it in a header: the comparison
// as sense bits, the version as [epoch:]version[-release].
func (d Dep) Dependency() rpm.Dependency {
	out := rpm.Dependency{Name: d.Name, Flags: flagBits[d.Flags]}
	if out.Flags == 0 {
		return out
	}
	v := d.Version
	if d.Epoch != "" && d.Epoch != "0" {
		v = d.Epoch + ":" + v
	}
	if d.Release != "" {
		v += "-" + d.Release
	}
	out.Version = v
	return out
}

// eachElement calls fn for every element named name in r, streaming.
func eachElement(r io.Reader, name string, fn func(*xml.Decoder, xml.StartElement) error) error {
	dec := xml.NewDecoder(bufio.NewReaderSize(r, 256<<10))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == name {
			if err := fn(dec, se); err != nil {
				return err
			}
		}
	}
}

type xmlPackage struct {
	Name        string `xml:"name"`
	Arch        string `xml:"arch"`
	Summary     string `xml:"summary"`
	Description string `xml:"description"`
	Version     struct {
		Epoch string `xml:"epoch,attr"`
		Ver   string `xml:"ver,attr"`
		Rel   string `xml:"rel,attr"`
	} `xml:"version"`
	Checksum struct {
		Type  string `xml:"type,attr"`
		Value string `xml:",chardata"`
	} `xml:"checksum"`
	Time struct {
		File  int64 `xml:"file,attr"`
		Build int64 `xml:"build,attr"`
	} `xml:"time"`
	Size struct {
		Package   uint64 `xml:"package,attr"`
		Installed uint64 `xml:"installed,attr"`
		Archive   uint64 `xml:"archive,attr"`
	} `xml:"size"`
	Location struct {
		Href string `xml:"href,attr"`
		Base string `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
	} `xml:"location"`
	Format struct {
		Provides    []Dep  `xml:"provides>entry"`
		Requires    []Dep  `xml:"requires>entry"`
		Obsoletes   []Dep  `xml:"obsoletes>entry"`
		Conflicts   []Dep  `xml:"conflicts>entry"`
		Suggests    []Dep  `xml:"suggests>entry"`
		Enhances    []Dep  `xml:"enhances>entry"`
		Recommends  []Dep  `xml:"recommends>entry"`
		Supplements []Dep  `xml:"supplements>entry"`
		Files       []File `xml:"file"`
		SourceRPM   string `xml:"sourcerpm"`
	} `xml:"format"`
}
