package sdktest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// ListTree describes every path under root, one line each, sorted: type
// and mode, numeric owner, content digest and mtime of files, symlink
// targets, hard link partners and the security.capability xattr. Two
// trees are the same root filesystem when their listings are equal.
func ListTree(t testing.TB, root string) []string {
	t.Helper()
	inodes := map[uint64]string{}
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		var st syscall.Stat_t
		if err := syscall.Lstat(p, &st); err != nil {
			return err
		}
		line := fmt.Sprintf("%s %o %d:%d", rel, st.Mode, st.Uid, st.Gid)
		switch st.Mode & syscall.S_IFMT {
		case syscall.S_IFREG:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			line += fmt.Sprintf(" %x mtime=%d", sum[:8], st.Mtim.Sec)
			if first, ok := inodes[st.Ino]; ok {
				line += " hardlink=" + first
			} else {
				inodes[st.Ino] = rel
			}
			buf := make([]byte, 64)
			if n, err := syscall.Getxattr(p, "security.capability", buf); err == nil {
				line += " caps=" + hex.EncodeToString(buf[:n])
			}
		case syscall.S_IFLNK:
			target, _ := os.Readlink(p)
			line += " -> " + target
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// RPMInstall installs packages into an empty root with the real rpm,
// without scriptlets or dependency checks, as the oracle of what a root
// filesystem assembled from them must hold. The database is removed
// afterwards. It needs root, for owners and capabilities.
func RPMInstall(t testing.TB, root string, packages []string) {
	t.Helper()
	rpm := NeedTool(t, "rpm")
	if os.Geteuid() != 0 {
		t.Skip("installing owners and capabilities needs root")
	}
	run := func(args ...string) {
		if out, err := exec.Command(rpm, args...).CombinedOutput(); err != nil {
			t.Fatalf("rpm %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("--root", root, "--dbpath", "/rpmdb", "--initdb")
	run(append([]string{"--root", root, "--dbpath", "/rpmdb", "-i", "--nodeps", "--noscripts",
		"--nosignature", "--nodigest", "--ignorearch", "--ignoreos", "--replacefiles"}, packages...)...)
	if err := os.RemoveAll(filepath.Join(root, "rpmdb")); err != nil {
		t.Fatal(err)
	}
}
