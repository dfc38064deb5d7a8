package command

import (
	"context"
	"fmt"
	"strings"

	"github.com/strata-build/strata/core/pkgset"
	"github.com/strata-build/strata/core/plan"
	"github.com/strata-build/strata/internal/addrs"
)

// runWhy explains why an artifact holds a package: the chain of
// requirements that pulled it in, back to what lists it (a group of a
// module, a module, the artifact or its variant).
func runWhy(c *cli, args []string) int {
	fs := c.flags()
	var pf planFlags
	pf.register(fs)
	if code, stop := c.parse(fs, args); stop {
		return code
	}
	if fs.NArg() < 2 || fs.NArg() > 3 {
		fmt.Fprintln(c.stderr, "strata why: give an artifact address and a package name, then optionally the configuration directory")
		return exitUsage
	}
	inst, err := addrs.ParseInstance(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(c.stderr, "strata why: %v\n", err)
		return exitUsage
	}
	name, dir := fs.Arg(1), "."
	if fs.NArg() == 3 {
		dir = fs.Arg(2)
	}
	pf.parsedTargets = []addrs.Instance{inst}
	s, diags := c.makePlan(context.Background(), dir, &pf, nil)
	defer s.close()
	if diags.HasErrors() || s.plan == nil {
		c.diagnose(diags)
		return exitError
	}
	n := s.plan.Nodes[inst]
	if n == nil {
		return c.errorf("%s is not an artifact of this configuration", inst)
	}
	arch, pkg := findPackage(n.Set, name)
	if pkg == nil {
		return c.errorf("%s holds no package %s", inst, name)
	}
	chain := whyChain(s.plan, n, pkg)
	if pf.json {
		c.printJSON(map[string]any{"address": inst.String(), "package": pkg.NEVRA(), "arch": arch, "chain": chain})
		return exitOK
	}
	parts := []string{pkg.Name}
	for _, l := range chain[1:] {
		parts = append(parts, l.text())
	}
	fmt.Fprintln(c.stdout, strings.Join(parts, " ← "))
	return exitOK
}

// findPackage finds a package of the set by name or NEVRA, in the first
// architecture that holds it.
func findPackage(set *pkgset.Set, name string) (string, *pkgset.Package) {
	for _, arch := range set.Arches {
		for _, p := range set.ByArch[arch] {
			if p.Name == name || p.NEVRA() == name {
				return arch, p
			}
		}
	}
	return "", nil
}

// link is one step of a why chain.
type link struct {
	Package  string `json:"package,omitempty"`
	Requires string `json:"requires,omitempty"`
	Group    string `json:"group,omitempty"`
	Module   string `json:"module,omitempty"`
	ListedBy string `json:"listed_by,omitempty"`
}

func (l link) text() string {
	switch {
	case l.Requires != "":
		return "requires " + l.Requires
	case l.Package != "":
		return l.Package
	case l.Group != "":
		return "group " + l.Group
	case l.Module != "":
		return "module " + l.Module
	}
	return "listed by " + l.ListedBy
}

// whyChain follows the pulls from pkg back to a listed package, then
// says what lists that one.
func whyChain(p *plan.Plan, n *plan.Node, pkg *pkgset.Package) []link {
	chain := []link{{Package: pkg.NEVRA()}}
	seen := map[*pkgset.Package]bool{pkg: true}
	for {
		pull, ok := n.Set.Pulled[pkg]
		if !ok || seen[pull.By] {
			break
		}
		pkg = pull.By
		seen[pkg] = true
		chain = append(chain, link{Requires: pull.Require}, link{Package: pkg.Name})
	}
	modules := n.Set.From[pkg]
	if len(modules) == 0 {
		what := n.Inst.Addr.String()
		if n.Variant != "" {
			what += " (or variant." + n.Variant + ")"
		}
		return append(chain, link{ListedBy: what})
	}
	m := p.Eval.Modules[modules[0]]
	for _, gid := range m.Groups {
		for _, name := range p.Eval.Groups[gid].Packages() {
			if name == pkg.Name {
				return append(chain, link{Group: gid}, link{Module: m.ID})
			}
		}
	}
	return append(chain, link{Module: m.ID})
}
