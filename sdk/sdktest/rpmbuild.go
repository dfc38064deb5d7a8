package sdktest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/google/rpmpack"
)

// RPM describes a package for BuildRPM. Dependencies are written as rpm
// prints them: "name", "name >= 1.0-1", or a rich "(a or b)".
type RPM struct {
	Name, Version, Release string
	Arch                   string // default noarch
	Epoch                  uint32 // 0: no epoch tag
	Summary, Description   string
	License                string
	BuildTime              int64
	Compressor             string // gzip (default), xz, zstd, lzma

	Provides, Requires, Conflicts, Obsoletes []string
	Recommends, Suggests, Supplements        []string

	Files []File
	// PostIn is a %post scriptlet.
	PostIn string
	// SourceRPM is the file name of the source package a binary was built
	// from (default Name-Version-Release.src.rpm, as rpmpack writes it).
	SourceRPM string
	// Source makes a source package, as rpmbuild -bs does: its header
	// records no SOURCERPM, its file name ends in .src.rpm, and Arch is
	// the architecture it was built on.
	Source bool
	// Sign, when set, signs the package: it returns a detached OpenPGP
	// signature of the bytes it is given (the header, then header and
	// payload), as rpmsign would.
	Sign func([]byte) ([]byte, error)
}

// File is one file of an RPM. Mode carries the type bits for directories
// (0o040000) and symlinks (0o120000); without them the file is regular.
type File struct {
	Path   string
	Body   string // content, or the target of a symlink
	Mode   uint32
	Owner  string // default root
	Group  string // default root
	Ghost  bool
	Config bool
	Caps   string // capabilities in cap_to_text form, e.g. "cap_net_raw=ep"
}

// FileName is the conventional file name of the package.
func (r RPM) FileName() string {
	if r.Source {
		return fmt.Sprintf("%s-%s-%s.src.rpm", r.Name, r.Version, r.Release)
	}
	return fmt.Sprintf("%s-%s-%s.%s.rpm", r.Name, r.Version, r.Release, r.arch())
}

func (r RPM) arch() string {
	if r.Arch == "" {
		return "noarch"
	}
	return r.Arch
}

// BuildRPM writes the package into dir and returns its path.
func BuildRPM(dir string, r RPM) (string, error) {
	var buf bytes.Buffer
	if err := WriteRPM(&buf, r); err != nil {
		return "", err
	}
	p := filepath.Join(dir, r.FileName())
	return p, os.WriteFile(p, buf.Bytes(), 0o644)
}

// WriteRPM writes the package to w.
func WriteRPM(w io.Writer, r RPM) error {
	md := rpmpack.RPMMetaData{
		Name: r.Name, Version: r.Version, Release: r.Release, Arch: r.arch(),
		Summary: r.Summary, Description: r.Description, Licence: r.License,
		Compressor: r.Compressor, Epoch: rpmpack.NoEpoch,
		BuildTime: time.Unix(r.BuildTime, 0),
	}
	if md.Summary == "" {
		md.Summary = r.Name + " test package"
	}
	if md.Licence == "" {
		md.Licence = "MIT"
	}
	if r.Epoch != 0 {
		md.Epoch = r.Epoch
	}
	var err error
	for _, l := range []struct {
		dst *rpmpack.Relations
		src []string
	}{
		{&md.Provides, r.Provides}, {&md.Requires, r.Requires}, {&md.Conflicts, r.Conflicts},
		{&md.Obsoletes, r.Obsoletes}, {&md.Recommends, r.Recommends}, {&md.Suggests, r.Suggests},
	} {
		if *l.dst, err = relations(l.src); err != nil {
			return fmt.Errorf("%s: %w", r.Name, err)
		}
	}
	p, err := rpmpack.NewRPM(md)
	if err != nil {
		return err
	}
	if r.Sign != nil {
		p.SetPGPSigner(r.Sign)
	}
	if err := addSupplements(p, r.Supplements); err != nil {
		return fmt.Errorf("%s: %w", r.Name, err)
	}
	files := append([]File(nil), r.Files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	caps, hasCaps := make([]string, len(files)), false
	for i, f := range files {
		p.AddFile(rpmFile(f, uint32(r.BuildTime)))
		caps[i], hasCaps = f.Caps, hasCaps || f.Caps != ""
	}
	if hasCaps {
		p.AddCustomTag(5010, rpmpack.EntryStringSlice(caps)) // RPMTAG_FILECAPS
	}
	if r.PostIn != "" {
		p.AddPostin(r.PostIn)
	}
	if r.SourceRPM != "" {
		p.AddCustomTag(tagSourceRPM, rpmpack.EntryString(r.SourceRPM))
	}
	if !r.Source {
		return p.Write(w)
	}
	var buf bytes.Buffer
	if err := p.Write(&buf); err != nil {
		return err
	}
	src, err := sourcePackage(buf.Bytes(), r.Sign)
	if err != nil {
		return fmt.Errorf("%s: %w", r.FileName(), err)
	}
	_, err = w.Write(src)
	return err
}

// rpmFile describes one file; like rpmbuild with SOURCE_DATE_EPOCH, it
// dates every file at the build time.
func rpmFile(f File, mtime uint32) rpmpack.RPMFile {
	rf := rpmpack.RPMFile{Name: f.Path, Body: []byte(f.Body), Mode: uint(f.Mode), Owner: f.Owner, Group: f.Group, MTime: mtime}
	if rf.Owner == "" {
		rf.Owner = "root"
	}
	if rf.Group == "" {
		rf.Group = "root"
	}
	if rf.Mode&0o170000 == 0 {
		rf.Mode |= 0o100000
	}
	if rf.Mode&0o7777 == 0 {
		rf.Mode |= 0o644
		if rf.Mode&0o170000 == 0o040000 {
			rf.Mode |= 0o755
		}
	}
	if f.Ghost {
		rf.Type |= rpmpack.GhostFile
	}
	if f.Config {
		rf.Type |= rpmpack.ConfigFile
	}
	return rf
}

func relations(deps []string) (rpmpack.Relations, error) {
	var out rpmpack.Relations
	for _, d := range deps {
		if strings.HasPrefix(d, "(") {
			out = append(out, &rpmpack.Relation{Name: d, Sense: rpmpack.SenseAny})
			continue
		}
		rel, err := rpmpack.NewRelation(d)
		if err != nil {
			return nil, fmt.Errorf("dependency %q: %w", d, err)
		}
		out = append(out, rel)
	}
	return out, nil
}

// Supplements tags, which rpmpack does not write itself.
const (
	tagSupplementName    = 5052
	tagSupplementVersion = 5053
	tagSupplementFlags   = 5054
)

// addSupplements writes Supplements as rpm does: names, versions and
// sense flags in three tags.
func addSupplements(p *rpmpack.RPM, deps []string) error {
	if len(deps) == 0 {
		return nil
	}
	var names, versions []string
	var flags []int32
	for _, d := range deps {
		rel, err := rpmpack.NewRelation(d)
		if err != nil {
			return err
		}
		names, versions, flags = append(names, rel.Name), append(versions, rel.Version), append(flags, int32(rel.Sense))
	}
	p.AddCustomTag(tagSupplementName, rpmpack.EntryStringSlice(names))
	p.AddCustomTag(tagSupplementVersion, rpmpack.EntryStringSlice(versions))
	p.AddCustomTag(tagSupplementFlags, rpmpack.EntryInt32(flags))
	return nil
}
