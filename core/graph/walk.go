package graph

import "sync"

// Walk calls visit for every node, each after all its dependencies, with
// at most parallelism calls at once. When visit fails for a node, nodes
// that depend on it (directly or not) are not visited; they are passed to
// skipped with the failed dependency. Unrelated nodes go on.
func (g *Graph[N]) Walk(parallelism int, visit func(N) error, skipped func(n, cause N)) map[N]error {
	var mu sync.Mutex
	errs := map[N]error{}
	failedDep := map[N]N{} // node -> the failed node that stops it
	remaining := map[N]int{}
	dependents := map[N][]N{}
	for n := range g.nodes {
		remaining[n] = len(g.deps[n])
		for d := range g.deps[n] {
			dependents[d] = append(dependents[d], n)
		}
	}
	sem := make(chan struct{}, max(1, parallelism))
	var wg sync.WaitGroup
	var start func(N)
	// finish releases n's dependents; called with mu held.
	var finish func(n N, failed bool, cause N)
	finish = func(n N, failed bool, cause N) {
		for _, d := range dependents[n] {
			if failed {
				if _, already := failedDep[d]; !already {
					failedDep[d] = cause
				}
			}
			remaining[d]--
			if remaining[d] > 0 {
				continue
			}
			if c, stop := failedDep[d]; stop {
				skipped(d, c)
				finish(d, true, c)
				continue
			}
			start(d)
		}
	}
	start = func(n N) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			err := visit(n)
			<-sem
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs[n] = err
			}
			finish(n, err != nil, n)
		}()
	}
	mu.Lock()
	for _, n := range g.Nodes() {
		if remaining[n] == 0 {
			start(n)
		}
	}
	mu.Unlock()
	wg.Wait()
	return errs
}
