package files

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteAtomicAndLink(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a", "b", "f")
	if err := WriteAtomic(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(p, []byte("two")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(p); string(data) != "two" {
		t.Errorf("content %q", data)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	q := filepath.Join(dir, "g")
	if err := LinkOrCopy(p, q, 0o644); err != nil {
		t.Fatal(err)
	}
	a, _ := os.Stat(p)
	b, _ := os.Stat(q)
	if !os.SameFile(a, b) {
		t.Error("not a hard link on one file system")
	}
	if err := LinkOrCopy(p, q, 0o644); err == nil {
		t.Error("an existing destination was overwritten")
	}
}

// A write that fails leaves the old file as it was and no temporary one.
func TestWriteAtomicWithFailing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := WriteAtomic(p, []byte("old")); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("failed")
	err := WriteAtomicWith(p, func(f *os.File) error {
		f.Write([]byte("half of the new"))
		return failed
	})
	if err != failed {
		t.Errorf("err = %v, want the write's", err)
	}
	if data, _ := os.ReadFile(p); string(data) != "old" {
		t.Errorf("content %q after a failed write", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// Open reads as os.Open does, and says what it could not open.
func TestOpen(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(f)
	if err != nil || string(data) != "data" {
		t.Errorf("read %q, %v", data, err)
	}
	if err := f.Close(); err != nil {
		t.Error(err)
	}
	if _, err := Open(p + "-missing"); !os.IsNotExist(err) || !strings.Contains(err.Error(), p+"-missing") {
		t.Errorf("opening a missing file: %v", err)
	}
}
