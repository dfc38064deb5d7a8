package pkgset

import (
	"cmp"
	"maps"
	"slices"
	"strings"
)

// Detach copies the packages of sets, and those unmet requirements
// name, out of their universe, so that it can be let go: each package
// once, its strings its own, its detail read and kept, its dependencies
// left behind. The sets and the unmet requirements then hold the
// copies. It returns the first error of reading a detail.
func Detach(sets []*Set, unmet [][]Unmet) error {
	d := detacher{copies: map[*Package]*Package{}, strs: map[string]string{}}
	for _, s := range sets {
		if s == nil {
			continue
		}
		for _, pkgs := range s.ByArch {
			for i, p := range pkgs {
				pkgs[i] = d.pkg(p)
			}
		}
		s.From = rekeyed(s.From, d.pkg, func(v []string) []string { return v })
		s.Pulled = rekeyed(s.Pulled, d.pkg, func(v Pull) Pull {
			v.By, v.Require = d.pkg(v.By), d.str(v.Require)
			return v
		})
		s.Trees = rekeyed(s.Trees, d.pkg, func(v string) string { return v })
		s.SourceOf = rekeyed(s.SourceOf, d.pkg, d.pkg)
	}
	for _, list := range unmet {
		for i := range list {
			u := &list[i]
			u.Package = d.pkg(u.Package)
			u.Require.Name, u.Require.Version = d.str(u.Require.Name), d.str(u.Require.Version)
		}
	}
	d.readDetails()
	return listError(slices.Collect(maps.Keys(d.copies)))
}

// readDetails gives each copy its original's detail, reading those still
// on disk in the order their lists hold them: one pass over each list,
// not a read for each package.
func (d *detacher) readDetails() {
	origs := slices.Collect(maps.Keys(d.copies))
	slices.SortFunc(origs, func(a, b *Package) int {
		return cmp.Or(strings.Compare(a.listName(), b.listName()), cmp.Compare(a.at, b.at))
	})
	eachDetail(origs, func(p *Package, raw []byte) {
		x, ok := parseDetail(raw)
		if !ok && p.from != nil {
			p.from.damaged(p.at)
		}
		d.copies[p].setDetail(*x)
	})
}

// detacher copies packages out of a universe, each once, and the strings
// they share once.
type detacher struct {
	copies map[*Package]*Package
	strs   map[string]string
}

func (d *detacher) str(s string) string {
	if c, ok := d.strs[s]; ok {
		return c
	}
	c := strings.Clone(s)
	d.strs[c] = c
	return c
}

func (d *detacher) pkg(p *Package) *Package {
	if p == nil {
		return nil
	}
	if c, ok := d.copies[p]; ok {
		return c
	}
	c := &Package{
		Name: d.str(p.Name), Epoch: p.Epoch, Version: d.str(p.Version), Release: d.str(p.Release), Arch: d.str(p.Arch),
		Size: p.Size, BuildTime: p.BuildTime, SourceRPM: d.str(p.SourceRPM), Source: d.str(p.Source),
		Location: strings.Clone(p.Location), HeaderEnd: p.HeaderEnd, SigKey: d.str(p.SigKey), Damaged: d.str(p.Damaged),
		FileMTime: p.FileMTime, FileInode: p.FileInode, HasScriptlets: p.HasScriptlets, Verified: p.Verified,
	}
	d.copies[p] = c
	return c
}

// rekeyed returns m with its keys, and its values through value, copied.
func rekeyed[V any](m map[*Package]V, key func(*Package) *Package, value func(V) V) map[*Package]V {
	if m == nil {
		return nil
	}
	out := make(map[*Package]V, len(m))
	for k, v := range m {
		out[key(k)] = value(v)
	}
	return out
}
