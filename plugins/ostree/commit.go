package ostree

import (
	"context"
	"fmt"
	"io"
	"maps"
	"path"
	"runtime"
	"slices"
	"sync"

	"github.com/strata-build/strata/plugins/ostree/repo"
	"github.com/strata-build/strata/sdk/rootfs"
)

// Type bits of the modes ostree records.
const (
	modeDir     = 0o040000
	modeRegular = 0o100000
	modeSymlink = 0o120000
)

// writeTree writes the content, dirtree and dirmeta objects of the host
// tree and returns the root's dirtree and dirmeta checksums. File
// contents are read from the payloads once, in Tree.Contents order, and
// hashed and compressed on every core; objects the repository has are
// not written again. The content of the nodes in late comes from their
// function, called once the other files are written.
func writeTree(ctx context.Context, r *repo.Repo, tree *rootfs.Tree, h *host, idx *contentIndex, late map[*node]func() ([]byte, error)) (string, string, error) {
	sums, err := writeContents(ctx, r, tree, h, idx, late)
	if err != nil {
		return "", "", err
	}
	children := map[string][]*node{}
	for _, p := range slices.Sorted(maps.Keys(h.nodes)) {
		children[path.Dir(p)] = append(children[path.Dir(p)], h.nodes[p])
	}
	var walk func(dir string, meta *node) (string, string, error)
	walk = func(dir string, meta *node) (string, string, error) {
		var files []repo.TreeFile
		var dirs []repo.TreeDir
		for _, n := range children[dir] {
			name := path.Base(n.path)
			if n.kind == rootfs.Dir {
				t, m, err := walk(n.path, n)
				if err != nil {
					return "", "", err
				}
				dirs = append(dirs, repo.TreeDir{Name: name, Tree: t, Meta: m})
				continue
			}
			sum, ok := sums[n.path]
			if !ok {
				return "", "", fmt.Errorf("/%s: no content object was written", n.path)
			}
			files = append(files, repo.TreeFile{Name: name, Checksum: sum})
		}
		v, err := repo.DirTreeObject(files, dirs)
		if err != nil {
			return "", "", err
		}
		t, err := r.WriteMetadata(repo.DirTree, v)
		if err != nil {
			return "", "", err
		}
		m, err := r.WriteMetadata(repo.DirMeta, repo.DirMetaObject(meta.uid, meta.gid, modeDir|meta.mode, meta.xattrs))
		return t, m, err
	}
	return walk(".", &node{kind: rootfs.Dir, mode: 0o755})
}

// writeContents writes the content object of every file and link and
// returns their checksums by path. A packaged file whose object the
// index names and the repository has is not read.
func writeContents(ctx context.Context, r *repo.Repo, tree *rootfs.Tree, h *host, idx *contentIndex, late map[*node]func() ([]byte, error)) (map[string]string, error) {
	w := r.Content()
	sums := map[string]string{}
	var mu sync.Mutex
	record := func(sum string, paths ...string) {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range paths {
			sums[p] = sum
		}
	}
	byEntry := map[*rootfs.Entry]*node{}
	for _, n := range h.nodes {
		switch {
		case n.kind == rootfs.Symlink:
			sum, err := w.Write(n.meta(), nil)
			if err != nil {
				return nil, fmt.Errorf("/%s: %w", n.path, err)
			}
			record(sum, n.path)
		case n.kind == rootfs.File && n.entry == nil:
			sum, err := w.Write(n.meta(), n.data)
			if err != nil {
				return nil, fmt.Errorf("/%s: %w", n.path, err)
			}
			record(sum, n.path)
		case n.kind == rootfs.File && late[n] == nil:
			byEntry[n.entry] = n
		}
	}
	keys := map[*rootfs.Entry]indexKey{}
	for e, n := range byEntry {
		k, ok := idx.key(n.meta(), e)
		if !ok {
			continue
		}
		if sum, ok := idx.lookup(r, k); ok {
			record(sum, n.path)
			delete(byEntry, e)
			continue
		}
		keys[e] = k
	}
	pool := newPool(runtime.NumCPU(), 256<<20)
	err := tree.Contents(ctx, func(e *rootfs.Entry) bool { return byEntry[e] != nil }, func(e *rootfs.Entry, links []*rootfs.Entry, rd io.Reader) error {
		n := byEntry[e]
		paths := []string{n.path}
		for _, l := range links {
			paths = append(paths, byEntry[l].path)
		}
		buf := getBuffer(int(e.Size))
		data := *buf
		if _, err := io.ReadFull(rd, data); err != nil {
			putBuffer(buf)
			return err
		}
		return pool.run(len(data), func() error {
			defer putBuffer(buf)
			sum, err := w.Write(n.meta(), data)
			if err != nil {
				return fmt.Errorf("/%s: %w", n.path, err)
			}
			record(sum, paths...)
			for _, e := range append(links, e) {
				if k, ok := keys[e]; ok {
					idx.add(k, sum)
				}
			}
			return nil
		})
	})
	if perr := pool.wait(); err == nil {
		err = perr
	}
	if err != nil {
		return nil, err
	}
	for n, content := range late {
		data, err := content()
		if err != nil {
			return nil, err
		}
		sum, err := w.Write(n.meta(), data)
		if err != nil {
			return nil, fmt.Errorf("/%s: %w", n.path, err)
		}
		record(sum, n.path)
	}
	return sums, nil
}

// meta is what a content object records of the node.
func (n *node) meta() repo.FileMeta {
	m := repo.FileMeta{UID: n.uid, GID: n.gid, Mode: modeRegular | n.mode, Xattrs: n.xattrs}
	if n.kind == rootfs.Symlink {
		m.Mode, m.Target = modeSymlink|n.mode, n.target
	}
	return m
}
