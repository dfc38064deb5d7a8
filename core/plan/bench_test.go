package plan

import (
	"syscall"
	"testing"
	"time"
)

// BenchmarkPlan plans 200 modules of 5,000 packages into 100 artifacts
// of 5 modules each, with warm package lists: the plan of an unchanged
// compose. It reports the CPU time of strata and its plugin per plan
// (cpu-ms/op); the target is under 1,000.
func BenchmarkPlan(b *testing.B) {
	dir := b.TempDir()
	universe(b, dir, 5000, 200, 100, 5)
	_, mgr := newPlan(b, dir) // writes the package lists
	mgr.Close()
	b.ResetTimer()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		before := cpuTime()
		p, mgr := newPlan(b, dir)
		mgr.Close()
		cpu += cpuTime() - before
		if p.HeadersRead != 0 {
			b.Fatalf("an unchanged plan read %d headers", p.HeadersRead)
		}
		if len(p.Nodes) != 100 {
			b.Fatalf("planned %d artifacts", len(p.Nodes))
		}
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// cpuTime is the user and system time of this process and its waited-for
// children (the plugin).
func cpuTime() time.Duration {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	total := time.Duration(0)
	for _, ru := range []syscall.Rusage{self, children} {
		total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return total
}
