package iso9660

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// record is one directory record before the extents are known.
type record struct {
	target *node
	// self is set for "." and "..", whose identifiers are 0 and 1.
	self bool
	id   []byte
	su   *suArea // Rock Ridge entries; nil in the Joliet tree
}

// length is the record's size in bytes: even, as ISO 9660 wants.
func (r *record) length() int {
	n := 33 + len(r.id)
	if len(r.id)%2 == 0 {
		n++
	}
	if r.su != nil {
		n += len(r.su.inline)
		if len(r.su.more) > 0 {
			n += ceLen
		}
	}
	return n + n%2
}

// layout places every part of the image in sectors.
type layout struct {
	opts  Options
	root  *node
	dirs  []*node // in path table order
	jdirs []*node
	// recs and jrecs are each directory's records, in order.
	recs, jrecs map[*node][]*record
	// The L and M path tables of both trees and their size in bytes.
	ptL, ptM, jptL, jptM uint32
	ptSize, jptSize      uint32
	ces                  []*suArea
	catalog              *node
	files                []*node // regular files, in data order
	boot                 []*node // the boot entries' files
	// volume is the image's size in sectors, padding included.
	volume uint32
}

// padding is the zero sectors after the data, as genisoimage and xorriso
// leave: readers that read ahead find data, and implantisomd5's last 15
// skipped sectors hold nothing.
const padding = 150

func newLayout(files []File, opts Options) (*layout, error) {
	if err := CheckVolumeID(opts.VolumeID); err != nil {
		return nil, err
	}
	if opts.HybridMBR != nil {
		if err := checkHybrid(opts); err != nil {
			return nil, err
		}
	}
	if len(opts.Boot) > 0 {
		if opts.Catalog == "" {
			return nil, fmt.Errorf("boot entries need a boot catalog path")
		}
		files = append(files, File{Path: opts.Catalog, Mode: 0o444, Size: SectorSize})
	}
	root, err := buildTree(files, opts.Joliet)
	if err != nil {
		return nil, err
	}
	l := &layout{opts: opts, root: root, recs: map[*node][]*record{}, jrecs: map[*node][]*record{}}
	if len(opts.Boot) > 0 {
		l.catalog = root.find(opts.Catalog)
	}
	for _, b := range opts.Boot {
		n := root.find(b.Path)
		if n == nil || !n.file.Mode.IsRegular() {
			return nil, fmt.Errorf("boot image %s is not a file of the image", b.Path)
		}
		l.boot = append(l.boot, n)
	}
	l.dirs = walkDirs(root, false)
	if opts.Joliet {
		l.jdirs = walkDirs(root, true)
	}
	for _, d := range l.dirs {
		if l.recs[d], err = primaryRecords(d, d == root, opts); err != nil {
			return nil, err
		}
	}
	for _, d := range l.jdirs {
		l.jrecs[d] = jolietRecords(d)
	}
	l.place()
	return l, nil
}

