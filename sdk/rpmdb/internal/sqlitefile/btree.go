package sqlitefile

import "encoding/binary"

// Page kinds. https://www.sqlite.org/fileformat2.html#b_tree_pages
const (
	indexInterior = 0x02
	tableInterior = 0x05
	indexLeaf     = 0x0a
	tableLeaf     = 0x0d
)

const (
	pageSize = 4096
	// fileHeaderSize is the part of page 1 before its b-tree page.
	fileHeaderSize = 100
	// maxPages keeps the file below the lock-byte page at 1 GiB, which
	// must stay unused.
	maxPages = 1 << 30 / pageSize
)

// localSize is how much of a payload of p bytes a cell keeps on its page;
// the rest goes to overflow pages. Tables and indexes differ in the most
// they keep. https://www.sqlite.org/fileformat2.html#cellformat
func localSize(p int, table bool) int {
	most := pageSize - 35
	if !table {
		most = (pageSize-12)*64/255 - 23
	}
	if p <= most {
		return p
	}
	least := (pageSize-12)*32/255 - 23
	if k := least + (p-least)%(pageSize-4); k <= most {
		return k
	}
	return least
}

// page is a b-tree page being filled.
type page struct {
	kind  byte
	cells [][]byte
	used  int // bytes of the cells and their pointers
	right uint32
}

func (p *page) headerSize() int {
	if p.kind == indexInterior || p.kind == tableInterior {
		return 12
	}
	return 8
}

// fits reports whether cell fits beside the page's cells in room bytes.
func (p *page) fits(cell []byte, room int) bool {
	return p.headerSize()+p.used+len(cell)+2 <= room
}

func (p *page) add(cell []byte) {
	p.cells = append(p.cells, cell)
	p.used += len(cell) + 2
}

func (p *page) pop() []byte {
	c := p.cells[len(p.cells)-1]
	p.cells = p.cells[:len(p.cells)-1]
	p.used -= len(c) + 2
	return c
}

// render writes the page into dst, its header at offset hdr: the cell
// pointers in order after the header, the cells from the page's end.
func (p *page) render(dst []byte, hdr int) {
	h := dst[hdr:]
	h[0] = p.kind
	binary.BigEndian.PutUint16(h[3:], uint16(len(p.cells)))
	if p.headerSize() == 12 {
		binary.BigEndian.PutUint32(h[8:], p.right)
	}
	ptrs := h[p.headerSize():]
	end := pageSize
	for i, c := range p.cells {
		end -= len(c)
		copy(dst[end:], c)
		binary.BigEndian.PutUint16(ptrs[2*i:], uint16(end))
	}
	binary.BigEndian.PutUint16(h[5:], uint16(end))
}

// file is a database file being written, page by page in page order.
type file struct {
	data []byte // the pages so far; page 1 is written last
}

// emit appends p as the next page and returns its number.
func (f *file) emit(p *page) uint32 {
	f.data = append(f.data, make([]byte, pageSize)...)
	p.render(f.data[len(f.data)-pageSize:], 0)
	return f.pages()
}

func (f *file) pages() uint32 { return uint32(len(f.data) / pageSize) }

// cell returns a cell of prefix and payload, the part of the payload its
// page does not keep written to overflow pages, each naming the next.
func (f *file) cell(prefix, payload []byte, table bool) []byte {
	local := localSize(len(payload), table)
	c := append(prefix, payload[:local]...)
	rest := payload[local:]
	if len(rest) == 0 {
		return c
	}
	c = binary.BigEndian.AppendUint32(c, f.pages()+1)
	for len(rest) > 0 {
		n := min(len(rest), pageSize-4)
		next := f.pages() + 2
		if n == len(rest) {
			next = 0
		}
		f.data = binary.BigEndian.AppendUint32(f.data, next)
		f.data = append(f.data, rest[:n]...)
		f.data = append(f.data, make([]byte, pageSize-4-n)...)
		rest = rest[n:]
	}
	return c
}

// btree writes the pages of one b-tree.
type btree struct {
	f     *file
	table bool
	// room is the bytes of each page the b-tree may use: less than a
	// page for the schema's b-tree, whose root is page 1.
	room int
}

// build writes the b-tree of cells, in key order, and returns its root,
// not yet written. keys are a table's rowids, the interior pages' keys;
// an index's interior pages take cells from between its leaves instead.
func (t btree) build(cells [][]byte, keys []int64) *page {
	leaf := &page{kind: tableLeaf}
	if !t.table {
		leaf.kind = indexLeaf
	}
	var children []uint32
	var seps [][]byte
	for i, c := range cells {
		if leaf.fits(c, t.room) {
			leaf.add(c)
			continue
		}
		next := &page{kind: leaf.kind}
		switch {
		case t.table:
			seps = append(seps, putVarint(nil, uint64(keys[i-1])))
			next.add(c)
		case i+1 == len(cells):
			// The last cell cannot part two leaves: the one before it does.
			seps = append(seps, leaf.pop())
			next.add(c)
		default:
			seps = append(seps, c)
		}
		children = append(children, t.f.emit(leaf))
		leaf = next
	}
	if len(children) == 0 {
		return leaf
	}
	children = append(children, t.f.emit(leaf))
	return t.interior(children, seps)
}

// interior writes the interior levels over children, parted by seps,
// and returns the root. A page ends where the next cell does not fit:
// its right child is that cell's, whose separator goes up a level.
func (t btree) interior(children []uint32, seps [][]byte) *page {
	kind := byte(tableInterior)
	if !t.table {
		kind = indexInterior
	}
	for {
		var up []uint32
		var upSeps [][]byte
		p := &page{kind: kind}
		for i, s := range seps {
			c := binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(s)), children[i])
			c = append(c, s...)
			if p.fits(c, t.room) {
				p.add(c)
				continue
			}
			next := &page{kind: kind}
			if i+1 == len(seps) {
				// The last child would stand alone on a page without
				// cells: the page ends one cell earlier.
				last := p.pop()
				p.right = binary.BigEndian.Uint32(last)
				upSeps = append(upSeps, last[4:])
				next.add(c)
			} else {
				p.right = children[i]
				upSeps = append(upSeps, s)
			}
			up = append(up, t.f.emit(p))
			p = next
		}
		p.right = children[len(children)-1]
		if len(up) == 0 {
			return p
		}
		children, seps = append(up, t.f.emit(p)), upSeps
	}
}
