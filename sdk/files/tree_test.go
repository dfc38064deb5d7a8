package files_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/strata-build/strata/sdk/files"
)

// LinkTree gives a tree diff finds equal, whose files are the source's
// inodes and whose symbolic links are not followed; a single file is
// linked too, and a FIFO is refused by name.
func TestLinkTree(t *testing.T) {
	src := t.TempDir()
	for path, body := range map[string]string{"a": "a\n", "d/b": "b\n", "d/e/c": "c\n", "objects/00/x.filez": "x"} {
		p := filepath.Join(src, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(src, "empty", "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../nowhere", filepath.Join(src, "d", "link")); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "copy")
	if err := files.LinkTree(src, dst); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("diff", "-r", "--no-dereference", src, dst).CombinedOutput(); err != nil {
		t.Errorf("diff -r: %v\n%s", err, out)
	}
	for _, f := range []string{"a", "d/b", "d/e/c", "objects/00/x.filez"} {
		if ino(t, filepath.Join(src, f)) != ino(t, filepath.Join(dst, f)) {
			t.Errorf("%s is not a hard link of the source", f)
		}
	}
	if target, err := os.Readlink(filepath.Join(dst, "d", "link")); err != nil || target != "../nowhere" {
		t.Errorf("link: %q, %v", target, err)
	}

	one := filepath.Join(t.TempDir(), "sub", "a")
	if err := files.LinkTree(filepath.Join(src, "a"), one); err != nil || ino(t, one) != ino(t, filepath.Join(src, "a")) {
		t.Errorf("linking one file: %v", err)
	}

	// Another file system refuses links: the files are copied, with
	// their modes, and the links made again.
	if other, err := os.MkdirTemp("/dev/shm", "linktree-"); err == nil {
		defer os.RemoveAll(other)
		copied := filepath.Join(other, "copy")
		if err := files.LinkTree(src, copied); err != nil {
			t.Fatalf("to another file system: %v", err)
		}
		if out, err := exec.Command("diff", "-r", "--no-dereference", src, copied).CombinedOutput(); err != nil {
			t.Errorf("diff -r across file systems: %v\n%s", err, out)
		}
		if fi, err := os.Stat(filepath.Join(copied, "d", "b")); err != nil || fi.Mode().Perm() != 0o640 {
			t.Errorf("a copied file: %v, %v; want mode 0640", fi, err)
		}
	} else {
		t.Logf("no second file system to copy to: %v", err)
	}

	if err := syscall.Mkfifo(filepath.Join(src, "d", "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := files.LinkTree(src, filepath.Join(t.TempDir(), "again"))
	if err == nil || !strings.Contains(err.Error(), filepath.Join(src, "d", "fifo")) {
		t.Errorf("a FIFO: %v", err)
	}
}

func ino(t *testing.T, path string) uint64 {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}
