package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/eval"
	"github.com/strata-build/strata/core/pkgset"
	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

// decoded is an instance's body evaluated while planning.
type decoded struct {
	node   *Node
	config cty.Value // with artifact values unknown
	sel    eval.Selection
}

// decode evaluates an instance's body against its type's schema.
func (p *Plan) decode(inst *eval.Instance) (*decoded, hcl.Diagnostics) {
	art := inst.Block
	schema, err := p.Opts.Plugins.Schema(inst.Addr.Type)
	if err != nil {
		return nil, pluginDiags(err, art.DeclRange)
	}
	if err := checkSchema(schema); err != nil {
		return nil, pluginDiags(fmt.Errorf("the schema of artifact type %q: %w", inst.Addr.Type, err), art.DeclRange)
	}
	selAttrs, rest, diags := splitBody(art, schema)
	ctx := p.Eval.ArtifactContext(inst, p.placeholder)
	config, d := decodeBody(rest, schema, ctx)
	diags = append(diags, d...)
	sel, d := p.Eval.DecodeSelection(inst, selAttrs, ctx)
	diags = append(diags, d...)
	if diags.HasErrors() {
		return nil, diags
	}
	n := &Node{Inst: inst, Schema: schema, Rest: rest, Inputs: p.inputsOf(inst, config)}
	config, _ = config.UnmarkDeep()
	return &decoded{node: n, config: config, sel: sel}, diags
}

// validate has the instance's plugin, started if need be, validate its
// decoded body.
func (p *Plan) validate(dec *decoded) hcl.Diagnostics {
	n := dec.node
	at := n.Inst.Block.DeclRange
	plug, err := p.Opts.Plugins.ForType(n.Inst.Addr.Type)
	if err != nil {
		return pluginDiags(&plugins.NotAvailableError{Err: err}, at)
	}
	n.Plugin = plug
	vd, err := plug.Validate(n.Inst.Addr.Type, dec.config)
	if err != nil {
		return pluginDiags(err, at)
	}
	return sdkDiags(vd, n.Rest, at)
}

// pluginDiags says why a plugin could not be used: none is available for
// the type, or it failed.
func pluginDiags(err error, at hcl.Range) hcl.Diagnostics {
	summary := "Plugin failed"
	var na *plugins.NotAvailableError
	if errors.As(err, &na) {
		summary, err = "Plugin not available", na.Err
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: err.Error(), Subject: at.Ptr()}}
}

// gather chooses the packages of a decoded instance and checks them; its
// inputs are gathered. It reports whether the instance can be planned.
func (p *Plan) gather(dec *decoded) (bool, hcl.Diagnostics) {
	n, sel := dec.node, dec.sel
	n.Variant = sel.Variant
	req, diags := p.request(sel, n.Inst.Block.DeclRange)
	if diags.HasErrors() {
		return false, diags
	}
	var d hcl.Diagnostics
	n.Set, d = p.universe.Resolve(req)
	diags = append(diags, d...)
	if d.HasErrors() {
		return false, diags
	}
	n.Unmet = p.universe.Gather(n.Set, gatherOptions(sel.Gather), p.lookaside(n), p.noFollow(n))
	diags = append(diags, p.checkClosure(n)...)
	diags = append(diags, p.addTrees(n, sel.Gather)...)
	diags = append(diags, p.checkDamaged(n)...)
	diags = append(diags, p.checkLifecycles(n)...)
	p.Nodes[n.Inst.Addr] = n // what its dependents gather against
	return true, diags
}

