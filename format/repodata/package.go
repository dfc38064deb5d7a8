package repodata

import (
	"strconv"
	"strings"

	"github.com/strata-build/strata/sdk/rpm"
)

// Package is one package's metadata: every field createrepo_c writes.
type Package struct {
	Name, Arch                    string
	Epoch, Version, Release       string
	Checksum                      string // sha256 of the file, hex
	Summary, Description          string
	Packager, URL                 string
	FileTime, BuildTime           int64
	SizePackage, SizeInstalled    uint64
	SizeArchive                   uint64
	Location                      string // href, relative to the repository
	LocationBase                  string // xml:base, where the packages are elsewhere
	License, Vendor, Group        string
	BuildHost, SourceRPM          string
	HeaderStart, HeaderEnd        int64
	Provides, Requires, Conflicts []Dep
	Obsoletes, Suggests, Enhances []Dep
	Recommends, Supplements       []Dep
	Files                         []File
	Changelogs                    []Changelog
}

// Dep is one rpm:entry.
type Dep struct {
	Name    string `xml:"name,attr"`
	Flags   string `xml:"flags,attr"` // EQ, LT, GT, LE, GE or ""
	Epoch   string `xml:"epoch,attr"`
	Version string `xml:"ver,attr"`
	Release string `xml:"rel,attr"`
	Pre     bool   `xml:"pre,attr"`
}

// File is one file of the package; Type is "dir", "ghost" or "".
type File struct {
	Path string `xml:",chardata"`
	Type string `xml:"type,attr"`
}

// Changelog is one changelog entry.
type Changelog struct {
	Author string
	Date   int64
	Text   string
}

// Options tune FromRPM.
type Options struct {
	// ChangelogLimit keeps the newest N changelog entries; negative keeps
	// all. createrepo_c's default is 10.
	ChangelogLimit int
}

// FromRPM builds a package's metadata from its header. checksum is the
// sha256 of the whole file, size its size, href its place in the
// repository and fileTime the time to record as the file's.
func FromRPM(p *rpm.Package, checksum string, size int64, href string, fileTime int64, opts Options) *Package {
	h := p.Header
	epoch := "0"
	if e, ok := p.Epoch(); ok {
		epoch = strconv.FormatUint(e, 10)
	}
	pkg := &Package{
		Name: p.Name(), Arch: p.Arch(), Epoch: epoch, Version: p.Version(), Release: p.Release(),
		Checksum: checksum, Summary: h.String(rpm.TagSummary), Description: h.String(rpm.TagDescription),
		Packager: h.String(rpm.TagPackager), URL: h.String(rpm.TagURL),
		FileTime: fileTime, BuildTime: p.BuildTime(),
		SizePackage: uint64(size), SizeInstalled: p.InstalledSize(), SizeArchive: p.PayloadSize(),
		Location: href, License: h.String(rpm.TagLicense), Vendor: h.String(rpm.TagVendor),
		Group: h.String(rpm.TagGroup), BuildHost: h.String(rpm.TagBuildHost),
		HeaderStart: p.HeaderStart, HeaderEnd: p.HeaderEnd,
	}
	if !p.IsSource() {
		pkg.SourceRPM = h.String(rpm.TagSourceRPM)
	}
	for _, f := range p.Files() {
		t := ""
		switch {
		case f.IsDir():
			t = "dir"
		case f.IsGhost():
			t = "ghost"
		}
		pkg.Files = append(pkg.Files, File{Path: f.Path, Type: t})
	}
	provides := p.Deps(rpm.Provides)
	pkg.Provides = convert(provides)
	pkg.Requires = requires(p.Deps(rpm.Requires), provides, pkg.Files)
	pkg.Conflicts = convert(p.Deps(rpm.Conflicts))
	pkg.Obsoletes = convert(p.Deps(rpm.Obsoletes))
	pkg.Suggests = convert(p.Deps(rpm.Suggests))
	pkg.Enhances = convert(p.Deps(rpm.Enhances))
	pkg.Recommends = convert(p.Deps(rpm.Recommends))
	pkg.Supplements = convert(p.Deps(rpm.Supplements))
	pkg.Changelogs = changelogs(h, opts.ChangelogLimit)
	return pkg
}

// changelogs takes the newest limit entries (the header lists newest
// first) and returns them oldest first. Entries of one timestamp get +1,
// +2… toward the newest, and authors lose trailing spaces, as
// createrepo_c writes them.
func changelogs(h *rpm.Header, limit int) []Changelog {
	times := h.Uints(rpm.TagChangelogTime)
	names := h.Strings(rpm.TagChangelogName)
	texts := h.Strings(rpm.TagChangelogText)
	n := min(len(times), len(names), len(texts))
	if limit >= 0 && n > limit {
		n = limit
	}
	out := make([]Changelog, n)
	for i := 0; i < n; i++ {
		j := n - 1 - i
		out[i] = Changelog{Author: strings.TrimRight(names[j], " "), Date: int64(times[j]), Text: texts[j]}
	}
	for i := 1; i < n; i++ {
		if int64(times[n-1-i]) == int64(times[n-i]) {
			out[i].Date = out[i-1].Date + 1
		}
	}
	return out
}

// IsPrimary reports whether a file goes into primary.xml as well as
// filelists (createrepo_c's cr_is_primary).
func IsPrimary(path string) bool {
	return strings.HasPrefix(path, "/etc/") || path == "/usr/lib/sendmail" || strings.Contains(path, "bin/")
}
