package pkgset

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/arch"
	"github.com/strata-build/strata/sdk/rpm"
)

// Request is what one artifact asks for, the configuration expanded:
// every package a group, a module, its variant or the artifact lists,
// with the module that lists it, for each of its architectures.
type Request struct {
	Arches []string
	// Modules are every module the artifact holds, required ones
	// included, sorted.
	Modules []string
	Specs   []Spec
	// Duplicates is the compose's policy for a NEVRA held by several
	// files: "warn" or "error".
	Duplicates string
	Range      hcl.Range
}

// Spec is one package listed: a name ("bash"), a pin
// ("bash-5.2.26-1.fc41", "bash-0:5.2.26-1.fc41.x86_64") or a glob of
// names ("python3-*", "*").
type Spec struct {
	Text string
	// Module lists it; "" for the artifact or its variant.
	Module string
	// Member says a group lists it: a member no source holds is left
	// out (GroupWarnings reports it), any other spec must resolve.
	Member bool
	Range  hcl.Range
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
	// Trees marks the source and debuginfo packages AddTrees added
	// (SourceCategory, DebugCategory); SourceOf maps each package to its source package.
	Trees    map[*Package]string
	SourceOf map[*Package]*Package
}

// All lists the set's packages, every architecture's in turn.
func (s *Set) All() []*Package {
	var out []*Package
	for _, a := range s.Arches {
		out = append(out, s.ByArch[a]...)
	}
	return out
}

// Resolve resolves a request against the universe: the newest package
// of each name listed that installs on each architecture, and each pin.
func (u *Universe) Resolve(req Request) (*Set, hcl.Diagnostics) {
	specs, diags := u.expandGlobs(req.Specs)
	req.Specs = specs
	set := &Set{Arches: req.Arches, ByArch: map[string][]*Package{}, From: map[*Package][]string{}, Modules: req.Modules}
	for _, target := range req.Arches {
		seen := map[*Package]bool{}
		for _, s := range req.Specs {
			p, d := u.spec(s, target)
			diags = append(diags, d...)
			if p == nil {
				continue
			}
			if s.Module != "" && !slices.Contains(set.From[p], s.Module) {
				set.From[p] = append(set.From[p], s.Module)
			}
			if !seen[p] {
				seen[p] = true
				set.ByArch[target] = append(set.ByArch[target], p)
			}
		}
		sortByNEVRA(set.ByArch[target])
		for _, p := range set.ByArch[target] {
			if dup := u.duplicate(p); dup != "" {
				diags = append(diags, duplicateDiag(p, dup, req.Duplicates, req.Range))
			}
		}
	}
	if !diags.HasErrors() {
		for _, s := range req.Specs {
			if !s.Member && !u.anyArch(s, req.Arches) {
				diags = append(diags, u.otherArchDiag(s, req.Arches))
			}
		}
	}
	for _, m := range set.From {
		sort.Strings(m)
	}
	return set, dedupeDiags(diags)
}

// dedupeDiags drops a diagnostic said before: a spec is resolved once
// per architecture.
func dedupeDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	seen := map[string]bool{}
	var out hcl.Diagnostics
	for _, d := range diags {
		k := d.Summary + "\x00" + d.Detail
		if d.Subject != nil {
			k += d.Subject.String()
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

// anyArch reports whether a spec resolves for one of arches.
func (u *Universe) anyArch(s Spec, arches []string) bool {
	for _, a := range arches {
		if p, _ := u.spec(s, a); p != nil {
			return true
		}
	}
	return false
}

// otherArchDiag warns of a listed package that no source holds for any
// of the artifact's architectures: only its source package, or builds
// for other architectures.
func (u *Universe) otherArchDiag(s Spec, arches []string) *hcl.Diagnostic {
	name, _, _, _ := u.parseSpec(s.Text)
	var have []string
	for _, c := range u.named(name) {
		if !slices.Contains(have, c.Arch) {
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
func duplicateDiag(p *Package, dup, policy string, at hcl.Range) *hcl.Diagnostic {
	if policy == "error" {
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Two packages with one NEVRA",
			Detail: dup + ". Remove all but one of them, or let strata choose with duplicates = \"warn\" in the compose block.", Subject: at.Ptr()}
	}
	return &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Two packages with one NEVRA",
		Detail: fmt.Sprintf("%s. strata takes %s, the newest build (the last file, when built at once), as createrepo_c --duplicated-nevra keep-last does. Remove the others, or set duplicates = \"error\" in the compose block to refuse.",
			dup, p.Location), Subject: at.Ptr()}
}

// spec resolves a name or pin for one architecture. A name that exists
// only for other architectures resolves to nothing here, as does a group
// member no source holds.
func (u *Universe) spec(s Spec, target string) (*Package, hcl.Diagnostics) {
	name, pin, pinArch, ok := u.parseSpec(s.Text)
	if !ok {
		if s.Member {
			return nil, nil
		}
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Package not found",
			Detail:  fmt.Sprintf("No source holds a package named %q.", s.Text),
			Subject: s.Range.Ptr()}}
	}
	p := u.best(name, target, func(c *Package) bool {
		return (pin == nil || pinMatches(c, *pin)) && (pinArch == "" || c.Arch == pinArch)
	})
	if p == nil && pin != nil && u.best(name, "", func(c *Package) bool { return pinMatches(c, *pin) }) == nil {
		var have []string
		for _, c := range u.named(name) {
			have = append(have, c.NEVRA())
		}
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Pinned package not found",
			Detail:  fmt.Sprintf("No source holds %s; the sources have %s.", s.Text, strings.Join(have, ", ")),
			Subject: s.Range.Ptr()}}
	}
	return p, nil
}

// best picks the highest EVR of name among packages that install on
// target ("" for any) and pass keep; at equal EVR the architecture rpm
// prefers.
func (u *Universe) best(name, target string, keep func(*Package) bool) *Package {
	var best *Package
	bestRank := 0
	for _, c := range u.named(name) {
		rank := 0
		if target != "" {
			if rank = slices.Index(arch.Compatible(target), c.Arch); rank < 0 {
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
	if u.Has(text) {
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
	if !u.Has(name) || !valid {
		return "", nil, "", false
	}
	return name, &evr, arch, true
}

// Has reports whether a source holds a package of that name.
func (u *Universe) Has(name string) bool {
	_, ok := u.names.find(name)
	return ok
}
