package apply

import (
	"context"

	"github.com/strata-build/strata/core/compose"
	"github.com/strata-build/strata/core/plan"
	"github.com/strata-build/strata/core/store"
)

// ApplyAndCompose builds what the plan says and writes the compose under
// out. Artifacts go into the compose while the others build: the
// up-to-date ones at once, each built one as soon as its files are
// there. A plan with targets builds only part of the product, so it
// writes no compose and returns a nil compose result. The compose is
// marked incomplete when an artifact failed or was skipped.
func ApplyAndCompose(ctx context.Context, p *plan.Plan, opts Options, out string) (*Result, *compose.Result, error) {
	if len(p.Opts.Targets) > 0 {
		return Apply(ctx, p, opts), nil, nil
	}
	st := p.Opts.Store
	var cw *compose.Writer
	build, rebuild, _ := p.Counts()
	if build+rebuild+p.Publishes() > 0 {
		var err error
		if cw, err = compose.Start(out); err != nil {
			return nil, nil, err
		}
		defer cw.Abort()
		for _, n := range p.Changes() {
			// One that cannot be read now is read again, and its error
			// reported, when the compose finishes.
			if n.Action == plan.UpToDate {
				if a, ok, err := composeArtifact(p, st, n); err == nil && ok {
					cw.Add(a)
				}
			}
		}
		opts.Ready = func(n *plan.Node, e *store.Entry, files string) {
			cw.Add(compose.Artifact{Addr: n.Inst.Addr, Entry: e, Files: files, PoolPath: st.PoolPath})
		}
	}
	res := Apply(ctx, p, opts)
	cr, err := writeCompose(p, st, cw, out, res.Failed+res.Skipped == 0)
	return res, cr, err
}

// writeCompose lays out every built artifact of the plan, finishing the
// compose cw began when there is one.
func writeCompose(p *plan.Plan, st *store.Store, cw *compose.Writer, out string, complete bool) (*compose.Result, error) {
	var arts []compose.Artifact
	for _, n := range p.Changes() {
		a, ok, err := composeArtifact(p, st, n)
		if err != nil {
			return nil, err
		}
		if ok {
			arts = append(arts, a)
		}
	}
	c := p.Eval.Compose
	info := compose.Info{Name: c.Name, Short: c.Short, Version: c.Version, Type: c.Type, Label: c.Label,
		Date: p.Opts.Date, Variants: map[string]compose.Variant{}}
	for _, v := range p.Eval.Variants {
		info.Variants[v.UID] = compose.Variant{ID: v.ID, UID: v.UID, Name: v.Name, Type: v.Type}
	}
	if cw != nil {
		return cw.Finish(info, arts, complete)
	}
	return compose.Write(out, info, arts, complete)
}

// composeArtifact is the stored artifact of n, if its build is recorded.
func composeArtifact(p *plan.Plan, st *store.Store, n *plan.Node) (compose.Artifact, bool, error) {
	se, ok := p.State.Get(n.Inst.Addr.String())
	if !ok || se.Key != n.Key {
		return compose.Artifact{}, false, nil
	}
	e, err := st.Read(se.Key)
	if err != nil {
		return compose.Artifact{}, false, err
	}
	return compose.Artifact{Addr: n.Inst.Addr, Entry: e, Files: st.FilesPath(se.Key), PoolPath: st.PoolPath,
		Published: se.Published, PublishedOutputs: se.PublishedOutputs}, true, nil
}
