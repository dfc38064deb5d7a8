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

// decodeStore evaluates the store block; it may refer to variables and
// locals only, since it is needed before anything is built.
func (r *Result) decodeStore(b *dsl.Block) (*Store, hcl.Diagnostics) {
	refs, _, diags := dsl.References(b.Expressions()...)
	for _, ref := range refs {
		if k := ref.Subject.Kind; k != addrs.Variable && k != addrs.Local {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid reference in the store block",
				Detail: fmt.Sprintf("The store block refers to %s; it may refer only to variables and locals.", ref.Subject), Subject: ref.Range.Ptr()})
		} else if _, ok := r.Config.Blocks[ref.Subject]; !ok {
			diags = append(diags, undeclared(r.Config, ref))
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	d := &decoder{attrs: b.Attrs, ctx: context(refs, r.lookup, nil), what: "The store block", block: b.DeclRange.Ptr()}
	d.required("repository")
	s := &Store{Type: b.Addr.Type, Repository: d.str("repository", ""), Insecure: d.bool("insecure", false), Range: b.DeclRange}
	if a := b.Attrs["repository"]; a != nil && s.Repository != "" {
		if _, err := name.NewRepository(s.Repository); err != nil {
			d.errorf(a, "Invalid repository", "repository is a registry repository such as \"registry.example.com/strata/fedora\": %v.", err)
		}
	}
	return s, append(diags, d.diags...)
}
