package pkgset

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/strata-build/strata/core/arch"
	"github.com/strata-build/strata/sdk/rpm"
)

// GatherOptions say how an artifact's listed packages are completed.
type GatherOptions struct {
	// Deps pulls in a provider for every requirement nothing listed meets
	// (Pungi's "deps" method); without it closure is only checked.
	Deps bool
	// WeakDeps follows Recommends, and adds packages whose Supplements
	// the set meets, as dnf does with install_weak_deps.
	WeakDeps bool
	// Greedy takes every provider of a requirement, not the best one.
	Greedy bool
	// Exclude are globs of names (or name.arch) never pulled in.
	Exclude []string
	// Multilib are Pungi's methods that add the 32-bit build of packages
	// of the set (see multilib.go), with name globs always or never added.
	Multilib                             []string
	MultilibWhitelist, MultilibBlacklist []string
}

// Pull says why a package was pulled into a set: the package whose
// requirement it meets, and that requirement; or, for Multilib, the
// package whose 32-bit build it is, and the method.
type Pull struct {
	By       *Package
	Require  string
	Multilib bool
}

// Root follows the pulls from p back to the listed package whose
// requirements brought it in (p itself when listed).
func (s *Set) Root(p *Package) *Package {
	seen := map[*Package]bool{}
	for !seen[p] {
		seen[p] = true
		pull, ok := s.Pulled[p]
		if !ok {
			return p
		}
		p = pull.By
	}
	return p
}

// gatherer completes one architecture's packages of a set.
type gatherer struct {
	u      *Universe
	arch   string
	opts   GatherOptions
	set    *Set
	in     map[*Package]bool // the set and the lookaside
	added  []*Package
	queue  []*Package
	skip   map[*Package]bool // listed packages whose requirements are not followed
	unmet  []Unmet
	obsBy  map[string][]rpm.Dependency // obsoletes of the set, by name
	confBy map[string][]rpm.Dependency // conflicts of the set, by name
	extra  []string                    // multilib architectures that install too
}

// Gather adds to each architecture of set a provider for every
// requirement that nothing in the set, or in lookaside (an add-on's
// parent, a layered image's base), meets, transitively, choosing
// providers as Pungi's deps method and libsolv do (see best). noFollow
// are listed packages whose requirements are only checked (a module with
// gather = "none"). What it cannot meet, with a reason (a provider
// excluded, or conflicting with the set), is returned; the closure check
// reports the rest.
func (u *Universe) Gather(set *Set, opts GatherOptions, lookaside map[string][]*Package, noFollow map[*Package]bool) []Unmet {
	if !opts.Deps {
		return nil
	}
	if set.Pulled == nil {
		set.Pulled = map[*Package]Pull{}
	}
	var unmet []Unmet
	for _, arch := range set.Arches {
		g := &gatherer{u: u, arch: arch, opts: opts, set: set, in: map[*Package]bool{}, skip: noFollow,
			obsBy: map[string][]rpm.Dependency{}, confBy: map[string][]rpm.Dependency{}}
		for _, p := range lookaside[arch] {
			g.in[p] = true
		}
		for _, p := range set.ByArch[arch] {
			g.add(p)
		}
		g.run()
		if g.multilib() {
			g.run()
		}
		set.ByArch[arch] = append(set.ByArch[arch], g.added...)
		sortByNEVRA(set.ByArch[arch])
		unmet = append(unmet, g.unmet...)
	}
	return unmet
}

// add puts p into the set and queues its requirements.
func (g *gatherer) add(p *Package) {
	g.in[p] = true
	g.queue = append(g.queue, p)
	for d := range p.deps(obsoletes) {
		g.obsBy[d.Name] = append(g.obsBy[d.Name], d)
	}
	for d := range p.deps(conflicts) {
		g.confBy[d.Name] = append(g.confBy[d.Name], d)
	}
}

// pull adds a package the set did not list, saying why.
func (g *gatherer) pull(p *Package, by *Package, req string) {
	if g.in[p] {
		return
	}
	if _, ok := g.set.Pulled[p]; !ok {
		g.set.Pulled[p] = Pull{By: by, Require: req}
	}
	g.added = append(g.added, p)
	g.add(p)
}

func (g *gatherer) run() {
	for {
		for len(g.queue) > 0 {
			p := g.queue[0]
			g.queue = g.queue[1:]
			if g.skip[p] {
				continue
			}
			for req := range p.deps(requires) {
				g.require(p, req, false)
			}
			if g.opts.WeakDeps {
				for req := range p.deps(recommends) {
					g.require(p, req, true)
				}
			}
		}
		if !g.opts.WeakDeps || !g.supplements() {
			return
		}
	}
}

