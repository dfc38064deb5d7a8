package pkgset

import (
	"sort"
	"strings"

	"github.com/strata-build/strata/sdk/rpm"
)

// Unmet is a requirement no package of a set meets.
type Unmet struct {
	Package *Package
	Require rpm.Dependency
	// Reason is set when the requirement could not even be read.
	Reason string
}

// Closure reports the requirements of pkgs that nothing in available
// meets (available should include pkgs). It decides as dnf repoclosure
// does through libsolv's provider lookup: rpmlib() requirements are built
// into rpm, a path is met by a package holding that file, a versioned
// requirement by a provide whose range overlaps it. Of a rich dependency,
// "or" needs one side met, "with" one package providing both sides,
// "without" a package providing the left side and not the right, "if" and
// "unless" their left side or else-branch (the condition is assumed to
// hold). One difference is deliberate: repoclosure takes "(A and B)" as met
// when either side is, which dnf's solver then refuses to install; here
// both sides must be met.
func (u *Universe) Closure(pkgs, available []*Package) []Unmet {
	in := make(map[*Package]bool, len(available))
	for _, p := range available {
		in[p] = true
	}
	var out []Unmet
	for _, p := range pkgs {
		for req := range p.deps(requires) {
			if strings.HasPrefix(req.Name, "rpmlib(") || strings.HasPrefix(req.Name, "solvable:") {
				continue
			}
			if req.IsRich() {
				d, err := parseRich(req.Name)
				if err != nil {
					out = append(out, Unmet{Package: p, Require: req, Reason: err.Error()})
					continue
				}
				if !u.met(d, in) {
					out = append(out, Unmet{Package: p, Require: req})
				}
				continue
			}
			if len(u.providers(req, in)) == 0 {
				out = append(out, Unmet{Package: p, Require: req})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Package.NEVRA() < out[j].Package.NEVRA() })
	return out
}

// providers returns the packages of in that meet a plain dependency; a
// nil in is the whole universe.
func (u *Universe) providers(req rpm.Dependency, in map[*Package]bool) map[*Package]bool {
	out := map[*Package]bool{}
	for _, k := range u.providing(req.Name) {
		if p := u.Packages[k]; (in == nil || in[p]) && p.meets(req) {
			out[p] = true
		}
	}
	if strings.HasPrefix(req.Name, "/") {
		for _, p := range u.fileOwners(req.Name) {
			if in == nil || in[p] {
				out[p] = true
			}
		}
	}
	return out
}

// met decides whether a rich dependency is met by packages of in.
func (u *Universe) met(d *richDep, in map[*Package]bool) bool {
	switch d.op {
	case "and":
		for _, a := range d.args {
			if !u.met(a, in) {
				return false
			}
		}
		return true
	case "or":
		for _, a := range d.args {
			if u.met(a, in) {
				return true
			}
		}
		return false
	case "if", "unless":
		return u.met(d.args[0], in) || len(d.args) == 3 && u.met(d.args[2], in)
	}
	return len(u.richProviders(d, in)) > 0
}

// richProviders returns the packages of in that provide what d
// describes, for the operands of "with" and "without", which need one
// package to provide several things.
func (u *Universe) richProviders(d *richDep, in map[*Package]bool) map[*Package]bool {
	if d.op == "" {
		return u.providers(d.leaf, in)
	}
	switch d.op {
	case "and", "with":
		out := u.richProviders(d.args[0], in)
		for _, a := range d.args[1:] {
			out = intersect(out, u.richProviders(a, in))
		}
		return out
	case "or":
		out := map[*Package]bool{}
		for _, a := range d.args {
			for p := range u.richProviders(a, in) {
				out[p] = true
			}
		}
		return out
	case "without":
		out := u.richProviders(d.args[0], in)
		for p := range u.richProviders(d.args[1], in) {
			delete(out, p)
		}
		return out
	}
	// if, unless: the condition is assumed to hold; an else branch adds
	// its providers.
	out := u.richProviders(d.args[0], in)
	if len(d.args) == 3 {
		for p := range u.richProviders(d.args[2], in) {
			out[p] = true
		}
	}
	return out
}

func intersect(a, b map[*Package]bool) map[*Package]bool {
	out := map[*Package]bool{}
	for p := range a {
		if b[p] {
			out[p] = true
		}
	}
	return out
}
