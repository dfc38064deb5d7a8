// Package fat writes FAT12 and FAT16 file system images, such as the EFI
// system partition image (efiboot.img) of an installer disc: a fixed
// geometry, every timestamp given, names in 8.3 form with long names
// where they need them, so the same files give the same bytes.
//
// The layout is Microsoft's "FAT: General Overview of On-Disk Format"
// (FAT 1.03: the BPB in section 3, the FAT in section 4, directory
// entries in section 6, long names in section 7).
package fat

import (
	"encoding/binary"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"
)

// File is one file of the image; its directories are made for it.
type File struct {
	// Path is slash-separated and relative: "EFI/BOOT/BOOTX64.EFI".
	Path string
	Data []byte
}

// Options describe the file system.
type Options struct {
	// Label is the volume label, at most 11 characters.
	Label string
	// Serial is the volume serial number.
	Serial uint32
	// Time stamps every entry.
	Time time.Time
	// Spare is free space to leave, in bytes.
	Spare int64
}

const (
	sectorSize        = 512
	sectorsPerCluster = 4
	clusterSize       = sectorSize * sectorsPerCluster
	rootEntries       = 512
	entrySize         = 32
	rootSectors       = rootEntries * entrySize / sectorSize
	// maxFAT12 and maxFAT16 are the cluster counts past which the type
	// changes, as every FAT driver decides it.
	maxFAT12 = 4084
	maxFAT16 = 65524
)

// Image returns the file system image holding files.
func Image(files []File, opts Options) ([]byte, error) {
	if len(opts.Label) > 11 {
		return nil, fmt.Errorf("the volume label %q has %d characters; FAT allows 11", opts.Label, len(opts.Label))
	}
	root, err := buildTree(files)
	if err != nil {
		return nil, err
	}
	clusters := root.clustersBelow() + int(opts.Spare/clusterSize) + 1
	if clusters > maxFAT16 {
		return nil, fmt.Errorf("%d clusters of files are more than FAT16 holds", clusters)
	}
	fs := newLayout(clusters)
	fs.allocate(root)
	return fs.write(root, opts)
}

// node is a file or directory of the tree.
type node struct {
	name     string
	data     []byte
	dir      bool
	children []*node
	cluster  int // first cluster, 0 for an empty file and the root
}

func buildTree(files []File) (*node, error) {
	root := &node{dir: true}
	for _, f := range files {
		if f.Path == "" || path.Clean(f.Path) != f.Path || strings.HasPrefix(f.Path, "/") || strings.HasPrefix(f.Path, "../") {
			return nil, fmt.Errorf("%q is not a clean relative path", f.Path)
		}
		parts := strings.Split(f.Path, "/")
		d := root
		for _, p := range parts[:len(parts)-1] {
			next := d.child(p)
			if next == nil {
				next = &node{name: p, dir: true}
				d.children = append(d.children, next)
			} else if !next.dir {
				return nil, fmt.Errorf("%s is a file and a directory", f.Path)
			}
			d = next
		}
		name := parts[len(parts)-1]
		if d.child(name) != nil {
			return nil, fmt.Errorf("%s is given twice", f.Path)
		}
		d.children = append(d.children, &node{name: name, data: f.Data})
	}
	root.sort()
	return root, nil
}

// child finds a child by name, as FAT compares names: without case.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if strings.EqualFold(c.name, name) {
			return c
		}
	}
	return nil
}

func (n *node) sort() {
	sort.Slice(n.children, func(i, j int) bool { return n.children[i].name < n.children[j].name })
	for _, c := range n.children {
		if c.dir {
			c.sort()
		}
	}
}

