package pkgset

import (
	"iter"

	"github.com/strata-build/strata/sdk/rpm"
)

// depKind names a dependency list a package keeps.
type depKind uint8

// The dependency lists a package keeps, in the order its deps hold them.
const (
	provides depKind = iota
	requires
	obsoletes
	conflicts
	recommends
	supplements
	depKinds
)

// rpmKinds are rpm's names of the lists, by depKind.
var rpmKinds = [depKinds]rpm.Kind{rpm.Provides, rpm.Requires, rpm.Obsoletes, rpm.Conflicts, rpm.Recommends, rpm.Supplements}

// strtab is a table of strings, one string (the pool) that they are
// parts of and where each ends: a package list's table is shared by all
// its packages, whose dependencies are ids in it.
type strtab struct {
	pool string
	ends []uint32
	// deps are the dependencies of the packages that share the table.
	deps []depRef
}

func (t *strtab) str(id uint32) string {
	start := uint32(0)
	if id > 0 {
		start = t.ends[id-1]
	}
	return t.pool[start:t.ends[id]]
}

// depRef is a dependency as ids in its package's string table: 12
// bytes, where an rpm.Dependency is 40 and a universe holds hundreds of
// thousands.
type depRef struct {
	name, version uint32
	flags         rpm.Flags
}

// depList is a package's dependencies: every list's, one after another,
// in strs.deps from first on, as ids in strs.
type depList struct {
	first uint32
	// ends[k] is where list k ends, from first.
	ends [depKinds]uint32
	strs *strtab
}

// count is how many dependencies list k holds.
func (l *depList) count(k depKind) int { return int(l.ends[k] - l.start(k)) }

func (l *depList) start(k depKind) uint32 {
	if k == 0 {
		return 0
	}
	return l.ends[k-1]
}

// dep is the i-th dependency of list k.
func (l *depList) dep(k depKind, i int) rpm.Dependency {
	r := l.strs.deps[l.first+l.start(k)+uint32(i)]
	return rpm.Dependency{Name: l.strs.str(r.name), Flags: r.flags, Version: l.strs.str(r.version)}
}

// depName is the name of the i-th dependency of list k.
func (l *depList) depName(k depKind, i int) string {
	return l.strs.str(l.strs.deps[l.first+l.start(k)+uint32(i)].name)
}

// deps yields the dependencies of list k, in order.
func (l *depList) deps(k depKind) iter.Seq[rpm.Dependency] {
	return func(yield func(rpm.Dependency) bool) {
		for i := range l.count(k) {
			if !yield(l.dep(k, i)) {
				return
			}
		}
	}
}

// has reports whether list k holds d.
func (l *depList) has(k depKind, d rpm.Dependency) bool {
	for x := range l.deps(k) {
		if x == d {
			return true
		}
	}
	return false
}

// newDepList keeps lists (by depKind) in a table of their own: a
// package read from its header, whose strings are not shared.
func newDepList(lists [depKinds][]rpm.Dependency) depList {
	var l depList
	var pool []byte
	var ends []uint32
	var refs []depRef
	id := func(s string) uint32 {
		pool = append(pool, s...)
		ends = append(ends, uint32(len(pool)))
		return uint32(len(ends) - 1)
	}
	for k, list := range lists {
		for _, d := range list {
			refs = append(refs, depRef{name: id(d.Name), version: id(d.Version), flags: d.Flags})
		}
		l.ends[k] = uint32(len(refs))
	}
	l.strs = &strtab{pool: string(pool), ends: ends, deps: refs}
	return l
}
