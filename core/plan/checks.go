package plan

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/pkgset"
)

// maxListed bounds the problems one diagnostic lists.
const maxListed = 20

// checkClosure proves that every requirement of the node's packages is
// met by its packages and those of its inputs, per architecture, and
// reports what is not as the node's closure policy says.
func (p *Plan) checkClosure(n *Node) hcl.Diagnostics {
	policy := n.Inst.Closure
	if policy == "off" {
		return nil
	}
	why := map[[2]string]string{}
	for _, u := range n.Unmet {
		why[[2]string{u.Package.NEVRA(), u.Require.Name}] = u.Reason
	}
	var problems []string
	for _, arch := range n.Set.Arches {
		own := n.Set.ByArch[arch]
		available := append([]*pkgset.Package(nil), own...)
		for _, a := range n.Inputs {
			if in := p.Nodes[a]; in != nil {
				available = append(available, in.Set.Binaries(arch)...)
			}
		}
		for _, u := range p.universe.Closure(own, available) {
			line := fmt.Sprintf("%s (%s) requires %s, which nothing in the artifact provides", u.Package.NEVRA(), arch, u.Require)
			if reason := why[[2]string{u.Package.NEVRA(), u.Require.String()}]; reason != "" {
				line = fmt.Sprintf("%s (%s) requires %s, and no provider can be pulled in: %s", u.Package.NEVRA(), arch, u.Require, reason)
			}
			if u.Reason != "" {
				line = fmt.Sprintf("%s (%s): %s", u.Package.NEVRA(), arch, u.Reason)
			}
			problems = append(problems, line)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	sev, summary := hcl.DiagError, "Dependency closure is open"
	if policy == "warn" {
		sev, summary = hcl.DiagWarning, "Dependency closure is open (closure = \"warn\")"
	}
	detail := fmt.Sprintf("%s is not closed:\n  %s\nAdd sources that provide these, or packages that do to its modules, or set closure = \"warn\" or \"off\" on the artifact or in the compose block.",
		n.Inst.Addr, listed(problems))
	return hcl.Diagnostics{{Severity: sev, Summary: summary, Detail: detail, Subject: n.Inst.Block.DeclRange.Ptr()}}
}

// listed lists problems one a line, at most maxListed of them.
func listed(problems []string) string {
	if len(problems) > maxListed {
		problems = append(problems[:maxListed:maxListed], fmt.Sprintf("… and %d more", len(problems)-maxListed))
	}
	return strings.Join(problems, "\n  ")
}

// checkDamaged refuses an artifact holding a package file that fails its
// own digests: its header, or its payload where the plan read the file
// whole (an apply checks the others while hashing them).
func (p *Plan) checkDamaged(n *Node) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[*pkgset.Package]bool{}
	for _, pkg := range n.Set.All() {
		if pkg.Damaged == "" || seen[pkg] {
			continue
		}
		seen[pkg] = true
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Damaged package",
			Detail: fmt.Sprintf("%s holds %s, whose file %s is damaged: %s. Replace the file with a sound copy (rpm -K checks it), or remove it from the source.",
				n.Inst.Addr, pkg.NEVRA(), pkg.Location, pkg.Damaged),
			Subject: n.Inst.Block.DeclRange.Ptr()})
	}
	return diags
}

// checkLifecycles warns (or with -strict fails) when an artifact includes
// a module past its end of life at the compose date.
func (p *Plan) checkLifecycles(n *Node) hcl.Diagnostics {
	var diags hcl.Diagnostics
	date := p.Opts.Date.UTC().Truncate(24 * time.Hour)
	for _, id := range n.Set.Modules {
		m := p.Eval.Modules[id]
		if m.EOL == nil || !m.EOL.Before(date) {
			continue
		}
		sev := hcl.DiagWarning
		if p.Opts.Strict {
			sev = hcl.DiagError
		}
		r := m.EOLRange
		diags = append(diags, &hcl.Diagnostic{Severity: sev, Summary: "Module past its end of life",
			Detail: fmt.Sprintf("module.%s reached its end of life on %s, before the compose date %s, and %s includes it. Move the artifact to a supported stream or extend the lifecycle.",
				id, m.EOL.Format(time.DateOnly), date.Format(time.DateOnly), n.Inst.Addr),
			Subject: &r})
	}
	return diags
}