// clustersBelow counts the clusters of everything under n, directories
// included (the root's entries have their own region).
func (n *node) clustersBelow() int {
	total := 0
	for _, c := range n.children {
		if c.dir {
			total += ceilDiv(len(dirEntries(c, n, time.Time{})), clusterSize) + c.clustersBelow()
		} else {
			total += ceilDiv(len(c.data), clusterSize)
		}
	}
	return total
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// layout places the regions of the file system.
type layout struct {
	fat12        bool
	clusters     int // data clusters
	fatSectors   int
	totalSectors int
	next         int // next free cluster
	chain        []uint16
	dataStart    int // first sector of cluster 2
}

func newLayout(clusters int) *layout {
	// The cluster count alone decides the type, for every FAT driver.
	l := &layout{clusters: clusters, fat12: clusters <= maxFAT12, next: 2}
	entryBits := 16
	if l.fat12 {
		entryBits = 12
	}
	l.fatSectors = ceilDiv((l.clusters+2)*entryBits, 8*sectorSize)
	l.dataStart = 1 + 2*l.fatSectors + rootSectors
	l.totalSectors = l.dataStart + l.clusters*sectorsPerCluster
	l.chain = make([]uint16, l.clusters+2)
	return l
}

// take allocates the clusters for n bytes and returns the first, 0 for
// none.
func (l *layout) take(n int) int {
	count := ceilDiv(n, clusterSize)
	if count == 0 {
		return 0
	}
	first := l.next
	for i := 0; i < count; i++ {
		c := l.next + i
		l.chain[c] = uint16(c + 1)
		if i == count-1 {
			l.chain[c] = 0xffff
		}
	}
	l.next += count
	return first
}

// allocate places every directory's entries, then its files, depth
// first.
func (l *layout) allocate(d *node) {
	for _, c := range d.children {
		if c.dir {
			c.cluster = l.take(len(dirEntries(c, d, time.Time{})))
			l.allocate(c)
		} else {
			c.cluster = l.take(len(c.data))
		}
	}
}

func (l *layout) write(root *node, opts Options) ([]byte, error) {
	img := make([]byte, l.totalSectors*sectorSize)
	l.bootSector(img[:sectorSize], opts)
	fat := l.fatBytes()
	for i := 0; i < 2; i++ {
		copy(img[(1+i*l.fatSectors)*sectorSize:], fat)
	}
	rootAt := (1 + 2*l.fatSectors) * sectorSize
	entries := dirEntries(root, nil, opts.Time)
	if opts.Label != "" {
		entries = append(volumeEntry(opts.Label, opts.Time), entries...)
	}
	if len(entries) > rootEntries*entrySize {
		return nil, fmt.Errorf("the root directory has %d entries; FAT's holds %d", len(entries)/entrySize, rootEntries)
	}
	copy(img[rootAt:], entries)
	l.fill(img, root, opts.Time)
	return img, nil
}

// fill writes the entries and contents of d's children.
func (l *layout) fill(img []byte, d *node, t time.Time) {
	for _, c := range d.children {
		at := (l.dataStart + (c.cluster-2)*sectorsPerCluster) * sectorSize
		if c.dir {
			copy(img[at:], dirEntries(c, d, t))
			l.fill(img, c, t)
		} else if c.cluster != 0 {
			copy(img[at:], c.data)
		}
	}
}

func (l *layout) bootSector(b []byte, opts Options) {
	copy(b, []byte{0xeb, 0x3c, 0x90})
	copy(b[3:], "strata  ")
	binary.LittleEndian.PutUint16(b[11:], sectorSize)
	b[13] = sectorsPerCluster
	binary.LittleEndian.PutUint16(b[14:], 1) // reserved sectors
	b[16] = 2
	binary.LittleEndian.PutUint16(b[17:], rootEntries)
	if l.totalSectors < 1<<16 {
		binary.LittleEndian.PutUint16(b[19:], uint16(l.totalSectors))
	} else {
		binary.LittleEndian.PutUint32(b[32:], uint32(l.totalSectors))
	}
	b[21] = 0xf8
	binary.LittleEndian.PutUint16(b[22:], uint16(l.fatSectors))
	binary.LittleEndian.PutUint16(b[24:], 32) // sectors per track
	binary.LittleEndian.PutUint16(b[26:], 64) // heads
	b[36] = 0x80
	b[38] = 0x29
	binary.LittleEndian.PutUint32(b[39:], opts.Serial)
	label := opts.Label
	if label == "" {
		label = "NO NAME"
	}
	copy(b[43:], fmt.Sprintf("%-11s", strings.ToUpper(label)))
	kind := "FAT16   "
	if l.fat12 {
		kind = "FAT12   "
	}
	copy(b[54:], kind)
	b[510], b[511] = 0x55, 0xaa
}

// fatBytes encodes the allocation table: the media entries, then each
// cluster's next.
func (l *layout) fatBytes() []byte {
	entries := append([]uint16{0xfff8, 0xffff}, l.chain[2:]...)
	if !l.fat12 {
		b := make([]byte, l.fatSectors*sectorSize)
		for i, e := range entries {
			binary.LittleEndian.PutUint16(b[2*i:], e)
		}
		return b
	}
	b := make([]byte, l.fatSectors*sectorSize)
	for i, e := range entries {
		v := e & 0xfff
		at := i * 3 / 2
		if i%2 == 0 {
			b[at] = byte(v)
			b[at+1] = b[at+1]&0xf0 | byte(v>>8)
		} else {
			b[at] = b[at]&0x0f | byte(v<<4)
			b[at+1] = byte(v >> 4)
		}
	}
	return b
}
