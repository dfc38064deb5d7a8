package rootfs

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/parallel"
	"github.com/strata-build/strata/sdk/rpm"
)

// Assemble installs the payloads of pkgs into a new tree, in the order
// given, staging file contents under staging. Packages are read in
// parallel; the result does not depend on timing.
func Assemble(ctx context.Context, pkgs []sdk.Package, staging string) (*Tree, error) {
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return nil, err
	}
	read := make([][]*Entry, len(pkgs))
	err := parallel.Do(len(pkgs), func(i int) (err error) {
		if err := ctx.Err(); err != nil {
			return err
		}
		read[i], err = readPackage(pkgs[i].Path, staging, i)
		return err
	})
	if err != nil {
		return nil, err
	}
	t := newTree(staging)
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
	t.resolveOwners()
	return t, nil
}

// readPackage reads one package's file list and stages its payload. Hard
// link groups are numbered from pkgIndex so they stay apart across
// packages.
func readPackage(file, staging string, pkgIndex int) ([]*Entry, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 256<<10)
	p, err := rpm.Read(br)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	nevra := p.NEVRA()
	files := p.Files()
	byPath := make(map[string]int, len(files))
	for i, hf := range files {
		if err := checkPath(hf.Path); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", file, nevra, err)
		}
		byPath[hf.Path] = i
	}
	staged, err := stagePayload(p, br, files, byPath, staging)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", file, nevra, err)
	}
	return entries(p, nevra, files, staged, pkgIndex)
}

type content struct {
	digest string
	size   int64
}

// stagePayload copies the content of every regular file in the payload to
// the staging area, by header file index.
func stagePayload(p *rpm.Package, r io.Reader, files []rpm.File, byPath map[string]int, staging string) (map[int]content, error) {
	pr, err := p.Payload(r)
	if err != nil {
		return nil, err
	}
	defer pr.Close()
	staged := map[int]content{}
	for {
		m, err := pr.Next()
		if err == io.EOF {
			return staged, nil
		}
		if err != nil {
			return nil, err
		}
		i := m.Index
		if i < 0 {
			var ok bool
			if i, ok = byPath[m.Path]; !ok {
				if err := checkPath(m.Path); err != nil {
					return nil, fmt.Errorf("payload: %w", err)
				}
				return nil, fmt.Errorf("payload member %s is not in the header's file list", m.Path)
			}
		}
		if !files[i].IsRegular() {
			continue
		}
		digest, n, err := stage(staging, pr)
		if err != nil {
			return nil, err
		}
		staged[i] = content{digest, n}
	}
}

// entries turns the header's file list into tree entries. Files of a hard
// link set share the content that the payload gave one of them.
func entries(p *rpm.Package, nevra string, files []rpm.File, staged map[int]content, pkgIndex int) ([]*Entry, error) {
	type inode struct{ dev, ino uint64 }
	setContent := map[inode]content{}
	setSize := map[inode]int{}
	for i, hf := range files {
		if hf.IsRegular() && !hf.IsGhost() {
			k := inode{hf.Device, hf.Inode}
			setSize[k]++
			if c, ok := staged[i]; ok && (c.size > 0 || setContent[k].digest == "") {
				setContent[k] = c
			}
		}
	}
	groups := map[inode]int{}
	var out []*Entry
	for _, hf := range files {
		if hf.IsGhost() {
			continue
		}
		e := &Entry{
			Path: strings.TrimPrefix(hf.Path, "/"), Mode: hf.Mode & 0o7777,
			User: hf.User, Group: hf.Group, MTime: hf.MTime, Package: nevra,
		}
		switch {
		case hf.IsDir():
			e.Kind = Dir
		case hf.IsSymlink():
			e.Kind, e.Target = Symlink, hf.LinkTo
		case hf.IsRegular():
			k := inode{hf.Device, hf.Inode}
			c, ok := setContent[k]
			if !ok {
				return nil, fmt.Errorf("%s: %s is in the file list but not in the payload", nevra, hf.Path)
			}
			if c.size != hf.Size {
				return nil, fmt.Errorf("%s: %s has %d bytes in the payload, the header says %d", nevra, hf.Path, c.size, hf.Size)
			}
			e.Kind, e.SHA256, e.Size = File, c.digest, c.size
			if setSize[k] > 1 {
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
	}
	if path.Clean(p) != p {
		return fmt.Errorf("path %q is not clean", p)
	}
	return nil
}
