package rpmdb

import (
	"os"
	"path/filepath"

	"github.com/strata-build/strata/sdk/rootfs"
)

// AddTo writes the database of the tree's packages in work and adds it
// to the tree at Path, owned by root, dated mtime.
func AddTo(tree *rootfs.Tree, work string, mtime int64) (*rootfs.Entry, error) {
	path := filepath.Join(work, "rpmdb.sqlite")
	if err := Write(path, tree.Headers()); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return tree.AddFile(Path, f, 0o644, mtime)
}
