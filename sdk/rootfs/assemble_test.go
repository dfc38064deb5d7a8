package rootfs_test

import (
	"bytes"
	"context"
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

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/rootfs"
	"github.com/strata-build/strata/sdk/sdktest"
)

// testPackages are real RPMs from rpm's and createrepo_c's suites (hard
// links, empty capabilities, UTF-8) plus generated ones for what those do
// not cover: owners from the tree's own passwd, setuid, capabilities, a
// /lib -> usr/lib link that another package installs through, and one
// file shipped identically by two packages.
func testPackages(t *testing.T) []sdk.Package {
	t.Helper()
	shared := filepath.Join(sdktest.SharedTestdata(t), "rpms")
	var paths []string
	for _, name := range []string{"hlinktest-1.0-1.noarch", "capstest-1.0-1.noarch", "Archer-3.4.5-6.x86_64", "balicek-utf8-1.1.1-1.x86_64", "super_kernel-6.0.1-2.x86_64"} {
		paths = append(paths, filepath.Join(shared, name+".rpm"))
	}
	dir := t.TempDir()
	for _, r := range []sdktest.RPM{
		{Name: "setup", Version: "1", Release: "1", Files: []sdktest.File{
			{Path: "/etc/passwd", Body: "root:x:0:0::/root:/bin/sh\ndaemon:x:2:2::/:/sbin/nologin\n"},
			{Path: "/etc/group", Body: "root:x:0:\nadm:x:4:\n"},
			{Path: "/lib", Body: "usr/lib", Mode: 0o120777},
			{Path: "/usr/lib", Mode: 0o040555},
			{Path: "/usr/share/licenses/common.txt", Body: "shared text\n"},
		}},
		{Name: "tools", Version: "2.0", Release: "1", Arch: "x86_64", Compressor: "zstd", BuildTime: 1700000000,
			Requires: []string{"setup"}, Files: []sdktest.File{
			{Path: "/usr/bin/ping", Body: "ELF ping", Mode: 0o4755, Caps: "cap_net_raw=ep"},
			{Path: "/usr/bin/pong", Body: "ELF pong", Mode: 0o2711, Owner: "daemon", Group: "adm"},
			{Path: "/usr/bin/pingalias", Body: "ping", Mode: 0o120777},
			{Path: "/lib/libtools.so.1", Body: "ELF lib", Mode: 0o755},
			{Path: "/var/lib/tools", Mode: 0o040700, Owner: "daemon", Group: "adm"},
			{Path: "/var/log/tools.log", Ghost: true},
			{Path: "/usr/share/licenses/common.txt", Body: "shared text\n"},
			{Path: "/etc/tools.conf", Body: "", Config: true},
		}},
	} {
		p, err := sdktest.BuildRPM(dir, r)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	pkgs := make([]sdk.Package, len(paths))
	for i, p := range paths {
		pkgs[i] = sdk.Package{Path: p}
	}
	return pkgs
}

// The tree, written as a tar and unpacked by GNU tar, must equal what the
// real rpm installs from the same packages into an empty root.
func TestTarMatchesRPMInstall(t *testing.T) {
	rpmBin := sdktest.NeedTool(t, "rpm")
	tarBin := sdktest.NeedTool(t, "tar")
	if os.Geteuid() != 0 {
		t.Skip("installing owners and capabilities needs root")
	}
	pkgs := testPackages(t)
	tree, err := rootfs.Assemble(context.Background(), pkgs, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rootfs.WriteTar(&buf, tree, rootfs.TarOptions{MTime: 1800000000}); err != nil {
		t.Fatal(err)
	}
	ours := t.TempDir()
	tarFile := filepath.Join(t.TempDir(), "root.tar")
	if err := os.WriteFile(tarFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, tarBin, "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf", tarFile, "-C", ours)

	theirs := t.TempDir()
	args := []string{"--root", theirs, "--dbpath", "/rpmdb", "-i", "--nodeps", "--noscripts",
		"--nosignature", "--nodigest", "--ignorearch", "--ignoreos", "--replacefiles"}
	for _, p := range pkgs {
		args = append(args, p.Path)
	}
	run(t, rpmBin, "--root", theirs, "--dbpath", "/rpmdb", "--initdb")
	run(t, rpmBin, args...)
	if err := os.RemoveAll(filepath.Join(theirs, "rpmdb")); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(listTree(t, theirs), listTree(t, ours)); diff != "" {
		t.Errorf("tree differs from rpm's install (-rpm +ours):\n%s", diff)
	}
	if want := []string{"user daemon does not exist - using root"}; len(tree.Warnings) != 0 {
		t.Errorf("warnings = %q, want none (daemon is in the tree's passwd, not %q)", tree.Warnings, want)
	}
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// listTree describes every path under root: type, mode, owner, content,
// link target, hard link partners, capability xattr; file mtimes too.
func listTree(t *testing.T, root string) []string {
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
