package kvpack

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// get reads key with Get, and checks that EachMany reads the same.
func get(t *testing.T, p *Pack, key string) string {
	t.Helper()
	v, ok := p.Get(key)
	many := many(p, []string{key})[0]
	if (many != nil) != ok || string(many) != string(v) {
		t.Errorf("%s: EachMany gave %q, Get %q (%v)", key, many, v, ok)
	}
	if !ok {
		return "<missing>"
	}
	return string(v)
}

// many reads keys with EachMany, copying the values, with their refs.
func many(p *Pack, keys []string) [][]byte {
	out := make([][]byte, len(keys))
	p.EachMany(keys, func(i int, v []byte, _ Ref) { out[i] = bytes.Clone(v) })
	return out
}

// EachMany reads records in any order of keys, across gaps larger than
// it reads on over, beside records only put, and leaves out those it
// lacks; a Cursor reads them again where it found them, in any order.
func TestEachMany(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.pack")
	p := Open(path)
	value := func(n int) []byte { return bytes.Repeat([]byte{byte(n)}, 100_000) } // 4 MB: gaps past skipAhead
	for i := range 40 {
		p.Put(fmt.Sprintf("k%02d", i), value(i))
	}
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	q := Open(path)
	q.Put("new", []byte("put"))
	want := []string{"k39", "missing", "k00", "new", "k01", "k20", "k20", "k02"}
	got := map[int][]byte{}
	refs := map[int]Ref{}
	q.EachMany(want, func(i int, v []byte, ref Ref) { got[i], refs[i] = bytes.Clone(v), ref })
	check := func(how string, i int, v []byte) {
		t.Helper()
		switch key := want[i]; {
		case key == "new" && string(v) != "put":
			t.Errorf("%s new: %q", how, v)
		case strings.HasPrefix(key, "k"):
			var n int
			fmt.Sscanf(key, "k%d", &n)
			if !bytes.Equal(v, value(n)) {
				t.Errorf("%s %s: %d bytes, not its own", how, key, len(v))
			}
		}
	}
	if len(got) != len(want)-1 || got[1] != nil {
		t.Errorf("EachMany found %d of %d, missing: %v", len(got), len(want), got[1] != nil)
	}
	for i, v := range got {
		check("EachMany", i, v)
		if refs[i].IsZero() != (want[i] == "new") {
			t.Errorf("%s: ref %+v", want[i], refs[i])
		}
	}
	var c Cursor
	for _, i := range []int{7, 0, 2, 4, 5, 6, 0} {
		v, ok := c.Read(refs[i], want[i])
		if !ok {
			t.Fatalf("cursor: %s not read again", want[i])
		}
		check("cursor", i, v)
	}
	if _, ok := c.Read(refs[0], "k38"); ok {
		t.Errorf("cursor: k39's record read as k38's")
	}
	if _, ok := c.Read(refs[3], "new"); ok {
		t.Errorf("cursor: a value only put read from the file")
	}
	q.Close()
	if _, ok := c.Read(refs[2], "k00"); ok {
		t.Errorf("cursor: read from a closed pack")
	}
}

func TestSaveAndOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "cache.pack")
	p := Open(path)
	if _, ok := p.Get("a"); ok {
		t.Fatal("a new pack holds a record")
	}
	p.Put("a", []byte("alpha"))
	p.Put("b", []byte{})
	p.Put("c", make([]byte, 300))
	if got := get(t, p, "a"); got != "alpha" {
		t.Errorf("before Save: a = %q", got)
	}
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	if got := get(t, p, "a"); got != "alpha" {
		t.Errorf("after Save: a = %q", got)
	}
	p.Close()

	q := Open(path)
	defer q.Close()
	for key, want := range map[string]string{"a": "alpha", "b": "", "c": string(make([]byte, 300)), "d": "<missing>"} {
		if got := get(t, q, key); got != want {
			t.Errorf("reopened: %s = %q, want %q", key, got, want)
		}
	}
	// A later record of the same key wins.
	q.Put("a", []byte("again"))
	if err := q.Save(); err != nil {
		t.Fatal(err)
	}
	if got := get(t, Open(path), "a"); got != "again" {
		t.Errorf("a = %q after it was put again", got)
	}
}

