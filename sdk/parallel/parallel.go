// Package parallel runs independent work on every CPU: reading package
// headers, extracting payloads, hashing files. Results go into slots the
// caller indexes, so the outcome never depends on timing.
package parallel

import (
	"runtime"
	"sync"
)

// Do calls fn for every i in [0, n) on up to GOMAXPROCS goroutines and
// returns the error of the lowest i that failed, or nil.
func Do(n int, fn func(i int) error) error {
	return run(n, runtime.GOMAXPROCS(0), fn)
}

// IO is Do for work that waits on the disk more than it computes
// (opening files, reading headers, making links): it runs more
// goroutines than there are CPUs, so that the disk always has requests
// queued.
func IO(n int, fn func(i int) error) error {
	return run(n, max(16, 4*runtime.GOMAXPROCS(0)), fn)
}

func run(n, workers int, fn func(i int) error) error {
	errs := make([]error, n)
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(n, workers); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				errs[i] = fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
