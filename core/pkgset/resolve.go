package pkgset

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/eval"
	"github.com/strata-build/strata/sdk/rpm"
)

// Selection is what an artifact asks for: a variant, modules, packages,
// optionally narrowed to some architectures.
type Selection struct {
	Variant  string
	Modules  []string
	Packages []eval.Spec
	Arches   []string
	Range    hcl.Range
}

// Set is the packages of an artifact, per compose architecture.
type Set struct {
	Arches []string
	// ByArch holds each architecture's packages, sorted by NEVRA.
	ByArch map[string][]*Package
	// From says which modules brought each package in.
	From map[*Package][]string
	// Modules are the ids of every module in the set, required ones
	// included, sorted.
	Modules []string
	// Pulled are the packages gathering added, and why.
	Pulled map[*Package]Pull
}

// All lists the set's packages, every architecture's in turn.
func (s *Set) All() []*Package {
	var out []*Package
	for _, arch := range s.Arches {
		out = append(out, s.ByArch[arch]...)
	}
	return out
}

// Resolver resolves selections against a universe.
type Resolver struct {
	U *Universe
	R *eval.Result
	// modules caches module resolution by id and architecture.
	modules map[[2]string][]*Package
}

// NewResolver returns a resolver for an evaluated configuration.
func NewResolver(u *Universe, r *eval.Result) *Resolver {
	return &Resolver{U: u, R: r, modules: map[[2]string][]*Package{}}
}

// Resolve returns the packages of a selection.
func (rs *Resolver) Resolve(sel Selection) (*Set, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	modules := append([]string(nil), sel.Modules...)
	specs := append([]eval.Spec(nil), sel.Packages...)
	arches := rs.R.Compose.Arches
	if sel.Variant != "" {
		v := rs.R.Variants[sel.Variant]
		modules = append(modules, v.Modules...)
		specs = append(specs, v.Packages...)
		if len(v.Arches) > 0 {
			arches = v.Arches
		}
	}
	if len(sel.Arches) > 0 {
		arches = sel.Arches
	}
	for _, a := range arches {
		if !contains(rs.R.Compose.Arches, a) {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Architecture not in the compose",
				Detail:  fmt.Sprintf("%s is not one of the compose's architectures (%s); add it to compose.arches or remove it here.", a, strings.Join(rs.R.Compose.Arches, ", ")),
				Subject: sel.Range.Ptr()})
		}
	}
	set := &Set{Arches: arches, ByArch: map[string][]*Package{}, From: map[*Package][]string{}, Modules: rs.withRequires(modules)}
	for _, arch := range arches {
		seen := map[*Package]bool{}
		add := func(p *Package, module string) {
			if module != "" && !contains(set.From[p], module) {
				set.From[p] = append(set.From[p], module)
			}
			if !seen[p] {
				seen[p] = true
				set.ByArch[arch] = append(set.ByArch[arch], p)
			}
		}
		for _, m := range set.Modules {
			pkgs, d := rs.module(m, arch)
			diags = append(diags, d...)
			for _, p := range pkgs {
				add(p, m)
			}
		}
		for _, s := range specs {
			p, d := rs.spec(s, arch)
			diags = append(diags, d...)
			if p != nil {
				add(p, "")
			}
		}
		sortByNEVRA(set.ByArch[arch])
		for _, p := range set.ByArch[arch] {
			if dup := rs.U.duplicate(p); dup != "" {
				diags = append(diags, rs.duplicateDiag(p, dup, sel.Range))
			}
		}
	}
	if !diags.HasErrors() {
		for _, m := range set.Modules {
			specs = append(specs, rs.R.Modules[m].Packages...)
		}
		for _, s := range specs {
			if !rs.anyArch(s, arches) {
				diags = append(diags, rs.otherArchDiag(s, arches))
			}
		}
	}
	for _, m := range set.From {
		sort.Strings(m)
	}
	return set, diags
}

// anyArch reports whether a spec resolves for one of arches.
func (rs *Resolver) anyArch(s eval.Spec, arches []string) bool {
	for _, arch := range arches {
		if p, _ := rs.spec(s, arch); p != nil {
			return true
		}
	}
	return false
}

// otherArchDiag warns of a listed package that no source holds for any
// of the artifact's architectures: only its source package, or builds
// for other architectures.
func (rs *Resolver) otherArchDiag(s eval.Spec, arches []string) *hcl.Diagnostic {
	name, _, _, _ := rs.U.parseSpec(s.Text)
	var have []string
	for _, c := range rs.U.byName[name] {
		if !contains(have, c.Arch) {
			have = append(have, c.Arch)
		}
	}
	sort.Strings(have)
	return &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Package left out: no build for these architectures",
		Detail: fmt.Sprintf("%s is held only for %s, and the artifact is built for %s, so it holds no %s. Build the package for these architectures, or remove it here.",
			s.Text, strings.Join(have, ", "), strings.Join(arches, ", "), s.Text),
		Subject: s.Range.Ptr()}
}

// duplicateDiag reports a NEVRA held by several files: a warning naming
// the file taken, or with duplicates = "error" an error.
func (rs *Resolver) duplicateDiag(p *Package, dup string, at hcl.Range) *hcl.Diagnostic {
	if rs.R.Compose.Duplicates == "error" {
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Two packages with one NEVRA",
			Detail: dup + ". Remove all but one of them, or let strata choose with duplicates = \"warn\" in the compose block.", Subject: at.Ptr()}
	}
	return &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Two packages with one NEVRA",
		Detail: fmt.Sprintf("%s. strata takes %s, the newest build (the last file, when built at once), as createrepo_c --duplicated-nevra keep-last does. Remove the others, or set duplicates = \"error\" in the compose block to refuse.",
			dup, p.Location), Subject: at.Ptr()}
}

