package eval

import (
	"fmt"
	"sort"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Instance is one instance of an artifact block.
type Instance struct {
	Addr  addrs.Instance
	Block *dsl.Artifact
	// Repetition holds each.* or count.* for this instance; nil without
	// for_each or count.
	Repetition *Repetition
	// Closure is the closure policy: the artifact's own or the compose's.
	Closure string
	// Timeout bounds the build; zero means the default.
	Timeout time.Duration
	// Local says the artifact is built here whatever the executor
	// (executor = "local").
	Local bool
	// DependsOn are the artifacts named in depends_on.
	DependsOn []addrs.Block
}

func (r *Result) expandArtifacts() hcl.Diagnostics {
	var diags hcl.Diagnostics
	var blocks []addrs.Block
	for a := range r.Config.Artifacts {
		blocks = append(blocks, a)
	}
	sort.Slice(blocks, func(i, j int) bool { return lessBlock(blocks[i], blocks[j]) })
	for _, addr := range blocks {
		art := r.Config.Artifacts[addr]
		reps, d := r.repetitions(art)
		diags = append(diags, d...)
		deps, d := dependsOn(art)
		diags = append(diags, d...)
		for _, rep := range reps {
			inst := &Instance{Addr: addrs.Instance{Block: addr}, Block: art, Repetition: rep.rep, DependsOn: deps}
			inst.Addr.Key = rep.key
			d := r.instanceMeta(inst)
			diags = append(diags, d...)
			r.Instances = append(r.Instances, inst)
		}
	}
	return diags
}

type repetition struct {
	key addrs.Key
	rep *Repetition
}

// repetitions evaluates for_each or count.
func (r *Result) repetitions(art *dsl.Artifact) ([]repetition, hcl.Diagnostics) {
	refs := r.Refs[art.Addr]
	if attr, ok := art.Meta["for_each"]; ok {
		v, diags := attr.Expr.Value(context(refs, r.lookup, nil))
		if diags.HasErrors() {
			return nil, diags
		}
		v, _ = v.UnmarkDeep()
		t := v.Type()
		if v.IsNull() || !v.IsWhollyKnown() || !(t.IsMapType() || t.IsObjectType() || t.IsSetType() && t.ElementType() == cty.String) {
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid for_each argument",
				Detail:  "for_each takes a map, or a set of strings, whose keys are known before anything is built.",
				Subject: attr.Expr.Range().Ptr()}}
		}
		var out []repetition
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			if t.IsSetType() {
				k = e
			}
			if k.IsNull() {
				return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid for_each argument",
					Detail: "The set for_each takes may not hold null.", Subject: attr.Expr.Range().Ptr()}}
			}
			if diag := checkPathName(fmt.Sprintf("The for_each key %q of %s", k.AsString(), art.Addr), k.AsString(), attr.Expr.Range()); diag != nil {
				diags = append(diags, diag)
				continue
			}
			out = append(out, repetition{addrs.StringKey(k.AsString()), &Repetition{Key: k, Value: e}})
		}
		return out, diags
	}
	if attr, ok := art.Meta["count"]; ok {
		v, diags := attr.Expr.Value(context(refs, r.lookup, nil))
		if diags.HasErrors() {
			return nil, diags
		}
		v, _ = v.UnmarkDeep()
		n, err := convert.Convert(v, cty.Number)
		var count int64
		if err == nil && n.IsKnown() && !n.IsNull() {
			c, acc := n.AsBigFloat().Int64()
			count = c
			if acc != 0 || c < 0 {
				err = fmt.Errorf("not a whole number")
			}
		} else if err == nil {
			err = fmt.Errorf("not known")
		}
		if err != nil {
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid count argument",
				Detail: "count takes a whole number of zero or more, known before anything is built.", Subject: attr.Expr.Range().Ptr()}}
		}
		out := make([]repetition, count)
		for i := range out {
			out[i] = repetition{addrs.IntKey(i), &Repetition{Index: cty.NumberIntVal(int64(i))}}
		}
		return out, nil
	}
	return []repetition{{addrs.NoKey, nil}}, nil
}

func dependsOn(art *dsl.Artifact) ([]addrs.Block, hcl.Diagnostics) {
	attr, ok := art.Meta["depends_on"]
	if !ok {
		return nil, nil
	}
	exprs, diags := hcl.ExprList(attr.Expr)
	var out []addrs.Block
	for _, e := range exprs {
		refs, _, d := dsl.References(e)
		diags = append(diags, d...)
		if len(refs) != 1 || refs[0].Subject.Kind != addrs.Artifact {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid depends_on",
				Detail: "depends_on lists artifacts, as in [artifact.oci.base].", Subject: e.Range().Ptr()})
			continue
		}
		out = append(out, refs[0].Subject)
	}
	return out, diags
}

