package iso9660

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"unicode/utf16"
)

// node is a file or directory of the image with its identifiers and,
// once laid out, its place.
type node struct {
	name     string // the Rock Ridge name; "" for the root
	parent   *node
	children []*node // in ISO 9660 order
	file     File
	id       []byte // the primary identifier: NAME.EXT;1 or a directory name
	jid      []byte // the Joliet identifier, UCS-2 big-endian

	// The primary directory's records, or the file's data; the Joliet
	// directory's records.
	extent, size   uint32
	jextent, jsize uint32
	// number and jnumber are the directory's path table numbers.
	number, jnumber int
}

func (n *node) isDir() bool     { return n.file.Mode.IsDir() }
func (n *node) isSymlink() bool { return n.file.Mode&fs.ModeSymlink != 0 }

func (n *node) path() string {
	if n.parent == nil {
		return "."
	}
	if n.parent.parent == nil {
		return n.name
	}
	return n.parent.path() + "/" + n.name
}

// buildTree makes the tree of files, with the directories they imply.
func buildTree(files []File, joliet bool) (*node, error) {
	root := &node{file: File{Path: ".", Mode: fs.ModeDir | 0o755}}
	dirs := map[string]*node{".": root}
	var dir func(p string) (*node, error)
	dir = func(p string) (*node, error) {
		if d, ok := dirs[p]; ok {
			if !d.isDir() {
				return nil, fmt.Errorf("%s is a file and a directory", p)
			}
			return d, nil
		}
		parent, err := dir(path.Dir(p))
		if err != nil {
			return nil, err
		}
		d := &node{name: path.Base(p), parent: parent, file: File{Path: p, Mode: fs.ModeDir | 0o755}}
		parent.children = append(parent.children, d)
		dirs[p] = d
		return d, nil
	}
	for _, f := range files {
		p := path.Clean(f.Path)
		if p != f.Path || p == "." || path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
			return nil, fmt.Errorf("%q is not a clean relative path", f.Path)
		}
		switch {
		case f.Mode.IsDir():
			d, err := dir(p)
			if err != nil {
				return nil, err
			}
			d.file = f
			continue
		case f.Mode&fs.ModeSymlink != 0:
			if f.Target == "" {
				return nil, fmt.Errorf("%s: a symbolic link without a target", p)
			}
		case f.Mode.IsRegular():
			if f.Size < 0 || f.Size > maxFileSize {
				return nil, fmt.Errorf("%s: %d bytes; one ISO 9660 extent holds at most %d (4 GiB − 1)", p, f.Size, int64(maxFileSize))
			}
		default:
			return nil, fmt.Errorf("%s: mode %v is not a regular file, directory or symbolic link", p, f.Mode)
		}
		if _, ok := dirs[p]; ok {
			return nil, fmt.Errorf("%s is listed twice", p)
		}
		parent, err := dir(path.Dir(p))
		if err != nil {
			return nil, err
		}
		n := &node{name: path.Base(p), parent: parent, file: f}
		parent.children = append(parent.children, n)
		dirs[p] = n
	}
	if err := nameTree(root, joliet); err != nil {
		return nil, err
	}
	return root, nil
}

// nameTree gives every node its identifiers, unique in their directory,
// and sorts children into ISO 9660 order.
func nameTree(d *node, joliet bool) error {
	sort.Slice(d.children, func(i, j int) bool { return d.children[i].name < d.children[j].name })
	seen, jseen := map[string]bool{}, map[string]bool{}
	for _, c := range d.children {
		c.id = unique(primaryID(c.name, c.isDir()), seen, c.isDir())
		if joliet {
			c.jid = jolietID(c.name, jseen)
		}
		if c.isDir() {
			if err := nameTree(c, joliet); err != nil {
				return err
			}
		}
	}
	sort.Slice(d.children, func(i, j int) bool { return lessID(d.children[i].id, d.children[j].id) })
	return nil
}

// Identifier lengths: level 2 allows 30 characters for a file's name
// and extension and 31 for a directory; Joliet readers take 103 (what
// -joliet-long writes).
const (
	maxFileID   = 30
	maxDirID    = 31
	maxJolietID = 103
)

