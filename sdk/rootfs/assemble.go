package rootfs

import (
	"context"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/parallel"
	"github.com/strata-build/strata/sdk/rpm"
)

// Assemble installs pkgs into a new tree, in the order given, as rpm
// would: the tree is built from the packages' headers, read in parallel,
// and file contents stay in the payloads until Tree.Contents reads them.
// work holds what Tree.AddFile adds. The result does not depend on timing.
func Assemble(ctx context.Context, pkgs []sdk.Package, work string) (*Tree, error) {
	return AssembleCached(ctx, pkgs, work, nil)
}

// AssembleCached is Assemble with the packages' headers read through
// headers (nil reads every package file).
func AssembleCached(ctx context.Context, pkgs []sdk.Package, work string, headers *HeaderCache) (*Tree, error) {
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	t := newTree(work)
	t.pkgs = make([]treePackage, len(pkgs))
	read := make([][]*Entry, len(pkgs))
	err := parallel.IO(len(pkgs), func(i int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := headers.Read(pkgs[i])
		if err != nil {
			return err
		}
		t.pkgs[i] = treePackage{path: pkgs[i].Path, header: h}
		read[i], err = entries(h, i)
		if err != nil {
			return fmt.Errorf("%s: %w", pkgs[i].Path, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Directories and links first, shallowest first, so a package's
	// /lib -> usr/lib is in place before anything is installed below /lib,
	// whatever order the packages come in. Then the files, in package order.
	var links, files []*Entry
	for _, entries := range read {
		for _, e := range entries {
			if e.Kind == File {
				files = append(files, e)
			} else {
				links = append(links, e)
			}
		}
	}
	sort.SliceStable(links, func(i, j int) bool {
		return strings.Count(links[i].Path, "/") < strings.Count(links[j].Path, "/")
	})
	for _, e := range append(links, files...) {
		if err := t.add(e); err != nil {
			return nil, err
		}
	}
	if err := t.resolveOwners(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

// entries turns a header's file list into tree entries. Files of a hard
// link set share one inode in the header; they get a LinkGroup numbered
// from pkgIndex so that groups stay apart across packages.
func entries(p *rpm.Package, pkgIndex int) ([]*Entry, error) {
	nevra := p.NEVRA()
	files := p.Files()
	algo := p.FileDigestAlgo()
	type inode struct{ dev, ino uint64 }
	setSize := map[inode]int{}
	for _, hf := range files {
		if err := checkPath(hf.Path); err != nil {
			return nil, fmt.Errorf("%s: %w", nevra, err)
		}
		if hf.IsRegular() && !hf.IsGhost() {
			setSize[inode{hf.Device, hf.Inode}]++
		}
	}
	groups := map[inode]int{}
	var out []*Entry
	for i, hf := range files {
		if hf.IsGhost() {
			continue
		}
		e := &Entry{
			Path: strings.TrimPrefix(hf.Path, "/"), Mode: hf.Mode & 0o7777,
			User: hf.User, Group: hf.Group, MTime: hf.MTime, Package: nevra,
			pkg: pkgIndex, fileIndex: i,
		}
		switch {
		case hf.IsDir():
			e.Kind = Dir
		case hf.IsSymlink():
			e.Kind, e.Target = Symlink, hf.LinkTo
		case hf.IsRegular():
			e.Kind, e.Size = File, hf.Size
			if hf.Digest != "" && algo != "" {
				e.Digest = algo + ":" + hf.Digest
			}
			if k := (inode{hf.Device, hf.Inode}); setSize[k] > 1 {
				if groups[k] == 0 {
					groups[k] = (pkgIndex+1)<<20 | len(groups) + 1
				}
				e.LinkGroup = groups[k]
			}
			if hf.Caps != "" {
				x, err := CapsXattr(hf.Caps)
				if err != nil {
					return nil, fmt.Errorf("%s: %s: %w", nevra, hf.Path, err)
				}
				e.Xattrs = map[string][]byte{"security.capability": x}
			}
		default:
			return nil, fmt.Errorf("%s: %s is a device or special file (mode %o), which strata does not install", nevra, hf.Path, hf.Mode)
		}
		out = append(out, e)
	}
	return out, nil
}

// checkPath refuses a path that is not absolute and clean, or that climbs
// out of the root.
func checkPath(p string) error {
	if !strings.HasPrefix(p, "/") || p == "/" {
		return fmt.Errorf("path %q is not an absolute path below /", p)
	}
	for _, comp := range strings.Split(p[1:], "/") {
		if comp == ".." {
			return fmt.Errorf("path %q escapes the root", p)
		}
		if len(comp) > files.MaxName {
			return fmt.Errorf("path %.60q… has a name of %d bytes; file systems, tar and ostree take at most %d", p, len(comp), files.MaxName)
		}
	}
	if path.Clean(p) != p {
		return fmt.Errorf("path %q is not clean", p)
	}
	return nil
}
