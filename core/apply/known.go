package apply

import (
	"io/fs"
	"os"
	"strings"
	"syscall"

	"github.com/strata-build/strata/core/pkgset"
	"github.com/strata-build/strata/core/plan"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/manifest"
)

// previous is the artifact's last build that the store holds, when it was
// built from other inputs: the plugin may start from it.
func previous(p *plan.Plan, n *plan.Node) (*sdk.Input, *store.Entry) {
	addr := n.Inst.Addr.String()
	st, ok := p.State.Get(addr)
	if !ok || st.Key == n.Key || st.Type != n.Inst.Addr.Type || !p.Opts.Store.Has(st.Key) || p.Opts.Store.CheckOwn(st.Key) != nil {
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
	return &sdk.Input{Address: addr, Type: e.Type, Key: e.Key, Path: p.Opts.Store.FilesPath(e.Key), Outputs: outputs, Manifest: e.Own()}, e
}

// knownFiles knows the digests of built files that are hard links of
// files of the previous build's entry, whose digests the store recorded
// (an ostree repository links its earlier objects in), or of the node's
// package files, as long as those are unchanged since strata hashed them
// (repositories link packages in, and reading them all again would cost
// more than the build).
func knownFiles(p *plan.Plan, set *pkgset.Set, prev *store.Entry) store.Known {
	known := store.Known{Linked: manifest.Linked{}, Digest: packageDigests(set)}
	if prev != nil {
		known.Linked.AddManifest(p.Opts.Store.FilesPath(prev.Key), prev.Own())
	}
	return known
}

// packageDigests gives the digest of a file that is a package file of
// set, found by inode number and then checked with a stat of that
// package alone: most built files are known from the previous build, and
// a stat of every package would cost more than the few left.
func packageDigests(set *pkgset.Set) manifest.KnownDigest {
	byInode := map[uint64][]*pkgset.Package{}
	for _, pkgs := range set.ByArch {
		for _, pkg := range pkgs {
			if pkg.FileInode != 0 && !strings.Contains(pkg.Location, "://") {
				byInode[pkg.FileInode] = append(byInode[pkg.FileInode], pkg)
			}
		}
	}
	return func(_ string, fi fs.FileInfo) (string, bool) {
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return "", false
		}
		for _, pkg := range byInode[st.Ino] {
			if pfi, err := os.Stat(pkg.Location); err == nil && os.SameFile(fi, pfi) && pkg.Unchanged(pfi) {
				return pkg.SHA256(), true
			}
		}
		return "", false
	}
}
