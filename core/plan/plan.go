package plan

import (
	"context"
	"fmt"
	"runtime/debug"
	"sort"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/eval"
	"github.com/strata-build/strata/core/graph"
	"github.com/strata-build/strata/core/pkgset"
	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/core/registry"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

// Action is what an apply does with an artifact instance.
type Action int

// Actions.
const (
	UpToDate Action = iota
	Build
	Rebuild
)

func (a Action) String() string {
	return [...]string{"up to date", "build", "rebuild"}[a]
}

// Options configure a plan.
type Options struct {
	Config  *dsl.Config
	Vars    []dsl.VarSetting
	Targets []addrs.Instance
	// Strict turns lifecycle warnings into errors.
	Strict bool
	// Date is the compose date, for module lifecycles.
	Date    time.Time
	Plugins *plugins.Manager
	Store   *store.Store
}

// Plan is the plan of a configuration.
type Plan struct {
	Opts Options
	Eval *eval.Result
	// universe is every package the sources hold, while the plan is
	// made: it is let go once the nodes' packages are chosen, before the
	// plugins plan, so that it and their processes are never in memory
	// at once.
	universe *pkgset.Universe
	// Digests completes the digests of the nodes' packages for an apply.
	Digests *pkgset.Digests
	// HeadersRead counts the package headers loading read from files (not
	// from the package lists).
	HeadersRead int64
	State       *store.State
	// Nodes are the planned instances, by address.
	Nodes map[addrs.Instance]*Node
	// Graph holds the instances with edges to their inputs.
	Graph *graph.Graph[addrs.Instance]
	// Remote is the shared store, when the configuration has one and it
	// answered while planning.
	Remote *registry.Registry
}

// Node is one planned artifact instance.
type Node struct {
	Inst   *eval.Instance
	Plugin *plugins.Plugin
	Schema sdk.Schema
	Rest   hcl.Body
	Set    *pkgset.Set
	// Unmet are requirements gathering could not meet, with why.
	Unmet   []pkgset.Unmet
	Variant string // the variant the node selects, if any
	Inputs  []addrs.Instance
	Key     string
	KeyIn   *KeyInput
	Planned cty.Value
	Action  Action
	Reasons []string
	// InStore says the store already holds the key, so no build is needed.
	InStore bool
	// Damaged is why the store's entry for the key cannot be used: its
	// files are not those it was stored with. The apply discards it and
	// builds again.
	Damaged error
	// Publish is where the plugin sends the artifact once it is stored
	// (an image's registry), and PublishPending says that it must be sent
	// there: it never was with this key, or the last attempt failed.
	Publish        string
	PublishPending bool
	// Fetch says the remote store holds the key the local store lacks:
	// the apply fetches the entry instead of building it. Push says the
	// local store holds an entry the remote store lacks.
	Fetch, Push bool
}

// Changes returns the nodes in address order.
func (p *Plan) Changes() []*Node {
	out := make([]*Node, 0, len(p.Nodes))
	for _, n := range p.Nodes {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Inst.Addr.Less(out[j].Inst.Addr) })
	return out
}

// Publishes returns how many nodes an apply publishes.
func (p *Plan) Publishes() int {
	n := 0
	for _, node := range p.Nodes {
		if node.PublishPending {
			n++
		}
	}
	return n
}

// Transfers returns how many entries an apply fetches from the remote
// store and pushes there.
func (p *Plan) Transfers() (fetch, push int) {
	for _, n := range p.Nodes {
		if n.Fetch {
			fetch++
		}
		if n.Push {
			push++
		}
	}
	return
}

// Counts returns how many nodes build, rebuild and are up to date.
func (p *Plan) Counts() (build, rebuild, upToDate int) {
	for _, n := range p.Nodes {
		switch n.Action {
		case Build:
			build++
		case Rebuild:
			rebuild++
		default:
			upToDate++
		}
	}
	return
}

// New plans a configuration.
func New(ctx context.Context, opts Options) (*Plan, hcl.Diagnostics) {
	r, diags := eval.Evaluate(opts.Config, opts.Vars)
	if diags.HasErrors() {
		return nil, diags
	}
	st, err := opts.Store.ReadState()
	if err != nil {
		return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read the state", Detail: err.Error()})
	}
	p := &Plan{Opts: opts, Eval: r, State: st, Nodes: map[addrs.Instance]*Node{},
		Graph: graph.New(func(a, b addrs.Instance) bool { return a.Less(b) })}
	wanted, targetDiags := p.targeted()
	// Each step is taken for every instance before the next: decoding
	// (no packages), gathering (with the universe, the plugins stopped),
	// planning (the plugins started again).
	each := instanceDiags{}
	var decs []*decoded
	if !targetDiags.HasErrors() {
		decs = p.decodeAll(wanted, each)
	}
	d := p.loadUniverse(ctx)
	diags = append(diags, d...)
	if d.HasErrors() {
		return nil, diags
	}
	diags = append(diags, p.groupWarnings()...)
	diags = append(diags, targetDiags...)
	if targetDiags.HasErrors() {
		return nil, diags
	}
	gathered := p.gatherAll(decs, each)
	listErr := p.dropUniverse()
	for _, dec := range gathered {
		each.add(dec, p.planInstance(dec))
	}
	for _, inst := range p.ordered() {
		diags = append(diags, each[inst.Addr]...)
	}
	if wanted != nil {
		p.prune()
	}
	if listErr != nil {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read the package lists",
			Detail: fmt.Sprintf("%v. The lists are a cache: removing the file has the next plan read its packages again.", listErr)})
	}
	if !diags.HasErrors() {
		diags = append(diags, p.askRemote(ctx)...)
	}
	return p, dedupe(diags)
}

