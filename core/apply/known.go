package apply

import (
	"os"
	"strings"

	"github.com/strata-build/strata/core/pkgset"
	"github.com/strata-build/strata/core/plan"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/sdk"
)

// previous is the artifact's last build that the store holds, when it was
// built from other inputs: the plugin may start from it.
func previous(p *plan.Plan, n *plan.Node) (*sdk.Input, *store.Entry) {
	addr := n.Inst.Addr.String()
	st, ok := p.State.Get(addr)
	if !ok || st.Key == n.Key || st.Type != n.Inst.Addr.Type || !p.Opts.Store.Has(st.Key) {
		return nil, nil
	}
	e, err := p.Opts.Store.Read(st.Key)
	if err != nil {
		return nil, nil
	}
	outputs, err := plan.DecodeOutputs(e.Outputs)
	if err != nil {
		return nil, nil
	}
	return &sdk.Input{Address: addr, Type: e.Type, Key: e.Key, Path: p.Opts.Store.FilesPath(e.Key), Outputs: outputs, Manifest: e.Manifest}, e
}

// knownFiles knows the digest of a built file that is a hard link of one
// of the node's package files, as long as that file is unchanged since
// strata hashed it (repositories link packages in, and reading them all
// again would cost more than the build), or of a file of the previous
// build's entry, whose digests the store recorded (an ostree repository
// links its earlier objects in).
func knownFiles(p *plan.Plan, set *pkgset.Set, prev *store.Entry) sdk.LinkedDigests {
	known := sdk.LinkedDigests{}
	for _, pkgs := range set.ByArch {
		for _, pkg := range pkgs {
			if strings.Contains(pkg.Location, "://") {
				continue
			}
			if fi, err := os.Stat(pkg.Location); err == nil && pkg.Unchanged(fi) {
				known.Add(fi, pkg.SHA256)
			}
		}
	}
	if prev != nil {
		known.AddManifest(p.Opts.Store.FilesPath(prev.Key), prev.Manifest)
	}
	return known
}
