package eval

import (
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/internal/addrs"
)

// Store is the store block: a shared store in an OCI registry, which
// the local store caches.
type Store struct {
	Type string // "oci"
	// Repository is the registry repository entries are kept in, e.g.
	// "registry.example.com/strata/fedora"; Insecure allows plain HTTP.
	Repository string
	Insecure   bool
	Range      hcl.Range
}

// Executor is the executor block: builds run as Nomad batch jobs.
type Executor struct {
	Type                        string // "nomad"
	Address                     string
	Datacenters                 []string
	Namespace, NodePool, Region string
	// CPU (MHz) and Memory (MiB) each build's task asks for; zero for
	// Nomad's defaults.
	CPU, Memory int
	Range       hcl.Range
}

// decodeExecutor evaluates the executor block, which may refer to
// variables and locals only.
func (r *Result) decodeExecutor(b *dsl.Block) (*Executor, hcl.Diagnostics) {
	ctx, diags := r.settingsContext(b, "executor")
	if diags.HasErrors() {
		return nil, diags
	}
	d := &decoder{attrs: b.Attrs, ctx: ctx, what: "The executor block", block: b.DeclRange.Ptr()}
	x := &Executor{Type: b.Addr.Type, Address: d.str("address", "http://127.0.0.1:4646"), Datacenters: d.strs("datacenters"),
		Namespace: d.str("namespace", ""), NodePool: d.str("node_pool", ""), Region: d.str("region", ""), Range: b.DeclRange}
	if res := b.Nested["resources"]; res != nil {
		rd := &decoder{attrs: res.Attrs, ctx: ctx, what: "The executor's resources"}
		cpu, _ := rd.int("cpu")
		mem, _ := rd.int("memory")
		x.CPU, x.Memory = int(cpu), int(mem)
		d.diags = append(d.diags, rd.diags...)
	}
	return x, append(diags, d.diags...)
}

// settingsContext is the scope of a block of settings (store, executor):
// variables and locals only, since they are needed before anything is
// built.
func (r *Result) settingsContext(b *dsl.Block, what string) (*hcl.EvalContext, hcl.Diagnostics) {
	refs, _, diags := dsl.References(b.Expressions()...)
	for _, ref := range refs {
		if k := ref.Subject.Kind; k != addrs.Variable && k != addrs.Local {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid reference in the store block",
				Detail: fmt.Sprintf("The %s block refers to %s; it may refer only to variables and locals.", what, ref.Subject), Subject: ref.Range.Ptr()})
		} else if _, ok := r.Config.Blocks[ref.Subject]; !ok {
			diags = append(diags, undeclared(r.Config, ref))
		}
	}
	return context(refs, r.lookup, nil), diags
}

// decodeStore evaluates the store block.
func (r *Result) decodeStore(b *dsl.Block) (*Store, hcl.Diagnostics) {
	ctx, diags := r.settingsContext(b, "store")
	if diags.HasErrors() {
		return nil, diags
	}
	d := &decoder{attrs: b.Attrs, ctx: ctx, what: "The store block", block: b.DeclRange.Ptr()}
	d.required("repository")
	s := &Store{Type: b.Addr.Type, Repository: d.str("repository", ""), Insecure: d.bool("insecure", false), Range: b.DeclRange}
	if a := b.Attrs["repository"]; a != nil && s.Repository != "" {
		if _, err := name.NewRepository(s.Repository); err != nil {
			d.errorf(a, "Invalid repository", "repository is a registry repository such as \"registry.example.com/strata/fedora\": %v.", err)
		}
	}
	return s, append(diags, d.diags...)
}