// primaryID maps a name to d-characters: upper case, others as _, one
// dot before the extension; files end in ;1.
func primaryID(name string, dir bool) string {
	mapName := func(s string) string {
		return strings.Map(func(r rune) rune {
			r = toUpper(r)
			if isDChar(r) {
				return r
			}
			return '_'
		}, s)
	}
	if dir {
		return truncate(mapName(name), maxDirID)
	}
	base, ext := name, ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		base, ext = name[:i], name[i+1:]
	}
	base, ext = mapName(base), truncate(mapName(ext), 8)
	return truncate(base, maxFileID-1-len(ext)) + "." + ext
}

func toUpper(r rune) rune {
	if r >= 'a' && r <= 'z' {
		return r - 'a' + 'A'
	}
	return r
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// unique makes id unique among seen by replacing its name's end with a
// number, and returns it with the file version for files.
func unique(id string, seen map[string]bool, dir bool) []byte {
	base, ext := id, ""
	if i := strings.IndexByte(id, '.'); i >= 0 && !dir {
		base, ext = id[:i], id[i:]
	}
	limit := maxDirID
	if !dir {
		limit = maxFileID - len(ext) + 1
	}
	candidate := id
	for i := 1; seen[candidate]; i++ {
		suffix := fmt.Sprint(i)
		candidate = truncate(base, limit-len(suffix)) + suffix + ext
	}
	seen[candidate] = true
	if dir {
		return []byte(candidate)
	}
	return []byte(candidate + ";1")
}

// lessID orders primary identifiers as ISO 9660 §9.3 does: by name, then
// extension, each compared as if padded with spaces.
func lessID(a, b []byte) bool {
	an, ae := splitID(a)
	bn, be := splitID(b)
	if c := comparePadded(an, bn); c != 0 {
		return c < 0
	}
	return comparePadded(ae, be) < 0
}

func splitID(id []byte) ([]byte, []byte) {
	id, _, _ = bytes.Cut(id, []byte(";"))
	name, ext, _ := bytes.Cut(id, []byte("."))
	return name, ext
}

func comparePadded(a, b []byte) int {
	for i := 0; i < max(len(a), len(b)); i++ {
		x, y := byte(' '), byte(' ')
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return int(x) - int(y)
		}
	}
	return 0
}

// jolietID is the name in UCS-2 big-endian, with the characters Joliet
// forbids and those beyond the BMP as _, at most 103 characters, unique
// among seen.
func jolietID(name string, seen map[string]bool) []byte {
	var units []uint16
	for _, r := range name {
		if r > 0xffff || strings.ContainsRune("*/:;?\\", r) || r < 0x20 {
			r = '_'
		}
		units = append(units, uint16(r))
	}
	candidate := units
	if len(candidate) > maxJolietID {
		candidate = candidate[:maxJolietID]
	}
	for i := 1; seen[string(utf16.Decode(candidate))]; i++ {
		suffix := utf16.Encode([]rune(fmt.Sprint(i)))
		keep := min(len(units), maxJolietID-len(suffix))
		candidate = append(append([]uint16(nil), units[:keep]...), suffix...)
	}
	seen[string(utf16.Decode(candidate))] = true
	out := make([]byte, 2*len(candidate))
	for i, u := range candidate {
		out[2*i], out[2*i+1] = byte(u>>8), byte(u)
	}
	return out
}

// walkDirs visits the directories in path table order: by level, then
// by parent's number, then by identifier.
func walkDirs(root *node, joliet bool) []*node {
	dirs := []*node{root}
	for i := 0; i < len(dirs); i++ {
		kids := []*node{}
		for _, c := range dirs[i].children {
			if c.isDir() {
				kids = append(kids, c)
			}
		}
		if joliet {
			sort.SliceStable(kids, func(a, b int) bool { return bytes.Compare(kids[a].jid, kids[b].jid) < 0 })
		}
		dirs = append(dirs, kids...)
	}
	return dirs
}

// isDChar reports whether r is one of ISO 9660's d-characters.
func isDChar(r rune) bool { return r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' }
