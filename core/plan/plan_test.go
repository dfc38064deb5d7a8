package plan

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A plan of an unchanged universe reads no package header: each file is
// only stat'ed and found in its source's package list. A touched file is read
// again, and only it.
func TestPlanReadsOnlyChangedHeaders(t *testing.T) {
	dir := t.TempDir()
	universe(t, dir, 200, 10, 5, 3)
	p, mgr := newPlan(t, dir)
	mgr.Close()
	if p.HeadersRead != 200 {
		t.Fatalf("the first plan read %d headers, want 200", p.HeadersRead)
	}
	p, mgr = newPlan(t, dir)
	mgr.Close()
	if p.HeadersRead != 0 {
		t.Errorf("planning an unchanged universe read %d headers, want 0", p.HeadersRead)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "rpms", "pkg-m003-004-1.0-1.x86_64.rpm"), later, later); err != nil {
		t.Fatal(err)
	}
	p, mgr = newPlan(t, dir)
	mgr.Close()
	if p.HeadersRead != 1 {
		t.Errorf("after touching one package, the plan read %d headers, want 1", p.HeadersRead)
	}
	if len(p.Nodes) != 5 {
		t.Errorf("planned %d artifacts, want 5", len(p.Nodes))
	}
}

// A plan lets the universe go before the plugins plan: the nodes keep
// copies of their packages, and their keys are those the packages give
// (a package's detail, read from its list, names its content).
func TestPlanDropsUniverse(t *testing.T) {
	dir := t.TempDir()
	universe(t, dir, 200, 10, 5, 3)
	p, mgr := newPlan(t, dir)
	mgr.Close()
	if p.universe != nil {
		t.Error("the universe is kept")
	}
	again, mgr := newPlan(t, dir)
	mgr.Close()
	if len(p.Nodes) != 5 || len(again.Nodes) != 5 {
		t.Fatalf("planned %d and %d artifacts, want 5", len(p.Nodes), len(again.Nodes))
	}
	for addr, n := range p.Nodes {
		d := again.Nodes[addr]
		if d == nil || d.Key != n.Key || len(d.Set.All()) != len(n.Set.All()) {
			t.Errorf("%s: planned %+v from the package lists, %+v from the files", addr, d, n)
		}
		for _, pkg := range d.Set.All() {
			if pkg.Identity() == "" {
				t.Errorf("%s: %s has no identity", addr, pkg.NEVRA())
			}
		}
	}
}
