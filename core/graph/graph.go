package graph

import "sort"

// Graph holds nodes and "depends on" edges: an edge from a to b means a
// needs b first.
type Graph[N comparable] struct {
	nodes map[N]bool
	deps  map[N]map[N]bool
	less  func(a, b N) bool
}

// New returns an empty graph; less orders nodes wherever order would
// otherwise depend on map iteration.
func New[N comparable](less func(a, b N) bool) *Graph[N] {
	return &Graph[N]{nodes: map[N]bool{}, deps: map[N]map[N]bool{}, less: less}
}

// Add adds a node.
func (g *Graph[N]) Add(n N) { g.nodes[n] = true }

// Has reports whether n is in the graph.
func (g *Graph[N]) Has(n N) bool { return g.nodes[n] }

// Connect records that from depends on to; both become nodes.
func (g *Graph[N]) Connect(from, to N) {
	g.Add(from)
	g.Add(to)
	if g.deps[from] == nil {
		g.deps[from] = map[N]bool{}
	}
	g.deps[from][to] = true
}

// Nodes returns every node in order.
func (g *Graph[N]) Nodes() []N {
	out := make([]N, 0, len(g.nodes))
	for n := range g.nodes {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return g.less(out[i], out[j]) })
	return out
}

// DependsOn returns the direct dependencies of n, in order.
func (g *Graph[N]) DependsOn(n N) []N {
	out := make([]N, 0, len(g.deps[n]))
	for d := range g.deps[n] {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return g.less(out[i], out[j]) })
	return out
}

// Closure returns the roots with their dependencies, theirs, and so on.
func (g *Graph[N]) Closure(roots ...N) map[N]bool {
	seen := map[N]bool{}
	var visit func(N)
	visit = func(n N) {
		if seen[n] {
			return
		}
		seen[n] = true
		for d := range g.deps[n] {
			visit(d)
		}
	}
	for _, r := range roots {
		visit(r)
	}
	return seen
}

// Cycles returns every cycle as the list of its nodes, found with Tarjan's
// strongly connected components; a node depending on itself is a cycle.
func (g *Graph[N]) Cycles() [][]N {
	index := map[N]int{}
	low := map[N]int{}
	onStack := map[N]bool{}
	var stack []N
	var out [][]N
	next := 0
	var connect func(N)
	connect = func(v N) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range g.DependsOn(v) {
			if _, seen := index[w]; !seen {
				connect(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var scc []N
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			scc = append(scc, w)
			if w == v {
				break
			}
		}
		if len(scc) > 1 || g.deps[v][v] {
			sort.Slice(scc, func(i, j int) bool { return g.less(scc[i], scc[j]) })
			out = append(out, scc)
		}
	}
	for _, n := range g.Nodes() {
		if _, seen := index[n]; !seen {
			connect(n)
		}
	}
	return out
}

// Order returns the nodes with every dependency before its dependents,
// ties broken by less. The graph must be acyclic.
func (g *Graph[N]) Order() []N {
	var out []N
	done := map[N]bool{}
	var visit func(N)
	visit = func(n N) {
		if done[n] {
			return
		}
		done[n] = true
		for _, d := range g.DependsOn(n) {
			visit(d)
		}
		out = append(out, n)
	}
	for _, n := range g.Nodes() {
		visit(n)
	}
	return out
}