// instanceDiags are each instance's diagnostics, reported in the order
// of the instances whatever the order of the steps that made them.
type instanceDiags map[addrs.Instance]hcl.Diagnostics

func (d instanceDiags) add(dec *decoded, diags hcl.Diagnostics) {
	a := dec.node.Inst.Addr
	d[a] = append(d[a], diags...)
}

// decodeAll decodes the wanted instances (nil: all), in order.
func (p *Plan) decodeAll(wanted map[addrs.Instance]bool, each instanceDiags) []*decoded {
	var decs []*decoded
	for _, inst := range p.ordered() {
		if wanted == nil || wanted[inst.Addr] {
			dec, d := p.decode(inst)
			each[inst.Addr] = d
			if dec != nil {
				decs = append(decs, dec)
			}
		}
	}
	return decs
}

// loadUniverse reads the sources. Decoding started the plugins whose
// schemas were not cached: they stop while the universe is loaded and
// gathered from, which is when the core holds the most, and start again
// to validate and plan, allowed to read the directories the packages
// turned out to be in.
func (p *Plan) loadUniverse(ctx context.Context) hcl.Diagnostics {
	if p.Opts.Plugins != nil {
		p.Opts.Plugins.Park()
	}
	u, diags := pkgset.Load(ctx, sources(p.Eval), pkgset.Options{Dir: p.Opts.Config.Dir, CacheDir: p.Opts.Store.CacheDir()})
	if diags.HasErrors() {
		return diags
	}
	if p.Opts.Plugins != nil {
		// Plugins link packages into what they build.
		p.Opts.Plugins.Sandbox.AllowLinksFrom(u.Dirs...)
	}
	p.universe, p.Digests, p.HeadersRead = u, u.Digests(), u.HeadersRead
	return diags
}

// gatherAll gathers the decoded instances, in order, and returns those
// that can be planned.
func (p *Plan) gatherAll(decs []*decoded, each instanceDiags) []*decoded {
	var gathered []*decoded
	for _, dec := range decs {
		ok, d := p.gather(dec)
		each.add(dec, d)
		if ok {
			gathered = append(gathered, dec)
		}
	}
	return gathered
}

// dropUniverse lets the universe go once every instance is gathered: the
// nodes keep their packages, copied out of it without the dependencies,
// and the memory it held goes back to the system before the plugins
// start again to plan. It returns what reading the packages' details
// met.
func (p *Plan) dropUniverse() error {
	var sets []*pkgset.Set
	var unmet [][]pkgset.Unmet
	for _, n := range p.Nodes {
		sets = append(sets, n.Set)
		unmet = append(unmet, n.Unmet)
	}
	err := pkgset.Detach(sets, unmet)
	p.universe = nil
	debug.FreeOSMemory()
	return err
}

// prune keeps only the targets and what they are built from: planning
// needed every instance their blocks refer to, but only those whose
// values reached a target are its inputs.
func (p *Plan) prune() {
	keep := map[addrs.Instance]bool{}
	var visit func(addrs.Instance)
	visit = func(a addrs.Instance) {
		if keep[a] || p.Nodes[a] == nil {
			return
		}
		keep[a] = true
		for _, in := range p.Nodes[a].Inputs {
			visit(in)
		}
	}
	for _, t := range p.Opts.Targets {
		for a := range p.Nodes {
			if a == t || t.Key.IsNone() && a.Block == t.Block {
				visit(a)
			}
		}
	}
	g := graph.New(func(a, b addrs.Instance) bool { return a.Less(b) })
	for a, n := range p.Nodes {
		if !keep[a] {
			delete(p.Nodes, a)
			continue
		}
		g.Add(a)
		for _, in := range n.Inputs {
			g.Connect(a, in)
		}
	}
	p.Graph = g
}

// ordered returns the instances so that every input comes before the
// instances that use it.
func (p *Plan) ordered() []*eval.Instance {
	rank := map[addrs.Block]int{}
	for i, b := range p.Eval.Graph.Order() {
		rank[b] = i
	}
	out := append([]*eval.Instance(nil), p.Eval.Instances...)
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].Addr.Block] < rank[out[j].Addr.Block] })
	return out
}

// targeted returns the instances -target asks for with everything they
// are built from, or nil for all.
func (p *Plan) targeted() (map[addrs.Instance]bool, hcl.Diagnostics) {
	if len(p.Opts.Targets) == 0 {
		return nil, nil
	}
	byBlock := map[addrs.Block][]addrs.Instance{}
	exists := map[addrs.Instance]bool{}
	for _, inst := range p.Eval.Instances {
		byBlock[inst.Addr.Block] = append(byBlock[inst.Addr.Block], inst.Addr)
		exists[inst.Addr] = true
	}
	var diags hcl.Diagnostics
	var blocks []addrs.Block
	out := map[addrs.Instance]bool{}
	for _, t := range p.Opts.Targets {
		if t.Key.IsNone() && len(byBlock[t.Block]) > 0 {
			for _, i := range byBlock[t.Block] {
				out[i] = true
			}
		} else if exists[t] {
			out[t] = true
		} else {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown target",
				Detail: fmt.Sprintf("-target %s names no artifact instance of the configuration.", t)})
			continue
		}
		blocks = append(blocks, t.Block)
	}
	// Everything a target's block refers to may be an input.
	for b := range p.Eval.Graph.Closure(blocks...) {
		for _, i := range byBlock[b] {
			out[i] = true
		}
	}
	return out, diags
}

func dedupe(diags hcl.Diagnostics) hcl.Diagnostics {
	seen := map[string]bool{}
	var out hcl.Diagnostics
	for _, d := range diags {
		k := fmt.Sprint(d.Severity, d.Summary, d.Detail, d.Subject)
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}