// planInstance has the plugin validate and plan a gathered instance, and
// decides what to do with it; its inputs are planned. One that fails is
// no node.
func (p *Plan) planInstance(dec *decoded) hcl.Diagnostics {
	n, inst := dec.node, dec.node.Inst
	art := inst.Block
	vd := p.validate(dec)
	if vd.HasErrors() {
		delete(p.Nodes, inst.Addr)
		return vd
	}
	resp, diags, err := n.Plugin.Plan(inst.Addr.Type, &sdk.PlanRequest{
		Address: inst.Addr.String(), Config: dec.config, Packages: SDKPackages(n.Set, nil),
		Inputs: p.sdkInputs(n), Compose: p.compose(), Content: p.Content(n), ConfigDir: p.ConfigDir(),
	})
	if err != nil {
		delete(p.Nodes, inst.Addr)
		return append(vd, pluginDiags(err, art.DeclRange)...)
	}
	if diags.HasErrors() {
		delete(p.Nodes, inst.Addr)
		return append(vd, sdkDiags(diags, n.Rest, art.DeclRange)...)
	}
	info := n.Plugin.Info
	n.Planned = resp.Outputs
	n.Publish = resp.Publish
	n.KeyIn = &KeyInput{
		Plugin: info.Name, PluginVersion: info.Version, Protocol: info.Protocol,
		Type: inst.Addr.Type, Config: Canonical(dec.config), ArtifactExprs: artifactExprs(p.Opts.Config.Files, n.Rest),
		Packages: packageKeys(n.Set), Pulled: pulledKeys(n.Set), Content: p.contentKey(n), Inputs: p.inputKeys(n),
		Timestamp: p.timestamp(n), Compose: p.compose(), KeyMaterial: resp.KeyMaterial,
	}
	n.Key = Key(n.KeyIn)
	p.decide(n)
	p.Graph.Add(inst.Addr)
	for _, in := range n.Inputs {
		p.Graph.Connect(inst.Addr, in)
	}
	return append(vd, sdkDiags(diags, n.Rest, art.DeclRange)...)
}

// inputsOf returns the upstream instances whose values reached the
// configuration (their marks) and those named in depends_on.
func (p *Plan) inputsOf(inst *eval.Instance, config cty.Value) []addrs.Instance {
	seen := map[addrs.Instance]bool{}
	_, marks := config.UnmarkDeepWithPaths()
	for _, pm := range marks {
		for m := range pm.Marks {
			if a, ok := m.(addrs.Instance); ok {
				seen[a] = true
			}
		}
	}
	for _, b := range inst.DependsOn {
		for _, other := range p.Eval.Instances {
			if other.Addr.Block == b {
				seen[other.Addr] = true
			}
		}
	}
	out := make([]addrs.Instance, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Less(out[j]) })
	return out
}

// ConfigDir is the configuration's directory, absolute, as plugins are
// given it: relative paths in artifact bodies are relative to it.
func (p *Plan) ConfigDir() string {
	if abs, err := filepath.Abs(p.Opts.Config.Dir); err == nil {
		return abs
	}
	return p.Opts.Config.Dir
}

func (p *Plan) compose() sdk.Compose {
	c := p.Eval.Compose
	return sdk.Compose{Name: c.Name, Short: c.Short, Version: c.Version, Type: c.Type}
}

// SDKPackages lists a set's packages for a plugin, per architecture; path
// gives each package's local file (nil: its location as recorded).
func SDKPackages(set *pkgset.Set, path func(*pkgset.Package) string) []sdk.Package {
	n := 0
	for _, arch := range set.Arches {
		n += len(set.ByArch[arch])
	}
	out := make([]sdk.Package, 0, n)
	for _, arch := range set.Arches {
		for _, pkg := range set.ByArch[arch] {
			loc := pkg.Location
			if path != nil {
				loc = path(pkg)
			}
			sp := pkg.SDK(loc, arch, set.From[pkg])
			sp.Category = set.Trees[pkg]
			out = append(out, sp)
		}
	}
	return out
}

// sdkInputs describes a node's inputs for its plugin's plan: keys are
// known, outputs are not until built.
func (p *Plan) sdkInputs(n *Node) []sdk.Input {
	var out []sdk.Input
	for _, a := range n.Inputs {
		in := p.Nodes[a]
		if in == nil {
			continue
		}
		out = append(out, sdk.Input{Address: a.String(), Type: a.Type, Key: in.Key, Outputs: cty.DynamicVal,
			Packages: SDKPackages(in.Set, nil)})
	}
	return out
}

func packageKeys(set *pkgset.Set) []string {
	var out []string
	for _, arch := range set.Arches {
		for _, pkg := range set.ByArch[arch] {
			out = append(out, arch+" "+pkg.NEVRA()+" "+pkg.Identity())
		}
	}
	return out
}

// pulledKeys describes what gathering pulled in, for the key.
func pulledKeys(set *pkgset.Set) []string {
	var out []string
	for _, arch := range set.Arches {
		for _, pkg := range set.ByArch[arch] {
			if pull, ok := set.Pulled[pkg]; ok {
				out = append(out, arch+" "+pkg.NEVRA()+" <- "+pull.By.NEVRA()+" requires "+pull.Require)
			}
		}
	}
	return out
}

