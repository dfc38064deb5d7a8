package pkgset

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/rpm"
)

// Package is one package of the universe.
type Package struct {
	Name    string
	Epoch   uint64
	Version string
	Release string
	Arch    string
	// details are the package's digests and files (details.go).
	details
	Size      int64
	BuildTime int64
	// depList holds the provides and requires, and the obsoletes,
	// conflicts and weak dependencies that steer gathering.
	depList
	// SourceRPM is the file name of the source package a binary was
	// built from, as its header records it ("foo-1.0-1.src.rpm"); empty
	// for a source package.
	SourceRPM string
	// Source is the address of the source that holds the package.
	Source string
	// Location is the package file: a path, or for a remote repository a
	// URL fetched into the cache before a build needs it.
	Location string
	// HeaderEnd is where the payload starts in the file.
	HeaderEnd int64
	// SigKey is the id of the key that signed the package, 16 hex digits
	// in lower case; empty for an unsigned package.
	SigKey string
	// Damaged, when set, says how the file fails its own digests.
	Damaged string
	// FileMTime and FileInode, with Size, are the state of a local package
	// file when it was hashed; Unchanged compares a file with them.
	FileMTime int64
	FileInode uint64
	// HasScriptlets says the package runs scripts when installed.
	HasScriptlets bool
	// Verified says the payload was read and matched its digest.
	Verified bool
}

// Unchanged reports whether fi describes the package file as it was when
// it was read: same size, modification time and inode.
func (p *Package) Unchanged(fi os.FileInfo) bool { return p.unchanged(statStamp(fi)) }

func (p *Package) unchanged(s stamp) bool {
	return p.FileInode != 0 && s == stamp{size: p.Size, mtime: p.FileMTime, inode: p.FileInode}
}

// Identity names the package's content in plan keys: the header's
// digest for a local file, the file's for a remote one.
func (p *Package) Identity() string {
	d := p.detail()
	if d.headerSHA256 != "" {
		return d.headerSHA256
	}
	return d.sha256
}

// NEVRA formats the package as name-[epoch:]version-release.arch.
func (p *Package) NEVRA() string {
	return rpm.NEVRA(p.Name, p.EVR(), p.Arch)
}

// sortByNEVRA sorts packages by NEVRA, each formatted once.
func sortByNEVRA(pkgs []*Package) {
	keyed := make([]struct {
		nevra string
		p     *Package
	}, len(pkgs))
	for i, p := range pkgs {
		keyed[i].nevra, keyed[i].p = p.NEVRA(), p
	}
	sort.Slice(keyed, func(i, j int) bool { return keyed[i].nevra < keyed[j].nevra })
	for i := range keyed {
		pkgs[i] = keyed[i].p
	}
}

// EVR is the package's epoch, version and release.
func (p *Package) EVR() rpm.EVR {
	return rpm.EVR{Epoch: p.Epoch, Version: p.Version, Release: p.Release}
}

// meets says whether p provides something that meets req: one of its
// provides, or the "name = epoch:version-release" rpm adds to every
// binary package.
func (p *Package) meets(req rpm.Dependency) bool {
	if p.Arch != "src" && p.Name == req.Name &&
		rpm.Overlaps(rpm.Dependency{Name: p.Name, Flags: rpm.SenseEqual, Version: p.EVR().String()}, req) {
		return true
	}
	for i := range p.count(provides) {
		if p.depName(provides, i) == req.Name && rpm.Overlaps(p.dep(provides, i), req) {
			return true
		}
	}
	return false
}

// SDK describes the package for a plugin; path is where the file is.
func (p *Package) SDK(path, targetArch string, modules []string) sdk.Package {
	return sdk.Package{
		Name: p.Name, Epoch: p.Epoch, Version: p.Version, Release: p.Release, Arch: p.Arch,
		Path: path, SHA256: p.SHA256(), Size: p.Size, BuildTime: p.BuildTime,
		TargetArch: targetArch, Modules: modules, Scriptlets: p.HasScriptlets,
	}
}

// fileList splits Files.
func (p *Package) fileList() []string {
	if f := p.Files(); f != "" {
		return strings.Split(f, "\n")
	}
	return nil
}

// fromHeader fills a Package from an RPM header.
func fromHeader(h *rpm.Package) *Package {
	e, _ := h.Epoch()
	p := &Package{
		Name: h.Name(), Epoch: e, Version: h.Version(), Release: h.Release(), Arch: h.Arch(),
		BuildTime: h.BuildTime(), HeaderEnd: h.HeaderEnd, HasScriptlets: h.HasScriptlets(),
	}
	var lists [depKinds][]rpm.Dependency
	for k := range depKinds {
		lists[k] = h.Deps(rpmKinds[k])
	}
	p.depList = newDepList(lists)
	if !h.IsSource() {
		p.SourceRPM = h.Header.String(rpm.TagSourceRPM)
	}
	files := h.Files()
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.Path
	}
	d := detail{files: strings.Join(paths, "\n")}
	var err error
	if p.SigKey, err = h.SigKeyID(); err != nil {
		p.Damaged = fmt.Sprintf("its signature cannot be read (%v)", err)
	}
	if algo, ok := h.Header.Uint(rpm.TagPayloadDigestAlgo); ok && algo == sha256Algo {
		if pd := h.Header.Strings(rpm.TagPayloadDigest); len(pd) == 1 {
			d.payloadDigest = pd[0]
		}
	}
	p.setDetail(d)
	return p
}

// sha256Algo is rpm's PGPHASHALGO_SHA256, the payload digest's algorithm.
const sha256Algo = 8
