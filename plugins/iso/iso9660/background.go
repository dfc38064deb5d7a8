package iso9660

// background feeds an implanter on another core while the image is
// written: the bytes are copied into 1 MiB buffers that a goroutine
// hashes in order.
type background struct {
	m          *implanter
	buf        []byte
	full, free chan []byte
	done       chan struct{}
}

const backgroundBuffers, backgroundBufferSize = 4, 1 << 20

func hashInBackground(m *implanter) *background {
	b := &background{m: m, full: make(chan []byte, backgroundBuffers), free: make(chan []byte, backgroundBuffers), done: make(chan struct{})}
	for i := 0; i < backgroundBuffers; i++ {
		b.free <- make([]byte, 0, backgroundBufferSize)
	}
	go func() {
		defer close(b.done)
		for buf := range b.full {
			m.write(buf)
			b.free <- buf[:0]
		}
	}()
	return b
}

// write queues the next bytes of the image.
func (b *background) write(p []byte) {
	for len(p) > 0 {
		if b.buf == nil {
			b.buf = <-b.free
		}
		n := copy(b.buf[len(b.buf):cap(b.buf)], p)
		b.buf, p = b.buf[:len(b.buf)+n], p[n:]
		if len(b.buf) == cap(b.buf) {
			b.full <- b.buf
			b.buf = nil
		}
	}
}

// finish hashes what is queued and returns the implanter; call it once.
func (b *background) finish() *implanter {
	if len(b.buf) > 0 {
		b.full <- b.buf
	}
	close(b.full)
	<-b.done
	return b.m
}
