package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/strata-build/strata/sdk/manifest"
)

// poolFixture is a store and two package files outside it, with what a
// load recorded of them.
type poolFixture struct {
	s       *Store
	sources map[string]PoolSource
	sums    []string
}

func newPoolFixture(t *testing.T) *poolFixture {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := &poolFixture{s: s, sources: map[string]PoolSource{}}
	pkgs := t.TempDir()
	for _, content := range []string{"package one", "package two"} {
		path := filepath.Join(pkgs, strings.ReplaceAll(content, " ", "-")+".rpm")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(content))
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		f.sums = append(f.sums, hex.EncodeToString(sum[:]))
		f.sources[f.sums[len(f.sums)-1]] = PoolSource{Path: path, Size: info.Size(), MTime: info.ModTime().UnixNano(),
			Inode: info.Sys().(*syscall.Stat_t).Ino}
	}
	return f
}

// build stores an entry under key that writes repodata/repomd.xml and
// names both packages as package files at paths.
func (f *poolFixture) build(t *testing.T, key string, paths ...string) (*Entry, error) {
	t.Helper()
	b, err := f.s.NewBuildDir(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(b.Files, "repodata"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.Files, "repodata", "repomd.xml"), []byte("<repomd/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	written, err := manifest.Scan(b.Files, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := &Entry{Key: key, Manifest: written}
	named := map[string]string{}
	for i, p := range paths {
		named[p] = f.sums[i%len(f.sums)]
	}
	if err := f.s.AddPackageFiles(e, named, f.sources); err != nil {
		b.Discard()
		return nil, err
	}
	return e, f.s.Commit(b, e, Known{})
}

// A repository's packages are held once in the pool: its entry lists
// them, marked pooled, and holds only what the plugin wrote; an entry
// read again knows which are pooled, and a second entry shares them.
func TestPoolHoldsPackagesOnce(t *testing.T) {
	f := newPoolFixture(t)
	one, two := strings.Repeat("1", 64), strings.Repeat("2", 64)
	if _, err := f.build(t, one, "Packages/o/one.rpm", "Packages/t/two.rpm"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.build(t, two, "Packages/o/one.rpm"); err != nil {
		t.Fatal(err)
	}
	reopened, _ := Open(filepath.Dir(f.s.Dir))
	e, err := reopened.Read(one)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, file := range e.Manifest {
		got = append(got, file.Path+map[bool]string{true: " pooled", false: ""}[e.IsPooled(i)])
	}
	if want := "Packages/o/one.rpm pooled,Packages/t/two.rpm pooled,repodata/repomd.xml"; strings.Join(got, ",") != want {
		t.Errorf("manifest: %s, want %s", strings.Join(got, ","), want)
	}
	if _, err := os.Stat(filepath.Join(reopened.FilesPath(one), "Packages")); !os.IsNotExist(err) {
		t.Errorf("the entry holds its packages: %v", err)
	}
	pool, src := reopened.PoolPath(f.sums[0]), f.sources[f.sums[0]]
	if info, err := os.Stat(pool); err != nil || info.Sys().(*syscall.Stat_t).Ino != src.Inode {
		t.Errorf("the pool file is not a link of the package file: %v", err)
	}
	for _, key := range []string{one, two} {
		if err := reopened.Check(key); err != nil {
			t.Errorf("check %.1s: %v", key, err)
		}
		if _, err := reopened.VerifyEntry(key); err != nil {
			t.Errorf("verify %.1s: %v", key, err)
		}
	}
	view, err := reopened.View(e)
	if err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(view, "Packages", "t", "two.rpm")); err != nil || string(data) != "package two" {
		t.Errorf("the view's two.rpm: %q, %v", data, err)
	}
}

// A pool file changed in place (it is the package file's inode) makes
// every entry that holds it damaged, and strata verify says so; the next
// entry that names the package takes it again from its file.
func TestPoolDamage(t *testing.T) {
	f := newPoolFixture(t)
	key := strings.Repeat("1", 64)
	if _, err := f.build(t, key, "Packages/o/one.rpm"); err != nil {
		t.Fatal(err)
	}
	pool := f.s.PoolPath(f.sums[0])
	if err := os.Chmod(pool, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pool, []byte("package ONE"), 0o644); err != nil {
		t.Fatal(err)
	}
	reopened, _ := Open(filepath.Dir(f.s.Dir))
	if err := reopened.Check(key); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "Packages/o/one.rpm was changed after it was stored") {
		t.Errorf("check after the pool file changed: %v", err)
	}
	if _, err := reopened.VerifyEntry(key); err == nil || !strings.Contains(err.Error(), "in the pool") {
		t.Errorf("verify after the pool file changed: %v", err)
	}
	// A build given the entry as its previous one reaches only its own
	// files, which RecheckOwn checks.
	if err := reopened.RecheckOwn(key); err != nil {
		t.Errorf("own files after the pool file changed: %v", err)
	}
	repomd := filepath.Join(reopened.FilesPath(key), "repodata", "repomd.xml")
	if err := os.Chmod(repomd, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := reopened.RecheckOwn(key); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "repomd.xml has mode") {
		t.Errorf("own files after one's mode changed: %v", err)
	}
	os.Chmod(repomd, 0o444)
	// The package file was that inode too. Once it is right again (a new
	// file here), the next entry that names it takes the pool file again
	// from it.
	if err := os.Remove(f.sources[f.sums[0]].Path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.sources[f.sums[0]].Path, []byte("package one"), 0o644); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(f.sources[f.sums[0]].Path)
	f.sources[f.sums[0]] = PoolSource{Path: f.sources[f.sums[0]].Path, Size: info.Size(), MTime: info.ModTime().UnixNano(), Inode: info.Sys().(*syscall.Stat_t).Ino}
	// Learning the damaged entry's pool files does not vouch for the
	// changed one.
	damaged, err := reopened.Read(key)
	if err != nil {
		t.Fatal(err)
	}
	reopened.LearnPool(damaged)
	if _, ok := reopened.poolKnown(f.sums[0]); ok {
		t.Error("LearnPool kept the stamp of a pool file changed since it was stored")
	}
	f.s = reopened
	again := strings.Repeat("2", 64)
	if _, err := f.build(t, again, "Packages/o/one.rpm"); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(pool); err != nil || string(data) != "package one" {
		t.Errorf("the pool file after a build named it again: %q, %v", data, err)
	}
	if err := reopened.Check(again); err != nil {
		t.Errorf("the new entry: %v", err)
	}
	fresh, _ := Open(filepath.Dir(f.s.Dir))
	e, err := fresh.Read(again)
	if err != nil {
		t.Fatal(err)
	}
	fresh.LearnPool(e)
	if st, ok := fresh.poolKnown(f.sums[0]); !ok || st.size != int64(len("package one")) {
		t.Errorf("LearnPool did not keep the stamp of a sound pool file: %+v, %v", st, ok)
	}
}

// What a plugin names as package files is checked before anything is
// placed: a clean path it did not also write, not a directory of another
// file, for a package the build was given.
func TestPoolRefusesBadPackageFiles(t *testing.T) {
	f := newPoolFixture(t)
	for i, c := range []struct {
		paths []string
		want  string
	}{
		{[]string{"../escape.rpm"}, "is not a clean relative path"},
		{[]string{"repodata/repomd.xml"}, "is both written and named as a package file"},
		{[]string{"repodata"}, "is both a file and a directory of other files"},
		{[]string{"Packages/a.rpm", "Packages/a.rpm/b.rpm"}, "is both a file and a directory of other files"},
	} {
		key := strings.Repeat(string(rune('a'+i)), 64)
		if _, err := f.build(t, key, c.paths...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.paths, err, c.want)
		}
		if f.s.Has(key) {
			t.Errorf("%v: stored", c.paths)
		}
	}
	e := &Entry{Key: strings.Repeat("f", 64)}
	if err := f.s.AddPackageFiles(e, map[string]string{"x.rpm": strings.Repeat("0", 64)}, f.sources); err == nil || !strings.Contains(err.Error(), "which the build was not given") {
		t.Errorf("a package the build was not given: %v", err)
	}
	if err := f.s.AddPackageFiles(e, map[string]string{"x.rpm": "../../etc"}, f.sources); err == nil || !strings.Contains(err.Error(), "is not a sha256") {
		t.Errorf("a sha256 that is a path: %v", err)
	}
}

