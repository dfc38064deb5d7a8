package kvpack

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzPack opens arbitrary bytes as a pack: reading, adding and saving
// must give misses and errors, never a panic, a huge allocation or a
// record that was not put; after a Save the pack holds what was put.
func FuzzPack(f *testing.F) {
	dir := f.TempDir()
	seed := Open(filepath.Join(dir, "seed"))
	seed.Put("key", []byte("value"))
	seed.Put("", nil)
	seed.Put("other", bytes.Repeat([]byte("x"), 300))
	if err := seed.Save(); err != nil {
		f.Fatal(err)
	}
	seed.Close()
	data, err := os.ReadFile(filepath.Join(dir, "seed"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data, "key")
	f.Add(data[:len(data)-3], "other")
	f.Add([]byte(magic+"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), "key")
	f.Fuzz(func(t *testing.T, data []byte, key string) {
		path := filepath.Join(t.TempDir(), "pack")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		p := Open(path)
		p.Get(key)
		p.Put("new", []byte("record"))
		if err := p.Save(); err != nil {
			t.Fatalf("Save on a damaged pack: %v", err)
		}
		p.Close()
		q := Open(path)
		defer q.Close()
		if v, ok := q.Get("new"); !ok || string(v) != "record" {
			t.Fatalf("after Save, Get(new) = %q, %v", v, ok)
		}
	})
}
