package pkgset

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-build/strata/format/repodata"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/rpm"
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
	return repodata.Decompress(href, rc)
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
	records, err := repodata.ReadRepomd(data)
	if err != nil {
		return nil, "", fmt.Errorf("repodata/repomd.xml: %w", err)
	}
	hrefs := map[string]string{}
	sums := ""
	for _, d := range records {
		hrefs[d.Type] = d.Href
		if d.Type == "primary" || d.Type == "filelists" {
			sums += d.Checksum
		}
	}
	if hrefs["primary"] == "" {
		return nil, "", fmt.Errorf("repodata/repomd.xml lists no primary metadata")
	}
	cached := filepath.Join(r.cache, fmt.Sprintf("%x.pkgs", hashString(r.base+sums)))
	os.Remove(strings.TrimSuffix(cached, ".pkgs") + ".gob") // what earlier versions kept
	if pkgs, err := readPackageList(cached); err == nil {
		return withSource(pkgs, source), warning, nil
	}
	if pkgs, err = r.parse(ctx, hrefs); err != nil {
		return nil, "", err
	}
	if err := writePackageList(cached, pkgs); err != nil {
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
	err = repodata.ReadPrimary(rc, func(x *repodata.Package) error {
		p := r.toPackage(x)
		pkgs = append(pkgs, p)
		byID[p.SHA256()] = p
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
	err = repodata.ReadFilelists(fl, func(pkgid string, listed []repodata.File) error {
		if p := byID[pkgid]; p != nil {
			p.updateDetail(func(d *detail) { d.files = joinPaths(listed) })
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", hrefs["filelists"], err)
	}
	return pkgs, nil
}

// toPackage is a package as primary.xml describes it, found where its
// location says.
func (r *repo) toPackage(x *repodata.Package) *Package {
	p := &Package{
		Name: x.Name, Arch: x.Arch, Version: x.Version, Release: x.Release,
		Size: int64(x.SizePackage), BuildTime: x.BuildTime,
	}
	p.setDetail(detail{sha256: x.Checksum, files: joinPaths(x.Files)})
	if x.Arch != "src" {
		p.SourceRPM = x.SourceRPM
	}
	if x.Epoch != "" {
		fmt.Sscan(x.Epoch, &p.Epoch)
	}
	p.depList = newDepList([depKinds][]rpm.Dependency{provides: deps(x.Provides), requires: deps(x.Requires),
		obsoletes: deps(x.Obsoletes), conflicts: deps(x.Conflicts), recommends: deps(x.Recommends), supplements: deps(x.Supplements)})
	switch {
	case x.LocationBase != "":
		p.Location = strings.TrimSuffix(x.LocationBase, "/") + "/" + x.Location
	case strings.Contains(r.base, "://"):
		p.Location = r.base + "/" + x.Location
	default:
		p.Location = filepath.Join(r.base, filepath.FromSlash(x.Location))
	}
	return p
}

func joinPaths(listed []repodata.File) string {
	paths := make([]string, len(listed))
	for i, f := range listed {
		paths[i] = f.Path
	}
	return strings.Join(paths, "\n")
}

func deps(entries []repodata.Dep) []rpm.Dependency {
	out := make([]rpm.Dependency, len(entries))
	for i, e := range entries {
		out[i] = e.Dependency()
	}
	return out
}
