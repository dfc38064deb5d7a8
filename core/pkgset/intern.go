package pkgset

import "sync"

// interner makes equal strings read from the header cache share their
// bytes: a universe's dependency names and versions, architectures,
// signing keys and source package names repeat across thousands of
// packages. It is safe for concurrent use (the cache is read on the
// disk workers); a nil interner copies every string.
type interner struct {
	shards [64]struct {
		sync.Mutex
		m map[string]string
	}
}

func newInterner() *interner {
	in := &interner{}
	for i := range in.shards {
		in.shards[i].m = map[string]string{}
	}
	return in
}

// string returns b as a string, the same one for equal bytes.
func (in *interner) string(b []byte) string {
	if in == nil {
		return string(b)
	}
	// The shard is chosen cheaply, by the length and the ends: the
	// shard's map hashes the bytes anyway.
	h := len(b)
	if len(b) > 0 {
		h += int(b[0])*31 + int(b[len(b)-1])*7
	}
	sh := &in.shards[h%len(in.shards)]
	sh.Lock()
	s, ok := sh.m[string(b)]
	if !ok {
		s = string(b)
		sh.m[s] = s
	}
	sh.Unlock()
	return s
}
