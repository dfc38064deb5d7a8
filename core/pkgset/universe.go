package pkgset

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
)

// Universe is every package the sources hold, indexed for resolution.
type Universe struct {
	// Packages are sorted by NEVRA, then by source and location.
	Packages []*Package
	// names numbers the package names; nameSpans are where each one's
	// packages are in Packages.
	names     *nameTable
	nameSpans []span
	// provides numbers the names provided; spans are where each one's
	// providers are in allProviders, as indexes in Packages: a universe
	// holds hundreds of thousands, free of pointers for the garbage
	// collector to follow.
	provides     *nameTable
	spans        []span
	allProviders []int32
	files        map[string][]*Package
	filesOne     sync.Once
	// trees finds source and debuginfo packages, indexed once.
	trees     *treeIndex
	treesOnce sync.Once
	// dups maps a NEVRA to files that hold it with different content.
	dups map[string][]*Package
	// HeadersRead counts the package headers read from disk (not from the
	// package lists) while loading.
	HeadersRead int64
	// Dirs are the directories the rpm_dir sources' packages are in,
	// symbolic links resolved: plugins are allowed to read them.
	Dirs []string
	// lists are the rpm_dir sources' package lists.
	lists []*sourceList
}

// Options configure Load.
type Options struct {
	// Dir is the configuration directory; relative source paths start
	// there.
	Dir string
	// CacheDir holds the package lists and repository metadata.
	CacheDir string
	Client   *http.Client
}

// Source is a package source: an rpm_dir (Location a directory) or a
// repo (a path or URL); relative locations are relative to Options.Dir.
type Source struct {
	Type, Name, Location string
	// SigKeys, when set, are the keys a package must be signed with, in
	// order of preference (key ids, 8 hex digits or more; "" admits
	// unsigned packages).
	SigKeys []string
	Range   hcl.Range
}

// Load reads every source. A source that cannot be read, or a package
// that is not a valid RPM, is an error that names it.
func Load(ctx context.Context, sources []Source, opts Options) (*Universe, hcl.Diagnostics) {
	if opts.Client == nil {
		opts.Client = http.DefaultClient
	}
	removeOldCaches(opts.CacheDir)
	var read atomic.Int64
	var lists []*sourceList
	var all []*Package
	var dirs []string
	var diags hcl.Diagnostics
	for _, s := range sources {
		addr := "source." + s.Type + "." + s.Name
		var pkgs []*Package
		var err error
		switch s.Type {
		case "rpm_dir":
			// Absolute, so that plugins and messages see one path whatever
			// the working directory.
			dir, _ := filepath.Abs(filepath.Join(opts.Dir, s.Location))
			if filepath.IsAbs(s.Location) {
				dir = s.Location
			}
			if st, serr := os.Stat(dir); serr != nil || !st.IsDir() {
				err = fmt.Errorf("%s is not a directory", dir)
				break
			}
			list := ""
			if opts.CacheDir != "" {
				list = dirListFile(opts.CacheDir, dir)
			}
			var pkgDirs []string
			var changed bool
			pkgs, pkgDirs, changed, err = readDir(dir, addr, list, &read)
			dirs = append(dirs, pkgDirs...)
			if err == nil {
				lists = append(lists, &sourceList{path: list, source: addr, pkgs: pkgs, dirty: changed})
			}
		case "repo":
			var warning string
			pkgs, warning, err = newRepo(s.Location, opts.Dir, filepath.Join(opts.CacheDir, "repos"), opts.Client).load(ctx, addr)
			if warning != "" {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Repository unreachable",
					Detail: fmt.Sprintf("%s: %s.", addr, warning), Subject: s.Range.Ptr()})
			}
		}
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read " + addr,
				Detail: err.Error() + ".", Subject: s.Range.Ptr()})
			continue
		}
		if len(s.SigKeys) > 0 {
			var d *hcl.Diagnostic
			pkgs, d = bySigKeys(pkgs, s, addr)
			if d != nil {
				diags = append(diags, d)
			}
		}
		all = append(all, pkgs...)
	}
	// The lists are written before the universe is indexed: writing one
	// holds its strings, the indexes are as large, and a load that
	// writes a list peaks there.
	if err := saveLists(lists); err != nil {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Cannot save the package lists", Detail: err.Error()})
	}
	u := newUniverse(all)
	u.HeadersRead, u.lists, u.Dirs = read.Load(), lists, dirs
	return u, diags
}

func newUniverse(all []*Package) *Universe {
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if c := a.EVR().Compare(b.EVR()); c != 0 {
			return c > 0
		}
		if a.Arch != b.Arch {
			return a.Arch < b.Arch
		}
		// Of two files with one NEVRA, the newest build comes first, then
		// the last file: the one createrepo_c's keep-last keeps.
		if a.BuildTime != b.BuildTime {
			return a.BuildTime > b.BuildTime
		}
		return a.Source+a.Location > b.Source+b.Location
	})
	u := &Universe{Packages: make([]*Package, 0, len(all)), dups: map[string][]*Package{}}
	u.names = newNameTable(len(all), func(id int32) string { return u.Packages[u.nameSpans[id].start].Name })
	for _, p := range all {
		if n := len(u.Packages); n > 0 {
			prev := u.Packages[n-1]
			if prev.Name == p.Name && prev.Arch == p.Arch && prev.EVR() == p.EVR() {
				if prev.Identity() != p.Identity() {
					if len(u.dups[p.NEVRA()]) == 0 {
						u.dups[p.NEVRA()] = []*Package{prev}
					}
					u.dups[p.NEVRA()] = append(u.dups[p.NEVRA()], p)
				}
				continue // the same package twice: keep the first, the chosen one
			}
		}
		// Packages are sorted by name: a name's are one run of them.
		k := int32(len(u.Packages))
		u.Packages = append(u.Packages, p)
		if n := len(u.nameSpans); n > 0 && u.Packages[u.nameSpans[n-1].start].Name == p.Name {
			u.nameSpans[n-1].end = k + 1
			continue
		}
		u.nameSpans = append(u.nameSpans, span{k, k + 1})
		u.names.add(int32(len(u.nameSpans) - 1))
	}
	u.indexProvides()
	return u
}

