package plan

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/eval"
	"github.com/strata-build/strata/core/pkgset"
)

// gatherOptions turns an artifact's gathering settings into pkgset's.
func gatherOptions(g eval.Gather) pkgset.GatherOptions {
	return pkgset.GatherOptions{Deps: g.Method == "deps", WeakDeps: g.WeakDeps, Greedy: g.Greedy == "all", Exclude: g.Exclude,
		Multilib: g.Multilib, MultilibWhitelist: g.MultilibWhitelist, MultilibBlacklist: g.MultilibBlacklist}
}

// lookaside is what a node's inputs hold, per architecture: an add-on's
// parent repository, a layered image's base. Gathering pulls in nothing
// they provide, and closure counts them.
func (p *Plan) lookaside(n *Node) map[string][]*pkgset.Package {
	out := map[string][]*pkgset.Package{}
	for _, a := range n.Inputs {
		if in := p.Nodes[a]; in != nil && in.Set != nil {
			for _, arch := range in.Set.Arches {
				out[arch] = append(out[arch], in.Set.Binaries(arch)...)
			}
		}
	}
	return out
}

// noFollow are the packages only modules with gather = "none" bring in:
// their requirements are checked, not pulled in.
func (p *Plan) noFollow(n *Node) map[*pkgset.Package]bool {
	out := map[*pkgset.Package]bool{}
	for pkg, modules := range n.Set.From {
		follow := false
		for _, m := range modules {
			if !p.Eval.Modules[m].NoGather {
				follow = true
			}
		}
		if !follow {
			out[pkg] = true
		}
	}
	return out
}

// addTrees adds the source and debuginfo packages of a node's set when
// its type ships them and it asks for them. A package whose source cannot
// be shipped is a warning (an error with -strict) naming the files.
func (p *Plan) addTrees(n *Node, g eval.Gather) hcl.Diagnostics {
	if !n.Schema.Trees {
		return nil
	}
	problems := p.universe.AddTrees(n.Set, pkgset.TreeOptions{Sources: g.Sources, Debuginfo: g.Debuginfo, Exclude: g.Exclude})
	if len(problems) == 0 {
		return nil
	}
	sev := hcl.DiagWarning
	if p.Opts.Strict {
		sev = hcl.DiagError
	}
	return hcl.Diagnostics{{Severity: sev, Summary: "Source or debuginfo packages missing",
		Detail: fmt.Sprintf("%s ships its source and debuginfo trees without:\n  %s\nAdd a source that holds them (a build tag's source packages), or remove what they belong to.",
			n.Inst.Addr, listed(problems)),
		Subject: n.Inst.Block.DeclRange.Ptr()}}
}
