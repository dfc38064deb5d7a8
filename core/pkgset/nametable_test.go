package pkgset

import (
	"fmt"
	"testing"
)

// A table started small finds every name it numbered after growing many
// times, and none it did not.
func TestNameTable(t *testing.T) {
	var names []string
	table := newNameTable(1, func(id int32) string { return names[id] })
	for i := range 5000 {
		names = append(names, fmt.Sprintf("lib%d.so.1()(64bit)", i))
		table.add(int32(i))
	}
	if table.len() != len(names) {
		t.Errorf("%d names, want %d", table.len(), len(names))
	}
	for i, name := range names {
		if id, ok := table.find(name); !ok || id != int32(i) {
			t.Errorf("%s: %d, %v; want %d", name, id, ok, i)
		}
	}
	for _, name := range []string{"", "lib5000.so.1()(64bit)", "lib1.so.1()", "LIB1.so.1()(64bit)"} {
		if id, ok := table.find(name); ok {
			t.Errorf("%q found as %d", name, id)
		}
	}
}
