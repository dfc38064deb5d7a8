package ostree

import "sync"

// pool runs jobs on a fixed number of goroutines while the bytes the
// queued jobs hold stay within a budget; a job larger than the budget
// runs alone. wait returns the first error.
type pool struct {
	jobs   chan func() error
	mu     sync.Mutex
	cond   *sync.Cond
	budget int
	held   int
	err    error
	wg     sync.WaitGroup
}

func newPool(workers, budget int) *pool {
	p := &pool{jobs: make(chan func() error), budget: budget}
	p.cond = sync.NewCond(&p.mu)
	for i := 0; i < workers; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for job := range p.jobs {
				if err := job(); err != nil {
					p.mu.Lock()
					if p.err == nil {
						p.err = err
					}
					p.mu.Unlock()
				}
			}
		}()
	}
	return p
}

// run queues job, which holds size bytes until it returns; it waits
// while the budget is spent, and returns the first error of any job.
func (p *pool) run(size int, job func() error) error {
	p.mu.Lock()
	for p.held > 0 && p.held+size > p.budget && p.err == nil {
		p.cond.Wait()
	}
	err := p.err
	if err == nil {
		p.held += size
	}
	p.mu.Unlock()
	if err != nil {
		return err
	}
	p.jobs <- func() error {
		defer func() {
			p.mu.Lock()
			p.held -= size
			p.cond.Broadcast()
			p.mu.Unlock()
		}()
		return job()
	}
	return nil
}

// wait waits for every queued job and returns the first error.
func (p *pool) wait() error {
	close(p.jobs)
	p.wg.Wait()
	return p.err
}

// buffers holds file contents between reading and compressing, reused
// so that a commit of many files does not keep the collector busy.
var buffers sync.Pool

// maxPooled is the largest buffer kept for reuse.
const maxPooled = 16 << 20

// getBuffer returns a buffer of n bytes.
func getBuffer(n int) *[]byte {
	if b, ok := buffers.Get().(*[]byte); ok && cap(*b) >= n {
		*b = (*b)[:n]
		return b
	} else if ok {
		buffers.Put(b)
	}
	b := make([]byte, n)
	return &b
}

// putBuffer gives a buffer back.
func putBuffer(b *[]byte) {
	if cap(*b) <= maxPooled {
		buffers.Put(b)
	}
}