func (p *Plan) inputKeys(n *Node) []string {
	var out []string
	for _, a := range n.Inputs {
		if in := p.Nodes[a]; in != nil {
			out = append(out, a.String()+" "+in.Key)
		}
	}
	return out
}

// contentKey describes the modules of a node, their groups and its
// variant, whose metadata may go into an artifact (comps, modulemd,
// compose paths), for the key.
func (p *Plan) contentKey(n *Node) json.RawMessage {
	doc := map[string]json.RawMessage{}
	for _, id := range n.Set.Modules {
		a := addrs.Block{Kind: addrs.Module, Name: id}
		doc[a.String()] = Canonical(p.Eval.Values[a])
		for _, g := range p.Eval.Modules[id].Groups {
			ga := addrs.Block{Kind: addrs.Group, Name: g}
			doc[ga.String()] = Canonical(p.Eval.Values[ga])
		}
	}
	if n.Variant != "" {
		a := addrs.Block{Kind: addrs.Variant, Name: n.Variant}
		doc[a.String()] = Canonical(p.Eval.Values[a])
	}
	data, _ := json.Marshal(doc)
	return data
}

// timestamp is the time stamped into an artifact: the compose's
// timestamp, else SOURCE_DATE_EPOCH, else the newest build time of its
// packages and inputs. Never the clock.
func (p *Plan) timestamp(n *Node) int64 {
	if ts := p.Eval.Compose.Timestamp; ts != nil {
		return *ts
	}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil {
			return v
		}
	}
	var ts int64
	for _, pkgs := range n.Set.ByArch {
		for _, pkg := range pkgs {
			ts = max(ts, pkg.BuildTime)
		}
	}
	for _, a := range n.Inputs {
		if in := p.Nodes[a]; in != nil && in.KeyIn != nil {
			ts = max(ts, in.KeyIn.Timestamp)
		}
	}
	return ts
}

// decide compares the key with the state.
func (p *Plan) decide(n *Node) {
	addr := n.Inst.Addr.String()
	n.InStore = p.Opts.Store.Has(n.Key)
	if n.InStore {
		if err := p.Opts.Store.Check(n.Key); err != nil {
			n.InStore, n.Damaged = false, err
		}
	}
	old, ok := p.State.Get(addr)
	switch {
	case n.Damaged != nil:
		n.Action, n.Reasons = Rebuild, []string{fmt.Sprintf("its store entry is damaged (%v); it is built again", n.Damaged)}
	case !ok:
		n.Action = Build
	case old.Key == n.Key && n.InStore:
		n.Action = UpToDate
	case old.Key == n.Key:
		n.Action, n.Reasons = Build, []string{"its store entry is missing"}
	default:
		n.Action = Rebuild
		n.Reasons = p.reasons(old.Key, n.KeyIn)
	}
	n.PublishPending = n.Publish != "" && (n.Action != UpToDate || old.Published != n.Publish)
}

// placeholder is the value of an artifact block while planning: each
// instance is unknown, marked with its address so that the instances a
// configuration uses can be found in its value.
func (p *Plan) placeholder(b addrs.Block) cty.Value {
	art := p.Opts.Config.Artifacts[b]
	var insts []addrs.Instance
	for _, i := range p.Eval.Instances {
		if i.Addr.Block == b {
			insts = append(insts, i.Addr)
		}
	}
	return blockValue(art.Meta, insts, func(a addrs.Instance) cty.Value { return cty.DynamicVal.Mark(a) })
}

// blockValue assembles an artifact block's value from its instances'
// values: an object by key for for_each, a tuple for count, or the one
// instance.
func blockValue(meta hcl.Attributes, insts []addrs.Instance, value func(addrs.Instance) cty.Value) cty.Value {
	if _, ok := meta["for_each"]; ok {
		m := map[string]cty.Value{}
		for _, i := range insts {
			m[fmt.Sprint(i.Key.Value())] = value(i)
		}
		return cty.ObjectVal(m)
	}
	if _, ok := meta["count"]; ok {
		vals := make([]cty.Value, len(insts))
		for i, a := range insts {
			vals[i] = value(a)
		}
		return cty.TupleVal(vals)
	}
	if len(insts) == 0 {
		return cty.DynamicVal
	}
	return value(insts[0])
}
