package oci

import (
	"context"
	"io"
	"path/filepath"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/rootfs"
	"github.com/strata-build/strata/sdk/rpmdb"
)

// packageLayer assembles the tree of the base's packages and the image's
// own, with the rpm database of them all, and writes the layer: the whole
// tree for an image without a base, else the files of the packages the
// base lacks, the database and the directories above them. It returns
// the packages the layer adds.
func packageLayer(ctx context.Context, basePkgs, own []sdk.Package, work, blobs string, ts int64, r sdk.Reporter) (*fileLayer, []sdk.Package, error) {
	inBase := map[string]bool{}
	for _, p := range basePkgs {
		inBase[p.NEVRA()] = true
	}
	all := append([]sdk.Package(nil), basePkgs...)
	var added []sdk.Package
	for _, p := range own {
		if !inBase[p.NEVRA()] {
			inBase[p.NEVRA()] = true
			all = append(all, p)
			added = append(added, p)
		}
	}
	tree, err := rootfs.Assemble(ctx, all, work)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range tree.Warnings {
		r.Log("warn", w)
	}
	db, err := rpmdb.AddTo(tree, work, ts)
	if err != nil {
		return nil, nil, err
	}
	opts := rootfs.TarOptions{MTime: ts}
	if len(basePkgs) > 0 {
		opts.Include = addedEntries(tree, added, db)
	}
	l, err := writeLayer(blobs, func(w io.Writer) error { return rootfs.WriteTar(ctx, w, tree, opts) })
	return l, added, err
}

// addedEntries selects what a layer on a base holds: the entries of the
// added packages, the rpm database, and every directory above them, with
// the tree's modes and owners.
func addedEntries(tree *rootfs.Tree, added []sdk.Package, db *rootfs.Entry) func(*rootfs.Entry) bool {
	nevras := map[string]bool{}
	for _, p := range added {
		nevras[p.NEVRA()] = true
	}
	keep := map[string]bool{}
	mark := func(p string) {
		keep[p] = true
		for dir := filepath.Dir(p); dir != "." && !keep[dir]; dir = filepath.Dir(dir) {
			keep[dir] = true
		}
	}
	mark(db.Path)
	for _, e := range tree.Entries() {
		if e.Package != "" && nevras[e.Package] {
			mark(e.Path)
		}
	}
	return func(e *rootfs.Entry) bool { return keep[e.Path] }
}
