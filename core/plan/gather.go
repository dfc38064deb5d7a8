package plan

import (
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
			for arch, pkgs := range in.Set.ByArch {
				out[arch] = append(out[arch], pkgs...)
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