// supplements adds the packages whose Supplements the set meets; it
// reports whether it added any.
func (g *gatherer) supplements() bool {
	added := false
	for _, c := range g.u.Packages {
		if c.count(supplements) == 0 || g.in[c] || !g.allowed(c) || g.u.best(c.Name, g.arch, nil) != c {
			continue
		}
		for s := range c.deps(supplements) {
			if by := g.meets(s); by != nil && g.compatible(c) == nil {
				g.pull(c, by, "supplements "+s.String())
				added = true
				break
			}
		}
	}
	return added
}

// meets returns the package of the set that meets d first in NEVRA
// order, or nil.
func (g *gatherer) meets(d rpm.Dependency) *Package {
	if d.IsRich() {
		rd, err := parseRich(d.Name)
		if err != nil || !g.u.met(rd, g.in) {
			return nil
		}
		return first(g.u.richProviders(rd, g.in))
	}
	return first(g.u.providers(d, g.in))
}

// first is the package of a set first in NEVRA order, or nil: what a
// message or a reason names must not depend on map order.
func first(pkgs map[*Package]bool) *Package {
	var out *Package
	for p := range pkgs {
		if out == nil || p.NEVRA() < out.NEVRA() {
			out = p
		}
	}
	return out
}

// require meets one requirement of p, pulling in providers as needed.
// A weak one that cannot be met is left.
func (g *gatherer) require(p *Package, req rpm.Dependency, weak bool) {
	if strings.HasPrefix(req.Name, "rpmlib(") || strings.HasPrefix(req.Name, "solvable:") {
		return
	}
	if !req.IsRich() {
		g.need(p, req.String(), func(in map[*Package]bool) map[*Package]bool { return g.u.providers(req, in) }, weak)
		return
	}
	d, err := parseRich(req.Name)
	if err != nil {
		return // the closure check reports what cannot be read
	}
	g.needRich(p, req.String(), d, weak)
}

// needRich meets a rich dependency: each side of "and", the first side
// of "or" that can be met (none when one already is), for "if" and
// "unless" the branch the set's condition selects (dnf repoclosure asks
// for the left side whatever the condition, so without an else branch
// that is the one), for "with" and "without" one package meeting it all.
func (g *gatherer) needRich(p *Package, req string, d *richDep, weak bool) {
	switch d.op {
	case "":
		g.need(p, req, func(in map[*Package]bool) map[*Package]bool { return g.u.providers(d.leaf, in) }, weak)
	case "and":
		for _, a := range d.args {
			g.needRich(p, req, a, weak)
		}
	case "or":
		if g.u.met(d, g.in) {
			return
		}
		for _, a := range d.args {
			if len(g.candidates(func(in map[*Package]bool) map[*Package]bool { return g.u.richProviders(a, in) })) > 0 {
				g.needRich(p, req, a, weak)
				return
			}
		}
		g.needRich(p, req, d.args[0], weak) // none can be met: say so for the first
	case "if", "unless":
		cond := g.u.met(d.args[1], g.in)
		if len(d.args) == 3 && cond == (d.op == "unless") {
			g.needRich(p, req, d.args[2], weak)
			return
		}
		if d.op == "if" || !cond || len(d.args) < 3 {
			g.needRich(p, req, d.args[0], weak)
		}
	default: // with, without
		g.need(p, req, func(in map[*Package]bool) map[*Package]bool { return g.u.richProviders(d, in) }, weak)
	}
}

// need meets a requirement whose providers among a set of packages
// providers gives: nothing to do when the set or the lookaside meets it,
// else the best candidate (every one, greedy) is pulled in.
func (g *gatherer) need(p *Package, req string, providers func(map[*Package]bool) map[*Package]bool, weak bool) {
	if len(providers(g.in)) > 0 {
		return
	}
	cands := g.candidates(providers)
	if len(cands) == 0 {
		if !weak {
			if reason := g.whyNone(providers); reason != "" {
				g.unmet = append(g.unmet, Unmet{Package: p, Require: rpm.Dependency{Name: req}, Reason: reason})
			}
		}
		return
	}
	if g.opts.Greedy {
		for _, c := range cands {
			g.pull(c, p, req)
		}
		return
	}
	g.pull(cands[0], p, req)
}