// find returns the node at a slash-separated path, or nil.
func (n *node) find(p string) *node {
	for _, part := range strings.Split(p, "/") {
		var next *node
		for _, c := range n.children {
			if c.name == part {
				next = c
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// primaryRecords are a directory's records with their Rock Ridge
// entries: the root's "." starts with SP and refers to the extension.
func primaryRecords(d *node, isRoot bool, opts Options) ([]*record, error) {
	parent := d.parent
	if parent == nil {
		parent = d
	}
	dot := [][]byte{pxEntry(d.file.Mode, nlink(d), d.file.UID, d.file.GID), tfEntry(opts.Time)}
	if isRoot {
		dot = append([][]byte{spEntry()}, append(dot, erEntry())...)
	}
	type spec struct {
		target  *node
		self    bool
		id      []byte
		entries [][]byte
	}
	specs := []spec{
		{d, true, []byte{0}, dot},
		{parent, true, []byte{1}, [][]byte{pxEntry(parent.file.Mode, nlink(parent), parent.file.UID, parent.file.GID), tfEntry(opts.Time)}},
	}
	for _, c := range d.children {
		entries := [][]byte{pxEntry(c.file.Mode, nlink(c), c.file.UID, c.file.GID), tfEntry(opts.Time)}
		entries = append(entries, nmEntries(c.name)...)
		if c.isSymlink() {
			entries = append(entries, slEntries(c.file.Target)...)
		}
		specs = append(specs, spec{c, false, c.id, entries})
	}
	out := make([]*record, len(specs))
	for i, s := range specs {
		r := &record{target: s.target, self: s.self, id: s.id}
		base := 33 + len(s.id) + (len(s.id)+1)%2
		su, err := splitSU(base, s.entries)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.target.path(), err)
		}
		r.su = su
		out[i] = r
	}
	return out, nil
}

// jolietRecords are a directory's records in the Joliet tree, sorted by
// UCS-2 name; it has no symbolic links.
func jolietRecords(d *node) []*record {
	parent := d.parent
	if parent == nil {
		parent = d
	}
	out := []*record{{target: d, self: true, id: []byte{0}}, {target: parent, self: true, id: []byte{1}}}
	var kids []*node
	for _, c := range d.children {
		if !c.isSymlink() {
			kids = append(kids, c)
		}
	}
	sort.Slice(kids, func(i, j int) bool { return bytes.Compare(kids[i].jid, kids[j].jid) < 0 })
	for _, c := range kids {
		out = append(out, &record{target: c, id: c.jid})
	}
	return out
}

// nlink is a node's link count as Rock Ridge gives it: a directory has
// one for itself, one for its "." and one per subdirectory's "..".
func nlink(n *node) uint32 {
	if !n.isDir() {
		return 1
	}
	links := uint32(2)
	for _, c := range n.children {
		if c.isDir() {
			links++
		}
	}
	return links
}

// dirBytes is the size of a directory's records packed into sectors: a
// record never crosses a sector's end.
func dirBytes(recs []*record) uint32 {
	used, secs := 0, uint32(1)
	for _, r := range recs {
		if used+r.length() > SectorSize {
			secs++
			used = 0
		}
		used += r.length()
	}
	return secs * SectorSize
}

// pathTableSize is the size of a path table of dirs, with id giving each
// directory's identifier.
func pathTableSize(dirs []*node, id func(*node) []byte) uint32 {
	var n uint32
	for _, d := range dirs {
		l := len(id(d))
		n += uint32(8 + l + l%2)
	}
	return n
}

func rootID(n *node) []byte {
	if n.parent == nil {
		return []byte{0}
	}
	return nil
}

func primaryPathID(n *node) []byte {
	if id := rootID(n); id != nil {
		return id
	}
	return n.id
}

func jolietPathID(n *node) []byte {
	if id := rootID(n); id != nil {
		return id
	}
	return n.jid
}

// place gives every part its sectors, in the order the image holds them.
func (l *layout) place() {
	// After the system area: the primary descriptor, the boot record, the
	// Joliet descriptor and the terminator.
	next := uint32(16 + 2)
	if len(l.opts.Boot) > 0 {
		next++
	}
	if l.opts.Joliet {
		next++
	}
	take := func(bytes uint32) uint32 {
		at := next
		next += (bytes + SectorSize - 1) / SectorSize
		return at
	}
	l.ptSize = pathTableSize(l.dirs, primaryPathID)
	l.ptL, l.ptM = take(l.ptSize), take(l.ptSize)
	if l.opts.Joliet {
		l.jptSize = pathTableSize(l.jdirs, jolietPathID)
		l.jptL, l.jptM = take(l.jptSize), take(l.jptSize)
	}
	for i, d := range l.dirs {
		d.number = i + 1
		d.size = dirBytes(l.recs[d])
		d.extent = take(d.size)
	}
	// Continuation areas, packed so that none crosses a sector's end.
	used := uint32(SectorSize)
	for _, d := range l.dirs {
		for _, r := range l.recs[d] {
			if len(r.su.more) == 0 {
				continue
			}
			if used+uint32(len(r.su.more)) > SectorSize {
				take(SectorSize)
				used = 0
			}
			r.su.ceLBA, r.su.ceOffset = next-1, used
			used += uint32(len(r.su.more))
			l.ces = append(l.ces, r.su)
		}
	}
	for i, d := range l.jdirs {
		d.jnumber = i + 1
		d.jsize = dirBytes(l.jrecs[d])
		d.jextent = take(d.jsize)
	}
	var walk func(d *node)
	walk = func(d *node) {
		for _, c := range d.children {
			switch {
			case c.isDir():
				walk(c)
			case c.file.Mode.IsRegular():
				c.size = uint32(c.file.Size)
				if c.size > 0 {
					c.extent = take(c.size)
				}
				l.files = append(l.files, c)
			}
		}
	}
	walk(l.root)
	l.volume = next + padding
	if l.opts.ImplantMD5 {
		l.volume = max(l.volume, minImplanted)
	}
	if l.opts.HybridMBR != nil {
		l.volume = (l.volume + hybridAlign - 1) / hybridAlign * hybridAlign
	}
}

// minImplanted is the smallest image whose implanted MD5 checkisomd5
// accepts: below about 335 sectors, fragments are less than a 32 KiB
// chunk and their sums are skipped.
const minImplanted = 350
