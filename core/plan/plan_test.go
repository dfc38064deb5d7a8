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