// candidates lists the packages of the universe that could meet a
// requirement on this architecture, best first (see best): the newest
// of each name.arch, none excluded, obsoleted by the set or conflicting
// with it.
func (g *gatherer) candidates(providers func(map[*Package]bool) map[*Package]bool) []*Package {
	all := providers(nil)
	newest := map[string]*Package{}
	for c := range all {
		if !g.installs(c) || !g.allowed(c) || c.Damaged != "" || IsDebug(c.Name) || g.obsoleted(c) || g.compatible(c) != nil {
			continue
		}
		k := c.Name + "." + c.Arch
		if n := newest[k]; n == nil || c.EVR().Compare(n.EVR()) > 0 {
			newest[k] = c
		}
	}
	out := make([]*Package, 0, len(newest))
	for _, c := range newest {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return g.better(out[i], out[j]) })
	return out
}

// better is the provider choice, Pungi's deps method's order as libsolv's
// policy refines it: a package for the architecture itself before a
// noarch one before another compatible architecture, then the shorter
// name, then the name first in byte order.
func (g *gatherer) better(a, b *Package) bool {
	ra, rb := g.archRank(a), g.archRank(b)
	switch {
	case ra != rb:
		return ra < rb
	case len(a.Name) != len(b.Name):
		return len(a.Name) < len(b.Name)
	case a.Name != b.Name:
		return a.Name < b.Name
	}
	return a.Arch < b.Arch
}

func (g *gatherer) archRank(p *Package) int {
	switch {
	case p.Arch == g.arch:
		return 0
	case p.Arch == "noarch":
		return 1
	}
	return 2
}

// installs reports whether p installs on the architecture: its own,
// noarch, and once multilib adds them, its 32-bit companion's.
func (g *gatherer) installs(p *Package) bool {
	return slices.Contains(arch.Compatible(g.arch), p.Arch) || slices.Contains(g.extra, p.Arch)
}

// allowed reports whether no exclude glob matches p's name or name.arch.
func (g *gatherer) allowed(p *Package) bool { return excludedBy(g.opts.Exclude, p) == "" }

// excludedBy returns the first glob that matches p's name or name.arch.
func excludedBy(exclude []string, p *Package) string {
	for _, glob := range exclude {
		if ok, _ := path.Match(glob, p.Name); ok {
			return glob
		}
		if ok, _ := path.Match(glob, p.Name+"."+p.Arch); ok {
			return glob
		}
	}
	return ""
}

// obsoleted reports whether a package of the set obsoletes c; a package
// never obsoletes another of its own name.
func (g *gatherer) obsoleted(c *Package) bool {
	self := rpm.Dependency{Name: c.Name, Flags: rpm.SenseEqual, Version: c.EVR().String()}
	for _, d := range g.obsBy[c.Name] {
		if rpm.Overlaps(self, d) {
			for p := range g.in {
				if p.Name != c.Name && p.has(obsoletes, d) {
					return true
				}
			}
		}
	}
	return false
}

// compatible returns a package of the set that c conflicts with, or
// that conflicts with c, or nil.
func (g *gatherer) compatible(c *Package) *Package {
	found := map[*Package]bool{}
	for d := range c.deps(conflicts) {
		for p := range g.u.providers(d, g.in) {
			if p != c {
				found[p] = true
			}
		}
	}
	for pr := range c.deps(provides) {
		for _, d := range g.confBy[pr.Name] {
			if rpm.Overlaps(pr, d) {
				for p := range g.in {
					if p != c && p.has(conflicts, d) {
						found[p] = true
					}
				}
			}
		}
	}
	return first(found)
}

// whyNone says why a requirement with providers in the universe has no
// candidate: each provider excluded, obsoleted or conflicting. It is
// empty when the universe holds no provider.
func (g *gatherer) whyNone(providers func(map[*Package]bool) map[*Package]bool) string {
	var reasons []string
	for c := range providers(nil) {
		if !g.installs(c) {
			continue
		}
		switch {
		case c.Damaged != "":
			reasons = append(reasons, fmt.Sprintf("%s is damaged (%s)", c.NEVRA(), c.Damaged))
		case excludedBy(g.opts.Exclude, c) != "":
			reasons = append(reasons, fmt.Sprintf("%s is excluded by %q", c.NEVRA(), excludedBy(g.opts.Exclude, c)))
		case g.obsoleted(c):
			reasons = append(reasons, fmt.Sprintf("%s is obsoleted by a package of the artifact", c.NEVRA()))
		case g.compatible(c) != nil:
			reasons = append(reasons, fmt.Sprintf("%s conflicts with %s", c.NEVRA(), g.compatible(c).NEVRA()))
		}
	}
	sort.Strings(reasons)
	return strings.Join(reasons, "; ")
}