// Builds that name the same packages at once each find them in the pool,
// which then holds each once, with nothing staged left behind.
func TestPoolTakesConcurrentBuilds(t *testing.T) {
	f := newPoolFixture(t)
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			_, err := f.build(t, strings.Repeat(string(rune('a'+i)), 64), "Packages/o/one.rpm", "Packages/t/two.rpm")
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	pooled, _ := filepath.Glob(filepath.Join(f.s.Dir, "pool", "*", "*"))
	staged, _ := filepath.Glob(filepath.Join(f.s.Dir, "tmp", "pool-*"))
	if len(pooled) != 2 || len(staged) != 0 {
		t.Errorf("the pool holds %v, tmp/ %v", pooled, staged)
	}
}

// A build's previous entry is checked for its own files: one stored
// before stamps were recorded is checked whole and sealed, and a stamps
// file that does not list every file is damage.
func TestCheckOwnStamps(t *testing.T) {
	f := newPoolFixture(t)
	key := strings.Repeat("3", 64)
	if _, err := f.build(t, key, "Packages/o/one.rpm"); err != nil {
		t.Fatal(err)
	}
	stamps := filepath.Join(f.s.Path(key), stampsFile)
	data, err := os.ReadFile(stamps)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(stamps); err != nil {
		t.Fatal(err)
	}
	old, _ := Open(filepath.Dir(f.s.Dir))
	if err := old.CheckOwn(key); err != nil {
		t.Fatalf("an entry without stamps: %v", err)
	}
	if sealed, err := os.ReadFile(stamps); err != nil || string(sealed) != string(data) {
		t.Errorf("stamps written again: %q, %v; first %q", sealed, err, data)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	if err := os.WriteFile(stamps, []byte(first+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, _ := Open(filepath.Dir(f.s.Dir))
	if err := again.CheckOwn(key); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "stamps lists 1 files, its manifest 2") {
		t.Errorf("a stamps file one line short: %v", err)
	}
}
