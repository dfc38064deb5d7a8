package files

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"syscall"
	"testing"
)

// ReadDirents gives every entry with the inode number and type Lstat
// gives, and the device of the directory.
func TestReadDirents(t *testing.T) {
	dir := t.TempDir()
	for i := range 300 { // more than one buffer of records
		name := filepath.Join(dir, "file-with-a-long-name-"+string(rune('a'+i%26))+string(rune('A'+i/26)))
		if err := os.WriteFile(name, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sub", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	dev, entries, err := ReadDirents(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadDir(dir)
	if len(entries) != len(want) {
		t.Fatalf("%d entries, os.ReadDir lists %d", len(entries), len(want))
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	types := map[string]uint8{"sub": syscall.DT_DIR, "link": syscall.DT_LNK}
	for i, e := range entries {
		if e.Name != want[i].Name() {
			t.Fatalf("entry %d is %q, want %q", i, e.Name, want[i].Name())
		}
		fi, err := os.Lstat(filepath.Join(dir, e.Name))
		if err != nil {
			t.Fatal(err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		if e.Ino != st.Ino || uint64(st.Dev) != dev {
			t.Errorf("%s: inode %d on %d, Lstat says %d on %d", e.Name, e.Ino, dev, st.Ino, st.Dev)
		}
		wantType, ok := types[e.Name]
		if !ok {
			wantType = syscall.DT_REG
		}
		if e.Type != wantType && e.Type != syscall.DT_UNKNOWN {
			t.Errorf("%s: type %d, want %d", e.Name, e.Type, wantType)
		}
	}
	if _, _, err := ReadDirents(filepath.Join(dir, "file-with-a-long-name-aA")); err == nil {
		t.Error("a file was listed as a directory")
	}
	if _, _, err := ReadDirents(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing directory was listed")
	}
}

// EachDirent gives what ReadDirents lists, and stops at fn's error.
func TestEachDirent(t *testing.T) {
	dir := t.TempDir()
	for i := range 300 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("package-%03d.rpm", i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, want, err := ReadDirents(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []Dirent
	err = EachDirent(dir, func(name []byte, ino uint64, typ uint8) error {
		got = append(got, Dirent{Name: string(name), Ino: ino, Type: typ})
		return nil
	})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("EachDirent: %d entries, %v; ReadDirents lists %d", len(got), err, len(want))
	}
	stop := errors.New("stop")
	calls := 0
	err = EachDirent(dir, func([]byte, uint64, uint8) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("fn failing: %v after %d calls, want its error after one", err, calls)
	}
	for _, bad := range []string{filepath.Join(dir, "package-000.rpm"), filepath.Join(dir, "missing")} {
		if err := EachDirent(bad, func([]byte, uint64, uint8) error { return nil }); err == nil {
			t.Errorf("%s was listed", bad)
		}
	}
}
