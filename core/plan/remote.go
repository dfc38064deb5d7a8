package plan

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/registry"
	"github.com/strata-build/strata/sdk/parallel"
)

// askRemote opens the configuration's shared store, if it has one, and
// asks it about every node: whether it holds the key the local store
// lacks (the apply fetches it instead of building: up to date when the
// state agrees), or lacks one the local store holds (the apply pushes
// it). A store that cannot be reached is a warning, and the plan is the
// local store's.
func (p *Plan) askRemote(ctx context.Context) hcl.Diagnostics {
	s := p.Eval.Store
	if s == nil {
		return nil
	}
	r, err := registry.Open(s.Repository, s.Insecure)
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid store", Detail: err.Error(), Subject: s.Range.Ptr()}}
	}
	nodes := p.Changes()
	has := make([]bool, len(nodes))
	var mu sync.Mutex
	var failed error
	parallel.IO(len(nodes), func(i int) error {
		h, err := r.Has(ctx, nodes[i].Key)
		mu.Lock()
		defer mu.Unlock()
		if err != nil && failed == nil {
			failed = err
		}
		has[i] = h
		return nil
	})
	if failed != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "The remote store cannot be reached",
			Detail:  fmt.Sprintf("%v. This plan uses the local store alone: what it lacks is built, and nothing is pushed.", failed),
			Subject: s.Range.Ptr()}}
	}
	p.Remote = r
	for i, n := range nodes {
		switch {
		case n.InStore:
			n.Push = !has[i]
		case has[i]:
			n.Fetch = true
			if old, ok := p.State.Get(n.Inst.Addr.String()); !ok || old.Key == n.Key {
				n.Action, n.Reasons = UpToDate, nil
			}
		}
	}
	return nil
}
