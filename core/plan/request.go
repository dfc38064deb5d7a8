package plan

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/eval"
	"github.com/strata-build/strata/core/pkgset"
)

// sources are the configuration's sources, as pkgset reads them.
func sources(r *eval.Result) []pkgset.Source {
	out := make([]pkgset.Source, len(r.Sources))
	for i, s := range r.Sources {
		out[i] = pkgset.Source{Type: s.Type, Name: s.Name, Location: s.Location, SigKeys: s.SigKeys, Range: s.Range}
		if len(s.SigKeys) == 0 {
			out[i].SigKeys = r.Compose.SigKeys
		}
	}
	return out
}

// request expands an artifact's selection into what pkgset resolves:
// its architectures (the compose's, narrowed by its variant and itself),
// the modules it holds with those they require, and every package their
// groups and they list, then its variant's and its own.
func (p *Plan) request(sel eval.Selection, at hcl.Range) (pkgset.Request, hcl.Diagnostics) {
	r := p.Eval
	var diags hcl.Diagnostics
	req := pkgset.Request{Arches: r.Compose.Arches, Duplicates: r.Compose.Duplicates, Range: at}
	modules := append([]string(nil), sel.Modules...)
	var specs []eval.Spec
	if sel.Variant != "" {
		v := r.Variants[sel.Variant]
		modules = append(modules, v.Modules...)
		specs = append(specs, v.Packages...)
		if len(v.Arches) > 0 {
			req.Arches = v.Arches
		}
	}
	specs = append(specs, sel.Packages...)
	if len(sel.Arches) > 0 {
		req.Arches = sel.Arches
	}
	for _, a := range req.Arches {
		if !slices.Contains(r.Compose.Arches, a) {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Architecture not in the compose",
				Detail:  fmt.Sprintf("%s is not one of the compose's architectures (%s); add it to compose.arches or remove it here.", a, strings.Join(r.Compose.Arches, ", ")),
				Subject: at.Ptr()})
		}
	}
	req.Modules = withRequires(r, modules)
	for _, id := range req.Modules {
		m := r.Modules[id]
		for _, gid := range m.Groups {
			for _, name := range r.Groups[gid].Packages() {
				req.Specs = append(req.Specs, pkgset.Spec{Text: name, Module: id, Member: true, Range: r.Groups[gid].Range})
			}
		}
		for _, s := range m.Packages {
			req.Specs = append(req.Specs, pkgset.Spec{Text: s.Text, Module: id, Range: s.Range})
		}
	}
	for _, s := range specs {
		req.Specs = append(req.Specs, pkgset.Spec{Text: s.Text, Range: s.Range})
	}
	return req, diags
}

// withRequires adds the modules that modules require, transitively, and
// sorts them.
func withRequires(r *eval.Result, modules []string) []string {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		if m := r.Modules[id]; m != nil {
			for _, req := range m.Requires {
				visit(req)
			}
		}
	}
	for _, m := range modules {
		visit(m)
	}
	out := slices.Sorted(maps.Keys(seen))
	return out
}

// groupWarnings returns one warning per group that lists packages no
// source has.
func (p *Plan) groupWarnings() hcl.Diagnostics {
	var diags hcl.Diagnostics
	ids := slices.Sorted(maps.Keys(p.Eval.Groups))
	for _, id := range ids {
		g := p.Eval.Groups[id]
		var missing []string
		for _, name := range g.Packages() {
			if !p.universe.Has(name) && !slices.Contains(missing, name) {
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
