package pkgset

import (
	"fmt"
	"path"
	"strings"
)

// Categories of a set's packages, as productmd's rpms.json names them.
const (
	BinaryCategory = "binary"
	SourceCategory = "source"
	DebugCategory  = "debug"
)

// TreeOptions say which trees a set ships beside its binary packages.
type TreeOptions struct {
	// Sources adds the source package of every binary and debuginfo
	// package; Debuginfo the debuginfo and debugsource packages built
	// with each binary, as Pungi's gather does.
	Sources, Debuginfo bool
	// Exclude are the gathering's globs: an excluded debuginfo package is
	// not shipped. Source packages are, whatever the globs.
	Exclude []string
}

// IsDebug reports whether a package name is a debuginfo or debugsource
// package's, as Pungi tells them: never pulled in for a binary's
// requirement, shipped in a debug tree.
func IsDebug(name string) bool {
	return strings.HasSuffix(name, "-debuginfo") || strings.HasSuffix(name, "-debugsource") || strings.Contains(name, "-debuginfo-")
}

// Category is p's category in the set: BinaryCategory, SourceCategory or DebugCategory.
func (s *Set) Category(p *Package) string {
	if c := s.Trees[p]; c != "" {
		return c
	}
	return BinaryCategory
}

// Binaries lists an architecture's binary packages, without its trees'.
func (s *Set) Binaries(arch string) []*Package {
	if len(s.Trees) == 0 {
		return s.ByArch[arch]
	}
	var out []*Package
	for _, p := range s.ByArch[arch] {
		if s.Trees[p] == "" {
			out = append(out, p)
		}
	}
	return out
}

// AddTrees adds to each architecture of set the debuginfo packages of its
// binaries (same source package, same architecture), then the source
// packages of both, marking them in set.Trees. What it cannot ship as
// asked is returned as problems, each naming the files concerned: a
// source package no source holds, a file named as one that is a binary
// package, a debuginfo package whose main package is in no source.
func (u *Universe) AddTrees(set *Set, opts TreeOptions) []string {
	if !opts.Sources && !opts.Debuginfo {
		return nil
	}
	if set.Trees == nil {
		set.Trees = map[*Package]string{}
	}
	if set.SourceOf == nil {
		set.SourceOf = map[*Package]*Package{}
	}
	u.treesOnce.Do(func() { u.trees = u.treeIndex() })
	idx := u.trees
	var problems []string
	warned := map[string]bool{}
	problem := func(s string) {
		if !warned[s] {
			warned[s] = true
			problems = append(problems, s)
		}
	}
	for _, arch := range set.Arches {
		in := map[*Package]bool{}
		var added []*Package
		add := func(p *Package, category string) {
			if !in[p] {
				in[p] = true
				set.Trees[p] = category
				added = append(added, p)
			}
		}
		binaries := set.Binaries(arch)
		for _, p := range binaries {
			in[p] = true
		}
		if opts.Debuginfo {
			for _, b := range binaries {
				for _, d := range idx.debug[b.SourceRPM] {
					if d.Arch != b.Arch || in[d] || excludedBy(opts.Exclude, d) != "" {
						continue
					}
					if main := mainOf(d.Name); main != "" && !idx.built[b.SourceRPM][main] {
						problem(fmt.Sprintf("%s: its main package %s is in no source; shipped with the other debuginfo of %s", fileName(d), main, b.SourceRPM))
					}
					add(d, DebugCategory)
				}
			}
		}
		if opts.Sources {
			shipped := append(append([]*Package(nil), binaries...), added...)
			for _, b := range shipped {
				src, why := idx.source(b)
				if src == nil {
					problem(why)
					continue
				}
				set.SourceOf[b] = src
				add(src, SourceCategory)
			}
		}
		set.ByArch[arch] = append(set.ByArch[arch], added...)
		sortByNEVRA(set.ByArch[arch])
	}
	return problems
}

// treeIndex finds source and debuginfo packages by the source package
// they come from.
type treeIndex struct {
	sources map[string]*Package        // source packages by file name
	debug   map[string][]*Package      // debuginfo packages by SourceRPM
	built   map[string]map[string]bool // names built from each SourceRPM
	named   map[string]*Package        // every file by its base name
}

func (u *Universe) treeIndex() *treeIndex {
	idx := &treeIndex{sources: map[string]*Package{}, debug: map[string][]*Package{},
		built: map[string]map[string]bool{}, named: map[string]*Package{}}
	for _, p := range u.Packages {
		if _, ok := idx.named[fileName(p)]; !ok {
			idx.named[fileName(p)] = p
		}
		if p.Arch == "src" {
			name := p.Name + "-" + p.Version + "-" + p.Release + ".src.rpm"
			if prev := idx.sources[name]; prev == nil || prev.Damaged != "" && p.Damaged == "" {
				idx.sources[name] = p
			}
			continue
		}
		if p.SourceRPM == "" {
			continue
		}
		if idx.built[p.SourceRPM] == nil {
			idx.built[p.SourceRPM] = map[string]bool{}
		}
		idx.built[p.SourceRPM][p.Name] = true
		if IsDebug(p.Name) {
			idx.debug[p.SourceRPM] = append(idx.debug[p.SourceRPM], p)
		}
	}
	return idx
}

// source finds p's source package, or says why there is none.
func (idx *treeIndex) source(p *Package) (*Package, string) {
	if p.SourceRPM == "" {
		return nil, fmt.Sprintf("%s (%s) records no source package", p.NEVRA(), fileName(p))
	}
	if src := idx.sources[p.SourceRPM]; src != nil {
		return src, ""
	}
	if f := idx.named[p.SourceRPM]; f != nil {
		return nil, fmt.Sprintf("%s, the source package of %s, is a binary package for %s: a source RPM with a binary arch is not shipped as a source",
			f.Location, p.NEVRA(), f.Arch)
	}
	return nil, fmt.Sprintf("%s, the source package of %s, is in no source", p.SourceRPM, p.NEVRA())
}

// mainOf is the package a debuginfo package holds the symbols of ("" for
// a debugsource package, or a shared debuginfo-common).
func mainOf(name string) string {
	if m, ok := strings.CutSuffix(name, "-debuginfo"); ok {
		return m
	}
	return ""
}

// fileName is the base name of a package's file.
func fileName(p *Package) string {
	return path.Base(p.Location)
}
