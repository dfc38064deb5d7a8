package eval

import (
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/graph"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/zclconf/go-cty/cty"
)

// Result is an evaluated configuration: every core block decoded, and the
// artifacts expanded into instances whose bodies are yet to be evaluated.
type Result struct {
	Config *dsl.Config
	// Graph is the reference graph of blocks.
	Graph *graph.Graph[addrs.Block]
	// Refs are each block's references.
	Refs map[addrs.Block][]dsl.Reference
	// Values are the values of evaluated blocks, as expressions see them.
	Values    map[addrs.Block]cty.Value
	Compose   *Compose
	Sources   []*Source
	Groups    map[string]*Group
	Modules   map[string]*Module
	Variants  map[string]*Variant
	Instances []*Instance
	// Store is the shared store, if the configuration has one.
	Store *Store
	// Executor is where builds run, if not here.
	Executor *Executor
}

// Evaluate evaluates cfg with the given variable settings.
func Evaluate(cfg *dsl.Config, settings []dsl.VarSetting) (*Result, hcl.Diagnostics) {
	g, refs, diags := analyze(cfg)
	if diags.HasErrors() {
		return nil, diags
	}
	r := &Result{
		Config: cfg, Graph: g, Refs: refs, Values: map[addrs.Block]cty.Value{},
		Groups: map[string]*Group{}, Modules: map[string]*Module{}, Variants: map[string]*Variant{},
	}
	diags = append(diags, r.assignVariables(settings)...)
	for _, addr := range g.Order() {
		if addr.Kind == addrs.Variable || addr.Kind == addrs.Artifact {
			continue
		}
		diags = append(diags, r.evalBlock(addr)...)
	}
	if r.Compose == nil {
		r.Compose = DefaultCompose()
	}
	if r.Config.Store != nil {
		var d hcl.Diagnostics
		r.Store, d = r.decodeStore(r.Config.Store)
		diags = append(diags, d...)
	}
	if r.Config.Executor != nil {
		var d hcl.Diagnostics
		r.Executor, d = r.decodeExecutor(r.Config.Executor)
		diags = append(diags, d...)
	}
	diags = append(diags, r.checkNames()...)
	if diags.HasErrors() {
		return r, diags
	}
	diags = append(diags, r.expandArtifacts()...)
	return r, diags
}

func (r *Result) lookup(a addrs.Block) cty.Value {
	if v, ok := r.Values[a]; ok {
		return v
	}
	return cty.DynamicVal
}

func (r *Result) evalBlock(addr addrs.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, ref := range r.Refs[addr] {
		if ref.Subject.Kind == addrs.Artifact {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Artifacts may not be used here",
				Detail:  fmt.Sprintf("%s refers to %s; only artifacts may refer to other artifacts, because their values are known only once built.", addr, ref.Subject),
				Subject: ref.Range.Ptr()})
		}
	}
	if diags.HasErrors() {
		r.Values[addr] = cty.DynamicVal
		return diags
	}
	ctx := context(r.Refs[addr], r.lookup, nil)
	var v cty.Value
	var d hcl.Diagnostics
	switch addr.Kind {
	case addrs.Compose:
		r.Compose, v, d = decodeCompose(r.Config.Compose, ctx)
	case addrs.Local:
		v, d = r.Config.Blocks[addr].Attrs["value"].Expr.Value(ctx)
	case addrs.Source:
		var s *Source
		s, v, d = decodeSource(r.Config.Blocks[addr], ctx)
		r.Sources = append(r.Sources, s)
	case addrs.Group:
		r.Groups[addr.Name], v, d = decodeGroup(r.Config.Blocks[addr], ctx)
	case addrs.Module:
		r.Modules[addr.Name], v, d = decodeModule(r.Config.Blocks[addr], ctx)
	case addrs.Variant:
		r.Variants[addr.Name], v, d = decodeVariant(r.Config.Blocks[addr], ctx)
	}
	if d.HasErrors() {
		v = cty.DynamicVal
	}
	r.Values[addr] = v
	return d
}

func (r *Result) assignVariables(settings []dsl.VarSetting) hcl.Diagnostics {
	var diags hcl.Diagnostics
	set := map[string]dsl.VarSetting{}
	for _, s := range settings {
		if _, declared := r.Config.Blocks[addrs.Block{Kind: addrs.Variable, Name: s.Name}]; !declared {
			switch {
			case s.From == "-var option":
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Value for undeclared variable",
					Detail: fmt.Sprintf("The -var option sets %q, but the configuration declares no variable %q.", s.Name, s.Name)})
			case s.Expr != nil: // a variable file, as Terraform warns of
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Value for undeclared variable",
					Detail:  fmt.Sprintf("%s sets %q, but the configuration declares no variable %q, so the value is not used. Declare it with a variable block, or remove it (is the name misspelt?).", s.From, s.Name, s.Name),
					Subject: s.Range.Ptr()})
			}
			continue
		}
		set[s.Name] = s
	}
	for addr, b := range r.Config.Blocks {
		if addr.Kind != addrs.Variable {
			continue
		}
		var v cty.Value
		var d hcl.Diagnostics
		if s, ok := set[addr.Name]; ok {
			v, d = s.Value(b.Type)
		} else if def, ok := b.Attrs["default"]; ok {
			v, d = dsl.VarSetting{Name: addr.Name, Expr: def.Expr, Range: def.Range, From: "default"}.Value(b.Type)
		} else {
			d = hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No value for required variable",
				Detail: fmt.Sprintf("var.%s has no default; set it with -var '%s=…', a variable file, or %s%s.",
					addr.Name, addr.Name, dsl.VarEnvPrefix, addr.Name), Subject: b.DeclRange.Ptr()}}
		}
		diags = append(diags, d...)
		if d.HasErrors() {
			v = cty.DynamicVal
		}
		r.Values[addr] = v
	}
	return diags
}

// checkNames verifies the references that were given as addresses.
func (r *Result) checkNames() hcl.Diagnostics {
	var diags hcl.Diagnostics
	hasGroup := func(n string) bool { return r.Groups[n] != nil }
	hasModule := func(n string) bool { return r.Modules[n] != nil }
	for _, id := range slices.Sorted(maps.Keys(r.Modules)) {
		m := r.Modules[id]
		at := addrs.Block{Kind: addrs.Module, Name: id}
		diags = append(diags, checkNames("group", m.Groups, hasGroup, m.Range, at)...)
		diags = append(diags, checkNames("module", m.Requires, hasModule, m.Range, at)...)
	}
	for _, id := range slices.Sorted(maps.Keys(r.Variants)) {
		v := r.Variants[id]
		diags = append(diags, checkNames("module", v.Modules, hasModule, v.Range, addrs.Block{Kind: addrs.Variant, Name: id})...)
	}
	sort.Slice(r.Sources, func(i, j int) bool {
		return r.Sources[i].Type+"."+r.Sources[i].Name < r.Sources[j].Type+"."+r.Sources[j].Name
	})
	return diags
}
