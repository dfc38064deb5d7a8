package rootfs

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/strata-build/strata/sdk/rpm"
)

// Kind is the kind of a tree entry.
type Kind int

// Entry kinds.
const (
	Dir Kind = iota
	File
	Symlink
)

func (k Kind) String() string {
	return [...]string{"directory", "file", "symbolic link"}[k]
}

// Entry is one path of the tree.
type Entry struct {
	// Path is slash-separated and relative to the root: "usr/bin/sh".
	Path string
	Kind Kind
	// Mode holds the permission bits with setuid, setgid and sticky
	// (07777), as rpm's file modes do.
	Mode  uint32
	User  string
	Group string
	UID   int
	GID   int
	// MTime is the file's modification time from its package header;
	// -1 for directories no package lists.
	MTime int64
	// Size and Digest describe a file's content: Digest is the package
	// header's file digest with its algorithm, "sha256:…" (or "md5:…" for
	// old packages). Tree.Contents reads the content itself.
	Size   int64
	Digest string
	// Target is a symbolic link's target, as the package spells it.
	Target string
	// Xattrs are extended attributes, e.g. security.capability.
	Xattrs map[string][]byte
	// LinkGroup is nonzero for files that are hard links of each other:
	// entries with the same LinkGroup share one inode.
	LinkGroup int
	// Package is the NEVRA of the package that installs the entry; empty
	// for directories no package lists.
	Package string

	// from is where a file's content is: the payload of the tree's package
	// pkg, member fileIndex (or another member of its hard link set), or
	// the file disk when Tree.AddFile added it.
	pkg, fileIndex int
	disk           string
}

// Tree is an assembled root filesystem.
type Tree struct {
	entries map[string]*Entry
	pkgs    []treePackage
	// work holds the content of files added with AddFile.
	work string
	// Warnings are what rpm would have warned about while installing, such
	// as owners that do not exist.
	Warnings []string
}

// treePackage is one package of the tree: its file and headers.
type treePackage struct {
	path   string
	header *rpm.Package
}

func newTree(work string) *Tree {
	return &Tree{entries: map[string]*Entry{}, work: work}
}

// Headers returns the headers of the tree's packages, in the order they
// were given to Assemble.
func (t *Tree) Headers() []*rpm.Package {
	out := make([]*rpm.Package, len(t.pkgs))
	for i, p := range t.pkgs {
		out[i] = p.header
	}
	return out
}

// Entries returns every entry sorted by path (byte order), parents first.
func (t *Tree) Entries() []*Entry {
	out := make([]*Entry, 0, len(t.entries))
	for _, e := range t.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Lookup returns the entry at p ("usr/bin/sh" or "/usr/bin/sh"), without
// following symbolic links.
func (t *Tree) Lookup(p string) *Entry {
	return t.entries[strings.TrimPrefix(path.Clean("/"+p), "/")]
}

// maxLinkDepth bounds symbolic link resolution, as the kernel's MAXSYMLINKS.
const maxLinkDepth = 40

// resolveDir returns the path of the directory that dir names inside the
// tree, following symbolic links inside the model and creating directories
// no package lists. It never leaves the root: ".." at the root stays there,
// and absolute targets start at the tree's root.
func (t *Tree) resolveDir(dir string, depth int) (string, error) {
	if depth > maxLinkDepth {
		return "", fmt.Errorf("too many levels of symbolic links resolving /%s", dir)
	}
	cur := ""
	for _, comp := range strings.Split(dir, "/") {
		if comp == "" || comp == "." {
			continue
		}
		if comp == ".." {
			cur = parent(cur)
			continue
		}
		next := join(cur, comp)
		e := t.entries[next]
		switch {
		case e == nil:
			t.entries[next] = &Entry{Path: next, Kind: Dir, Mode: 0o755, User: "root", Group: "root", MTime: -1}
			cur = next
		case e.Kind == Dir:
			cur = next
		case e.Kind == Symlink:
			target := e.Target
			if !strings.HasPrefix(target, "/") {
				target = join(cur, target)
			}
			resolved, err := t.resolveDir(target, depth+1)
			if err != nil {
				return "", err
			}
			cur = resolved
		default:
			return "", fmt.Errorf("/%s is a file, so /%s cannot be a directory", next, dir)
		}
	}
	return cur, nil
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

func parent(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

// add places e at its path, resolving the parent directory through links.
// An entry already there must agree with e; rpm would report anything
// else as a file conflict.
func (t *Tree) add(e *Entry) error {
	dir, err := t.resolveDir(parent(e.Path), 0)
	if err != nil {
		return fmt.Errorf("%s: %w", e.Package, err)
	}
	e.Path = join(dir, path.Base("/"+e.Path))
	old := t.entries[e.Path]
	if old == nil {
		t.entries[e.Path] = e
		return nil
	}
	if old.Package == "" && old.Kind == Dir && e.Kind == Dir {
		t.entries[e.Path] = e // a listed directory replaces an implied one
		return nil
	}
	if same(old, e) {
		return nil
	}
	return fmt.Errorf("file conflict: /%s is installed by %s and by %s with different %s",
		e.Path, old.Package, e.Package, difference(old, e))
}

// same reports whether two packages may both install the entry: rpm allows
// identical files and directories and links that agree.
func same(a, b *Entry) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case Dir:
		return true
	case Symlink:
		return a.Target == b.Target
	}
	return a.Digest != "" && a.Digest == b.Digest && a.Mode == b.Mode && a.User == b.User && a.Group == b.Group &&
		string(a.Xattrs["security.capability"]) == string(b.Xattrs["security.capability"])
}

func difference(a, b *Entry) string {
	switch {
	case a.Kind != b.Kind:
		return fmt.Sprintf("types (%s, %s)", a.Kind, b.Kind)
	case a.Kind == Symlink:
		return fmt.Sprintf("link targets (%s, %s)", a.Target, b.Target)
	case a.Digest != b.Digest:
		return "content"
	case a.Mode != b.Mode:
		return fmt.Sprintf("modes (%04o, %04o)", a.Mode, b.Mode)
	case a.User != b.User || a.Group != b.Group:
		return fmt.Sprintf("owners (%s:%s, %s:%s)", a.User, a.Group, b.User, b.Group)
	}
	return "capabilities"
}