// withRequires adds the modules that modules require, transitively.
func (rs *Resolver) withRequires(modules []string) []string {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		if m := rs.R.Modules[id]; m != nil {
			for _, r := range m.Requires {
				visit(r)
			}
		}
	}
	for _, m := range modules {
		visit(m)
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// module resolves a module's groups and packages for one architecture.
// Group members no source has are left out (GroupWarnings reports them);
// a package the module names itself must exist.
func (rs *Resolver) module(id, arch string) ([]*Package, hcl.Diagnostics) {
	if pkgs, ok := rs.modules[[2]string{id, arch}]; ok {
		return pkgs, nil
	}
	m := rs.R.Modules[id]
	var out []*Package
	var diags hcl.Diagnostics
	for _, gid := range m.Groups {
		for _, name := range rs.R.Groups[gid].Packages() {
			if p := rs.U.best(name, arch, nil); p != nil {
				out = append(out, p)
			}
		}
	}
	for _, s := range m.Packages {
		p, d := rs.spec(s, arch)
		diags = append(diags, d...)
		if p != nil {
			out = append(out, p)
		}
	}
	rs.modules[[2]string{id, arch}] = out
	return out, diags
}

// spec resolves a name or pin for one architecture. A name that exists
// only for other architectures resolves to nothing here.
func (rs *Resolver) spec(s eval.Spec, arch string) (*Package, hcl.Diagnostics) {
	name, pin, pinArch, ok := rs.U.parseSpec(s.Text)
	if !ok {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Package not found",
			Detail:  fmt.Sprintf("No source holds a package named %q.", s.Text),
			Subject: s.Range.Ptr()}}
	}
	p := rs.U.best(name, arch, func(c *Package) bool {
		return (pin == nil || pinMatches(c, *pin)) && (pinArch == "" || c.Arch == pinArch)
	})
	if p == nil && pin != nil && rs.U.best(name, "", func(c *Package) bool { return pinMatches(c, *pin) }) == nil {
		var have []string
		for _, c := range rs.U.byName[name] {
			have = append(have, c.NEVRA())
		}
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Pinned package not found",
			Detail:  fmt.Sprintf("No source holds %s; the sources have %s.", s.Text, strings.Join(have, ", ")),
			Subject: s.Range.Ptr()}}
	}
	return p, nil
}

// best picks the highest EVR of name among packages that install on arch
// ("" for any) and pass keep; at equal EVR the architecture rpm prefers.
func (u *Universe) best(name, arch string, keep func(*Package) bool) *Package {
	var best *Package
	bestRank := 0
	for _, c := range u.byName[name] {
		rank := 0
		if arch != "" {
			if rank = indexOf(eval.CompatibleArches(arch), c.Arch); rank < 0 {
				continue
			}
		} else if c.Arch == "src" {
			continue
		}
		if keep != nil && !keep(c) {
			continue
		}
		if best == nil {
			best, bestRank = c, rank
			continue
		}
		if cmp := c.EVR().Compare(best.EVR()); cmp > 0 || cmp == 0 && rank < bestRank {
			best, bestRank = c, rank
		}
	}
	return best
}

func pinMatches(p *Package, pin rpm.EVR) bool {
	return p.Version == pin.Version && p.Release == pin.Release && (pin.Epoch == 0 || p.Epoch == pin.Epoch)
}

// packageArches are the architecture suffixes a pin may carry.
var packageArches = []string{"noarch", "x86_64", "i686", "i586", "i486", "i386", "aarch64", "ppc64le", "s390x", "riscv64"}

// parseSpec reads "name", "name-[epoch:]version-release" or the same with
// ".arch". A string that is the name of a package is always a name.
func (u *Universe) parseSpec(text string) (name string, pin *rpm.EVR, arch string, ok bool) {
	if _, ok := u.byName[text]; ok {
		return text, nil, "", true
	}
	rest := text
	for _, a := range packageArches {
		if r, cut := strings.CutSuffix(rest, "."+a); cut {
			rest, arch = r, a
			break
		}
	}
	i := strings.LastIndexByte(rest, '-')
	if i <= 0 {
		return "", nil, "", false
	}
	j := strings.LastIndexByte(rest[:i], '-')
	if j <= 0 {
		return "", nil, "", false
	}
	name = rest[:j]
	evr, valid := rpm.ParseEVR(rest[j+1:])
	if _, known := u.byName[name]; !known || !valid {
		return "", nil, "", false
	}
	return name, &evr, arch, true
}

// GroupWarnings returns one warning per group that lists packages no
// source has.
func (rs *Resolver) GroupWarnings() hcl.Diagnostics {
	var diags hcl.Diagnostics
	ids := make([]string, 0, len(rs.R.Groups))
	for id := range rs.R.Groups {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		g := rs.R.Groups[id]
		var missing []string
		for _, name := range g.Packages() {
			if len(rs.U.byName[name]) == 0 && !contains(missing, name) {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Group lists packages no source has",
				Detail:  fmt.Sprintf("group.%s lists %s, which no source holds; they are left out.", id, strings.Join(missing, ", ")),
				Subject: g.Range.Ptr()})
		}
	}
	return diags
}

func contains(s []string, x string) bool { return indexOf(s, x) >= 0 }

func indexOf(s []string, x string) int {
	for i, e := range s {
		if e == x {
			return i
		}
	}
	return -1
}
