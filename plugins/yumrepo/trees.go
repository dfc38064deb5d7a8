package yumrepo

import (
	"slices"
	"sort"

	"github.com/strata-build/strata/sdk"
)

// tree is one repository of an artifact: an architecture's binary (os)
// tree or debuginfo tree, or the variant's source tree, which serves
// every architecture.
type tree struct {
	category    string // sdk.Package.Category: "", "debug" or "source"
	dir         string // in the artifact
	composePath string
	arches      []string
	pkgs        []sdk.Package
	// srpms are, for a source tree, the NEVRAs of the source packages
	// each architecture's binaries were built from.
	srpms map[string]map[string]bool
}

// treesOf sorts an artifact's packages into its trees, laid out as
// productmd does: <Variant>/<arch>/os, <Variant>/<arch>/debug/tree and
// <Variant>/source/tree. A source package selected for several
// architectures is written once.
func treesOf(pkgs []sdk.Package, v sdk.Variant) []*tree {
	byKey := map[string]*tree{}
	written := map[string]bool{} // source packages, by NEVRA and digest
	var out []*tree
	for _, p := range pkgs {
		key := p.Category + " " + p.TargetArch
		if p.Category == "source" {
			key = "source"
		}
		t := byKey[key]
		if t == nil {
			t = newTree(p, v)
			byKey[key] = t
			out = append(out, t)
		}
		if !slices.Contains(t.arches, p.TargetArch) {
			t.arches = append(t.arches, p.TargetArch)
			sort.Strings(t.arches)
		}
		if t.srpms == nil {
			t.pkgs = append(t.pkgs, p)
			continue
		}
		if t.srpms[p.TargetArch] == nil {
			t.srpms[p.TargetArch] = map[string]bool{}
		}
		t.srpms[p.TargetArch][nevra(p)] = true
		if id := nevra(p) + " " + p.SHA256; !written[id] {
			written[id] = true
			t.pkgs = append(t.pkgs, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].dir < out[j].dir })
	return out
}

// newTree starts the tree a package of its category and architecture
// belongs to.
func newTree(p sdk.Package, v sdk.Variant) *tree {
	t := &tree{category: p.Category}
	switch p.Category {
	case "source":
		t.dir, t.composePath, t.srpms = "source", v.UID+"/source/tree", map[string]map[string]bool{}
	case "debug":
		t.dir, t.composePath = "debug/"+p.TargetArch, v.UID+"/"+p.TargetArch+"/debug/tree"
	default:
		t.dir, t.composePath = p.TargetArch, v.UID+"/"+p.TargetArch+"/os"
	}
	return t
}

// placed lists the packages a placement of the tree for arch names: all
// of them, or for a source tree those of arch's binaries.
func (t *tree) placed(rpms []sdk.PlacedRPM, arch string) []sdk.PlacedRPM {
	if t.srpms == nil {
		return rpms
	}
	var out []sdk.PlacedRPM
	for _, r := range rpms {
		if t.srpms[arch][r.NEVRA] {
			out = append(out, r)
		}
	}
	return out
}
