package graph

import (
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func build(edges string) *Graph[string] {
	g := New(func(a, b string) bool { return a < b })
	for _, e := range strings.Fields(edges) {
		from, to, ok := strings.Cut(e, ">")
		if !ok {
			g.Add(e)
			continue
		}
		g.Connect(from, to)
	}
	return g
}

func TestCycles(t *testing.T) {
	cases := []struct {
		edges string
		want  [][]string
	}{
		{"a>b b>c", nil},
		{"a>b b>a", [][]string{{"a", "b"}}},
		{"a>a", [][]string{{"a"}}},
		{"a>b b>c c>a d>e e>d x>a", [][]string{{"a", "b", "c"}, {"d", "e"}}},
	}
	for _, c := range cases {
		got := build(c.edges).Cycles()
		sort.Slice(got, func(i, j int) bool { return got[i][0] < got[j][0] })
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", c.edges, diff)
		}
	}
}

func TestOrder(t *testing.T) {
	g := build("app>lib lib>base tool>base app>tool lone")
	pos := map[string]int{}
	for i, n := range g.Order() {
		pos[n] = i
	}
	for _, n := range g.Nodes() {
		for _, d := range g.DependsOn(n) {
			if pos[d] > pos[n] {
				t.Errorf("%s comes before its dependency %s", n, d)
			}
		}
	}
	if len(pos) != 5 {
		t.Errorf("order has %d nodes", len(pos))
	}
	if diff := cmp.Diff(map[string]bool{"app": true, "lib": true, "tool": true, "base": true}, g.Closure("app")); diff != "" {
		t.Error(diff)
	}
}

// Walk visits dependencies first, skips dependents of failures once each,
// and goes on with unrelated nodes.
func TestWalk(t *testing.T) {
	g := build("child>bad grandchild>child grandchild>good good>base other")
	var mu sync.Mutex
	var visited []string
	skipped := map[string]string{}
	errs := g.Walk(2, func(n string) error {
		mu.Lock()
		visited = append(visited, n)
		mu.Unlock()
		if n == "bad" {
			return errors.New("boom")
		}
		return nil
	}, func(n, cause string) {
		if _, dup := skipped[n]; dup {
			t.Errorf("%s skipped twice", n)
		}
		skipped[n] = cause
	})
	sort.Strings(visited)
	if diff := cmp.Diff([]string{"bad", "base", "good", "other"}, visited); diff != "" {
		t.Errorf("visited (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"child": "bad", "grandchild": "bad"}, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	if len(errs) != 1 || errs["bad"] == nil {
		t.Errorf("errors: %v", errs)
	}
}

// At most parallelism visits run at once, and independent nodes do run
// together: the first three visits wait for each other.
func TestWalkParallelism(t *testing.T) {
	g := build("a b c d e f")
	var mu sync.Mutex
	running, peak := 0, 0
	gate := make(chan struct{})
	var once sync.Once
	g.Walk(3, func(string) error {
		mu.Lock()
		running++
		peak = max(peak, running)
		if running == 3 {
			once.Do(func() { close(gate) })
		}
		mu.Unlock()
		select {
		case <-gate:
		case <-time.After(5 * time.Second):
			t.Error("three independent nodes never ran at once")
		}
		mu.Lock()
		running--
		mu.Unlock()
		return nil
	}, func(string, string) {})
	if peak != 3 {
		t.Errorf("peak parallelism %d, want 3", peak)
	}
}