// Two processes (two packs on one file) saving at once keep both
// processes' records.
func TestConcurrentSaves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.pack")
	packs := []*Pack{Open(path), Open(path), Open(path)}
	var wg sync.WaitGroup
	for i, p := range packs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				p.Put(fmt.Sprintf("%d-%d", i, j), []byte(fmt.Sprint(i*j)))
			}
			if err := p.Save(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// Again, each pack now indexing a file the others append to.
	for i, p := range packs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 50; j < 100; j++ {
				p.Put(fmt.Sprintf("%d-%d", i, j), []byte(fmt.Sprint(i*j)))
				if j%10 == 0 {
					if err := p.Save(); err != nil {
						t.Error(err)
					}
				}
			}
			if err := p.Save(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	all := Open(path)
	for i, p := range packs {
		for j := range 100 {
			key, want := fmt.Sprintf("%d-%d", i, j), fmt.Sprint(i*j)
			if got := get(t, all, key); got != want {
				t.Fatalf("%s = %q, want %q", key, got, want)
			}
			if got := get(t, p, key); got != want {
				t.Fatalf("in the pack that saved it: %s = %q, want %q", key, got, want)
			}
		}
	}
}

// A write cut short loses only its record; a changed byte makes its
// record a miss, never a wrong value; a foreign file is an empty pack.
func TestDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.pack")
	p := Open(path)
	p.Put("first", []byte("one"))
	p.Put("second", []byte("two"))
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data[:len(data)-3], 0o644); err != nil {
		t.Fatal(err)
	}
	cut := Open(path)
	if got := get(t, cut, "first"); got != "one" {
		t.Errorf("before the cut: first = %q", got)
	}
	if got := get(t, cut, "second"); got != "<missing>" {
		t.Errorf("cut short: second = %q", got)
	}
	cut.Put("third", []byte("three"))
	if err := cut.Save(); err != nil {
		t.Fatal(err)
	}
	after := Open(path)
	if a, b := get(t, after, "first"), get(t, after, "third"); a != "one" || b != "three" {
		t.Errorf("after appending past a cut: first = %q, third = %q", a, b)
	}

	data, _ = os.ReadFile(path)
	i := len(magic) + 2 + len("first") // the value of the first record
	data[i] ^= 0x20
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := get(t, Open(path), "first"); got != "<missing>" {
		t.Errorf("a changed byte gave first = %q", got)
	}

	if err := os.WriteFile(path, []byte("something else\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	foreign := Open(path)
	if got := get(t, foreign, "third"); got != "<missing>" {
		t.Errorf("a foreign file gave third = %q", got)
	}
	foreign.Put("x", []byte("y"))
	if err := foreign.Save(); err != nil {
		t.Fatal(err)
	}
	if got := get(t, Open(path), "x"); got != "y" {
		t.Errorf("a foreign file replaced: x = %q", got)
	}
}

// A large file that is mostly records nobody read is written again with
// the records read and added.
func TestRewrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.pack")
	p := Open(path)
	for i := range 100 {
		p.Put(fmt.Sprint(i), make([]byte, 1000))
	}
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	defer func(old int64) { rewriteAbove = old }(rewriteAbove)
	rewriteAbove = 10 << 10
	q := Open(path)
	q.Get("7")
	q.Put("new", []byte("n"))
	if err := q.Save(); err != nil {
		t.Fatal(err)
	}
	r := Open(path)
	if len(r.index) != 2 || get(t, r, "7") != string(make([]byte, 1000)) || get(t, r, "new") != "n" {
		t.Errorf("after the rewrite the pack holds %d records", len(r.index))
	}
	if fi, _ := os.Stat(path); fi.Size() > 2000 {
		t.Errorf("rewritten pack is %d bytes", fi.Size())
	}
}

func TestNoPath(t *testing.T) {
	p := Open("")
	p.Put("a", []byte("b"))
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	if got := get(t, p, "a"); got != "b" {
		t.Errorf("a = %q", got)
	}
}

// A Save on a file no other process appended to extends the pack's index
// instead of reading the file again; a Save after another process
// appended reads it again, so each pack sees every record.
func TestSaveExtendsIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.pack")
	p := Open(path)
	p.Put("a", []byte("1"))
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	q := Open(path)
	file := p.file
	p.Put("b", []byte("2"))
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	if p.file != file {
		t.Error("a Save with no other writer read the file again")
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != p.end {
		t.Errorf("the index ends at %d, the file at %v (%v)", p.end, fi.Size(), err)
	}
	q.Put("c", []byte("3"))
	if err := q.Save(); err != nil {
		t.Fatal(err)
	}
	p.Put("d", []byte("4"))
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	for _, pack := range []*Pack{p, Open(path)} {
		for key, want := range map[string]string{"a": "1", "b": "2", "c": "3", "d": "4"} {
			if got := get(t, pack, key); got != want {
				t.Errorf("%s = %q, want %q", key, got, want)
			}
		}
	}
}
