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
	if p.Universe.HeadersRead != 200 {
		t.Fatalf("the first plan read %d headers, want 200", p.Universe.HeadersRead)
	}
	p, mgr = newPlan(t, dir)
	mgr.Close()
	if p.Universe.HeadersRead != 0 {
		t.Errorf("planning an unchanged universe read %d headers, want 0", p.Universe.HeadersRead)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "rpms", "pkg-m003-004-1.0-1.x86_64.rpm"), later, later); err != nil {
		t.Fatal(err)
	}
	p, mgr = newPlan(t, dir)
	mgr.Close()
	if p.Universe.HeadersRead != 1 {
		t.Errorf("after touching one package, the plan read %d headers, want 1", p.Universe.HeadersRead)
	}
	if len(p.Nodes) != 5 {
		t.Errorf("planned %d artifacts, want 5", len(p.Nodes))
	}
}

// A plan that lets the universe go before the plugins plan (strata plan)
// plans what one that keeps it does, with the same keys: the plugins were
// stopped while it was loaded and start again.
func TestPlanDropsUniverse(t *testing.T) {
	dir := t.TempDir()
	universe(t, dir, 200, 10, 5, 3)
	kept, mgr := newPlan(t, dir)
	mgr.Close()
	dropped, mgr := planWith(t, dir, Options{DropUniverse: true})
	mgr.Close()
	if dropped.Universe != nil {
		t.Error("the universe is kept")
	}
	if len(dropped.Nodes) != 5 || len(kept.Nodes) != 5 {
		t.Fatalf("planned %d and %d artifacts, want 5", len(dropped.Nodes), len(kept.Nodes))
	}
	for addr, n := range kept.Nodes {
		d := dropped.Nodes[addr]
		if d == nil || d.Key != n.Key || len(d.Set.All()) != len(n.Set.All()) || d.Planned.GoString() != n.Planned.GoString() {
			t.Errorf("%s: planned %+v, want %+v", addr, d, n)
		}
	}
}
