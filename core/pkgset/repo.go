package pkgset

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"encoding/gob"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/rpm"
	"github.com/ulikunitz/xz"
)

// repo reads a yum repository: its repomd.xml, primary and filelists
// metadata. The location is a local path, a file:// URL or an http(s)
// URL.
type repo struct {
	base   string // URL or directory, without trailing slash
	remote bool
	client *http.Client
	cache  string // directory for parsed metadata
}

func newRepo(location, configDir, cache string, client *http.Client) *repo {
	r := &repo{client: client, cache: cache}
	switch u, err := url.Parse(location); {
	case err == nil && (u.Scheme == "http" || u.Scheme == "https"):
		r.base, r.remote = strings.TrimSuffix(location, "/"), true
	case err == nil && u.Scheme == "file":
		r.base = u.Path
	case filepath.IsAbs(location):
		r.base = location
	default:
		r.base = filepath.Join(configDir, location)
	}
	return r
}

// open returns the content of a file of the repository, decompressed by
// its suffix as dnf does.
func (r *repo) open(ctx context.Context, href string) (io.ReadCloser, error) {
	var rc io.ReadCloser
	if r.remote {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+"/"+href, nil)
		if err != nil {
			return nil, err
		}
		resp, err := r.client.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("GET %s: %s", req.URL, resp.Status)
		}
		rc = resp.Body
	} else {
		f, err := os.Open(filepath.Join(r.base, filepath.FromSlash(href)))
		if err != nil {
			return nil, err
		}
		rc = f
	}
	return decompress(href, rc)
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

