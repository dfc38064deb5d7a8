package pkgset

import "hash/maphash"

// nameTable numbers names in a third of the memory of a
// map[string]int32: the universe's indexes hold over a hundred thousand
// names, and a map keeps a string header, a value and control bytes for
// each, in tables grown by doubling. The table keeps only numbers; a
// number's name is found again through key, from what the universe
// holds anyway (a package's name, one of its provides).
type nameTable struct {
	seed  maphash.Seed
	slots []int32 // a name's number + 1 in the slot its hash starts at, or after; 0 is free
	// tags are the low byte of each slot's name's hash: most slots that
	// are not the name are passed over without looking the name up.
	tags []uint8
	n    int
	key  func(id int32) string
}

// newNameTable makes a table for about n names, whose numbers key maps
// back to their names.
func newNameTable(n int, key func(id int32) string) *nameTable {
	size := 16
	for size*3 < n*4 { // at most three quarters full
		size *= 2
	}
	return &nameTable{seed: maphash.MakeSeed(), slots: make([]int32, size), tags: make([]uint8, size), key: key}
}

// find returns name's number, or false.
func (t *nameTable) find(name string) (int32, bool) {
	mask := uint64(len(t.slots) - 1)
	h := maphash.String(t.seed, name)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		if t.tags[i] == uint8(h) && t.key(s-1) == name {
			return s - 1, true
		}
	}
}

// add numbers a name the table does not hold yet: key(id) must already
// return it.
func (t *nameTable) add(id int32) {
	if (t.n+1)*4 > len(t.slots)*3 {
		old := t.slots
		t.slots, t.tags = make([]int32, 2*len(old)), make([]uint8, 2*len(old))
		t.n = 0
		for _, s := range old {
			if s != 0 {
				t.place(s)
			}
		}
	}
	t.place(id + 1)
}

// place puts slot value s in the first free slot from its name's hash.
func (t *nameTable) place(s int32) {
	mask := uint64(len(t.slots) - 1)
	h := maphash.String(t.seed, t.key(s-1))
	i := h & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i], t.tags[i] = s, uint8(h)
	t.n++
}

// len is how many names the table holds.
func (t *nameTable) len() int { return t.n }