// instanceMeta evaluates closure and timeout for one instance.
func (r *Result) instanceMeta(inst *Instance) hcl.Diagnostics {
	ctx := context(r.Refs[inst.Addr.Block], r.lookup, inst.Repetition)
	d := &decoder{attrs: inst.Block.Meta, ctx: ctx, what: inst.Addr.String()}
	inst.Closure = d.oneOf("closure", r.Compose.Closure, closurePolicies...)
	if s := d.str("timeout", ""); s != "" {
		t, err := time.ParseDuration(s)
		if err != nil || t <= 0 {
			d.errorf(inst.Block.Meta["timeout"], "Invalid timeout", "timeout is a duration such as \"30m\" or \"2h\", not %q.", s)
		}
		inst.Timeout = t
	}
	if _, ok := inst.Block.Meta["executor"]; ok {
		inst.Local = d.oneOf("executor", "local", "local", "nomad") == "local"
	}
	return d.diags
}

// ArtifactContext is the scope of an artifact instance's body: the
// values of the blocks it refers to, with artifacts given by artifact
// (the value of an artifact block: an object, a map of objects for
// for_each, or a tuple for count), and its each.* or count.index.
func (r *Result) ArtifactContext(inst *Instance, artifact func(addrs.Block) cty.Value) *hcl.EvalContext {
	lookup := func(a addrs.Block) cty.Value {
		if a.Kind == addrs.Artifact {
			return artifact(a)
		}
		return r.lookup(a)
	}
	return context(r.Refs[inst.Addr.Block], lookup, inst.Repetition)
}

// Selection is an artifact's package selection as written, with its
// gathering: the artifact's own settings over the compose's, its
// variant's excludes added to the compose's and its own.
type Selection struct {
	Variant  string
	Modules  []string
	Packages []Spec
	Arches   []string
	Gather   Gather
}

// DecodeSelection evaluates the package selection arguments of an
// artifact (variant, modules, packages, arches) in ctx.
func (r *Result) DecodeSelection(inst *Instance, attrs hcl.Attributes, ctx *hcl.EvalContext) (Selection, hcl.Diagnostics) {
	d := &decoder{attrs: attrs, ctx: ctx, what: inst.Addr.String()}
	var sel Selection
	if v := d.refs("variant", "variant"); len(v) > 1 {
		d.errorf(attrs["variant"], "Invalid variant", "variant takes one variant; list several artifacts with for_each to build several.")
	} else if len(v) == 1 {
		sel.Variant = v[0]
	}
	sel.Modules = d.refs("modules", "module")
	sel.Packages = d.specs("packages")
	sel.Arches = d.strs("arches")
	c := r.Compose.Gather
	sel.Gather = Gather{Method: d.oneOf("gather", c.Method, gatherMethods...), WeakDeps: d.bool("weak_deps", c.WeakDeps),
		Greedy: d.oneOf("greedy", c.Greedy, greedyModes...), Exclude: append(append([]string(nil), c.Exclude...), d.globs("exclude")...),
		Sources: d.bool("sources", c.Sources), Debuginfo: d.bool("debuginfo", c.Debuginfo)}
	if sel.Variant != "" && r.Variants[sel.Variant] == nil {
		d.errorf(attrs["variant"], "Reference to undeclared variant", "variant.%s is not declared.", sel.Variant)
	} else if sel.Variant != "" {
		v := r.Variants[sel.Variant]
		sel.Gather.Exclude = append(sel.Gather.Exclude, v.Exclude...)
		sel.Gather.Multilib, sel.Gather.MultilibWhitelist, sel.Gather.MultilibBlacklist = v.Multilib, v.MultilibWhitelist, v.MultilibBlacklist
	}
	if _, ok := attrs["multilib"]; ok {
		sel.Gather.Multilib = d.multilib()
	}
	if _, ok := attrs["multilib_whitelist"]; ok {
		sel.Gather.MultilibWhitelist = d.globs("multilib_whitelist")
	}
	if _, ok := attrs["multilib_blacklist"]; ok {
		sel.Gather.MultilibBlacklist = d.globs("multilib_blacklist")
	}
	for _, m := range sel.Modules {
		if r.Modules[m] == nil {
			d.errorf(attrs["modules"], "Reference to undeclared module", "module.%s is not declared.", m)
		}
	}
	return sel, d.diags
}