func decompress(name string, rc io.ReadCloser) (io.ReadCloser, error) {
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

type repomd struct {
	Data []struct {
		Type     string `xml:"type,attr"`
		Checksum string `xml:"checksum"`
		Location struct {
			Href string `xml:"href,attr"`
		} `xml:"location"`
	} `xml:"data"`
}

// load reads the repository's packages, from the parsed cache when its
// primary metadata is unchanged. When a remote repository cannot be
// reached, the metadata read last time is used, with a warning.
func (r *repo) load(ctx context.Context, source string) (pkgs []*Package, warning string, err error) {
	saved := filepath.Join(r.cache, fmt.Sprintf("%x.repomd.xml", hashString(r.base)))
	data, err := r.readAll(ctx, "repodata/repomd.xml")
	if err != nil && r.remote {
		var serr error
		if data, serr = os.ReadFile(saved); serr != nil {
			return nil, "", err
		}
		warning = fmt.Sprintf("%v; using the metadata read last time", err)
	} else if err != nil {
		return nil, "", err
	} else if r.remote {
		if err := files.WriteAtomic(saved, data); err != nil {
			return nil, "", err
		}
	}
	var md repomd
	if err := xml.Unmarshal(data, &md); err != nil {
		return nil, "", fmt.Errorf("repodata/repomd.xml: %w", err)
	}
	hrefs := map[string]string{}
	sums := ""
	for _, d := range md.Data {
		hrefs[d.Type] = d.Location.Href
		if d.Type == "primary" || d.Type == "filelists" {
			sums += strings.TrimSpace(d.Checksum)
		}
	}
	if hrefs["primary"] == "" {
		return nil, "", fmt.Errorf("repodata/repomd.xml lists no primary metadata")
	}
	cached := filepath.Join(r.cache, fmt.Sprintf("%x.gob", hashString(r.base+sums)))
	if pkgs, err := readGob(cached); err == nil {
		return withSource(pkgs, source), warning, nil
	}
	if pkgs, err = r.parse(ctx, hrefs); err != nil {
		return nil, "", err
	}
	if err := writeGob(cached, pkgs); err != nil {
		return nil, "", err
	}
	return withSource(pkgs, source), warning, nil
}

func (r *repo) readAll(ctx context.Context, href string) ([]byte, error) {
	rc, err := r.open(ctx, href)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func withSource(pkgs []*Package, source string) []*Package {
	for _, p := range pkgs {
		p.Source = source
	}
	return pkgs
}

func (r *repo) parse(ctx context.Context, hrefs map[string]string) ([]*Package, error) {
	rc, err := r.open(ctx, hrefs["primary"])
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	byID := map[string]*Package{}
	var pkgs []*Package
	err = eachElement(rc, "package", func(dec *xml.Decoder, start xml.StartElement) error {
		var x xmlPackage
		if err := dec.DecodeElement(&x, &start); err != nil {
			return err
		}
		p, err := x.toPackage(r.base)
		if err != nil {
			return err
		}
		pkgs = append(pkgs, p)
		byID[p.SHA256] = p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", hrefs["primary"], err)
	}
	if hrefs["filelists"] == "" {
		return pkgs, nil
	}
	fl, err := r.open(ctx, hrefs["filelists"])
	if err != nil {
		return nil, err
	}
	defer fl.Close()
	err = eachElement(fl, "package", func(dec *xml.Decoder, start xml.StartElement) error {
		var x struct {
			PkgID string   `xml:"pkgid,attr"`
			Files []string `xml:"file"`
		}
		if err := dec.DecodeElement(&x, &start); err != nil {
			return err
		}
		if p := byID[x.PkgID]; p != nil {
			p.Files = strings.Join(x.Files, "\n")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", hrefs["filelists"], err)
	}
	return pkgs, nil
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

type xmlEntry struct {
	Name  string `xml:"name,attr"`
	Flags string `xml:"flags,attr"`
	Epoch string `xml:"epoch,attr"`
	Ver   string `xml:"ver,attr"`
	Rel   string `xml:"rel,attr"`
}

type xmlPackage struct {
	Name    string `xml:"name"`
	Arch    string `xml:"arch"`
	Version struct {
		Epoch string `xml:"epoch,attr"`
		Ver   string `xml:"ver,attr"`
		Rel   string `xml:"rel,attr"`
	} `xml:"version"`
	Checksum struct {
		Type  string `xml:"type,attr"`
		Value string `xml:",chardata"`
	} `xml:"checksum"`
	Time struct {
		Build int64 `xml:"build,attr"`
	} `xml:"time"`
	Size struct {
		Package int64 `xml:"package,attr"`
	} `xml:"size"`
	Location struct {
		Href string `xml:"href,attr"`
		Base string `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
	} `xml:"location"`
	Format struct {
		Provides    []xmlEntry `xml:"provides>entry"`
		Requires    []xmlEntry `xml:"requires>entry"`
		Obsoletes   []xmlEntry `xml:"obsoletes>entry"`
		Conflicts   []xmlEntry `xml:"conflicts>entry"`
		Recommends  []xmlEntry `xml:"recommends>entry"`
		Supplements []xmlEntry `xml:"supplements>entry"`
		Files       []string   `xml:"file"`
		SourceRPM   string     `xml:"sourcerpm"`
	} `xml:"format"`
}

var xmlFlags = map[string]rpm.Flags{
	"EQ": rpm.SenseEqual, "LT": rpm.SenseLess, "GT": rpm.SenseGreater,
	"LE": rpm.SenseLess | rpm.SenseEqual, "GE": rpm.SenseGreater | rpm.SenseEqual,
}

func (x *xmlPackage) toPackage(base string) (*Package, error) {
	if x.Checksum.Type != "sha256" {
		return nil, fmt.Errorf("package %s uses %s checksums; strata needs sha256 (createrepo_c -s sha256)", x.Name, x.Checksum.Type)
	}
	p := &Package{
		Name: x.Name, Arch: x.Arch, Version: x.Version.Ver, Release: x.Version.Rel,
		SHA256: strings.TrimSpace(x.Checksum.Value), Size: x.Size.Package, BuildTime: x.Time.Build,
		Files: strings.Join(x.Format.Files, "\n"),
	}
	if x.Arch != "src" {
		p.SourceRPM = strings.TrimSpace(x.Format.SourceRPM)
	}
	if x.Version.Epoch != "" {
		fmt.Sscan(x.Version.Epoch, &p.Epoch)
	}
	p.Provides, p.Requires = deps(x.Format.Provides), deps(x.Format.Requires)
	p.Obsoletes, p.Conflicts = deps(x.Format.Obsoletes), deps(x.Format.Conflicts)
	p.Recommends, p.Supplements = deps(x.Format.Recommends), deps(x.Format.Supplements)
	switch {
	case x.Location.Base != "":
		p.Location = strings.TrimSuffix(x.Location.Base, "/") + "/" + x.Location.Href
	case strings.Contains(base, "://"):
		p.Location = base + "/" + x.Location.Href
	default:
		p.Location = filepath.Join(base, filepath.FromSlash(x.Location.Href))
	}
	return p, nil
}

func deps(entries []xmlEntry) []rpm.Dependency {
	out := make([]rpm.Dependency, len(entries))
	for i, e := range entries {
		d := rpm.Dependency{Name: e.Name, Flags: xmlFlags[e.Flags]}
		if d.Flags != 0 {
			v := e.Ver
			if e.Epoch != "" && e.Epoch != "0" {
				v = e.Epoch + ":" + v
			}
			if e.Rel != "" {
				v += "-" + e.Rel
			}
			d.Version = v
		}
		out[i] = d
	}
	return out
}

func readGob(path string) ([]*Package, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var pkgs []*Package
	err = gob.NewDecoder(bufio.NewReader(f)).Decode(&pkgs)
	return pkgs, err
}

func writeGob(path string, pkgs []*Package) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(pkgs); err != nil {
		return err
	}
	return files.WriteAtomic(path, buf.Bytes())
}