// span is where a run of entries lies in a slice.
type span struct{ start, end int32 }

// named returns the packages called name, best first.
func (u *Universe) named(name string) []*Package {
	id, ok := u.names.find(name)
	if !ok {
		return nil
	}
	s := u.nameSpans[id]
	return u.Packages[s.start:s.end:s.end]
}

// indexProvides indexes every package's provides (and the name rpm has
// every binary package provide) by name, in package order: one slice of
// providers, each name's a run of it, counted first so that it is
// allocated once. The table that numbers the names while counting is
// the index; a name's number leads back to the first provide of it.
func (u *Universe) indexProvides() {
	total := 0
	for _, p := range u.Packages {
		total += p.count(provides) + 1
	}
	var first []provideRef // where each name was first provided
	// About a third of a distribution's provides name something no
	// other provide does (127,532 of 350,000 at 77,000 packages): room
	// for half of them grows the table seldom.
	u.provides = newNameTable(total/2, func(id int32) string { return first[id].name(u) })
	names := make([]int32, 0, total) // each provide's name, in the order filled below
	var count []int32
	each := func(fn func(ref provideRef, name string)) {
		for k, p := range u.Packages {
			for i := range p.count(provides) {
				fn(provideRef{int32(k), int32(i)}, p.depName(provides, i))
			}
			if p.Arch != "src" {
				fn(provideRef{int32(k), ownName}, p.Name)
			}
		}
	}
	each(func(ref provideRef, name string) {
		id, ok := u.provides.find(name)
		if !ok {
			id = int32(len(count))
			first = append(first, ref)
			u.provides.add(id)
			count = append(count, 0)
		}
		count[id]++
		names = append(names, id)
	})
	first = slices.Clip(first)
	u.spans = make([]span, len(count))
	start := int32(0)
	for id, n := range count {
		u.spans[id] = span{start, start}
		start += n
	}
	u.allProviders = make([]int32, len(names))
	i := 0
	each(func(ref provideRef, _ string) {
		s := &u.spans[names[i]]
		i++
		if s.end > s.start && u.allProviders[s.end-1] == ref.pkg {
			return // a package that provides a name twice is its provider once
		}
		u.allProviders[s.end] = ref.pkg
		s.end++
	})
}

// provideRef is one provide of a package: the dep-th of its provides
// list, or its name (ownName), which rpm has every binary package provide.
type provideRef struct{ pkg, dep int32 }

const ownName = -1

func (r provideRef) name(u *Universe) string {
	p := u.Packages[r.pkg]
	if r.dep == ownName {
		return p.Name
	}
	return p.depName(provides, int(r.dep))
}

// providing returns the packages that provide name, as indexes in
// Packages, in package order.
func (u *Universe) providing(name string) []int32 {
	id, ok := u.provides.find(name)
	if !ok {
		return nil
	}
	s := u.spans[id]
	return u.allProviders[s.start:s.end:s.end]
}

// fileOwners returns the packages that hold path. The first call indexes
// the files that some package's dependencies name, not every file: a
// distribution holds millions of files, and requires a few thousand.
func (u *Universe) fileOwners(path string) []*Package {
	u.filesOne.Do(func() {
		wanted := map[string]bool{}
		for _, p := range u.Packages {
			for _, k := range []depKind{requires, recommends, supplements, conflicts} {
				for d := range p.deps(k) {
					if !strings.Contains(d.Name, "/") {
						continue // most are names and sonames: nothing to split
					}
					for _, f := range strings.FieldsFunc(d.Name, func(r rune) bool { return r == ' ' || r == '(' || r == ')' }) {
						if strings.HasPrefix(f, "/") {
							wanted[f] = true
						}
					}
				}
			}
		}
		u.files = map[string][]*Package{}
		eachDetail(u.Packages, func(p *Package, raw []byte) {
			files, _ := detailField(raw, detailFiles)
			for len(files) > 0 {
				f := files
				if i := bytes.IndexByte(files, '\n'); i >= 0 {
					f, files = files[:i], files[i+1:]
				} else {
					files = nil
				}
				if wanted[string(f)] {
					u.files[string(f)] = append(u.files[string(f)], p)
				}
			}
		})
	})
	return u.files[path]
}

// saveLists writes the package lists that loading found changed.
func saveLists(lists []*sourceList) error {
	var errs []error
	for _, l := range lists {
		errs = append(errs, l.save())
	}
	return errors.Join(errs...)
}

// Names returns the packages called name, best first.
func (u *Universe) Names(name string) []*Package { return u.named(name) }

// duplicate describes the files that hold p's NEVRA with different
// content, or returns "".
func (u *Universe) duplicate(p *Package) string {
	d := u.dups[p.NEVRA()]
	if len(d) == 0 {
		return ""
	}
	var where []string
	for _, x := range d {
		label, digest := "sha256", x.SHA256()
		if h := x.HeaderSHA256(); h != "" {
			label, digest = "header sha256", h
		}
		where = append(where, fmt.Sprintf("%s (%s, %s %.12s)", x.Location, x.Source, label, digest))
	}
	return fmt.Sprintf("%s is held by %d different files: %s", p.NEVRA(), len(d), strings.Join(where, ", "))
}
