package apply

import (
	"encoding/json"

	"github.com/strata-build/strata/core/plan"
	"github.com/strata-build/strata/core/store"
)

// meanwhile is what the core does while a plugin builds, each on its
// own: what verification will know of the built files, the stamps of
// the previous build's pool files, and the records the plan alone
// gives (the key's input and the lineage, megabytes for a repository of
// tens of thousands of packages).
type meanwhile struct {
	known   chan store.Known
	learned chan struct{}
	planned chan planned
}

// planned are an entry's records that the plan gives, encoded.
type planned struct {
	keyIn, lineage []byte
	err            error
}

// whileBuilding starts what the core does while n's plugin builds; prev
// is n's previous build, or nil.
func whileBuilding(p *plan.Plan, n *plan.Node, prev *store.Entry) *meanwhile {
	m := &meanwhile{known: make(chan store.Known, 1), learned: make(chan struct{}), planned: make(chan planned, 1)}
	go func() { m.known <- knownFiles(p, n.Set, prev) }()
	go func() {
		if prev != nil {
			p.Opts.Store.LearnPool(prev)
		}
		close(m.learned)
	}()
	go func() {
		var r planned
		if r.keyIn, r.err = json.Marshal(n.KeyIn); r.err == nil {
			r.lineage, r.err = store.EncodeLineage(lineage(p, n))
		}
		m.planned <- r
	}()
	return m
}
