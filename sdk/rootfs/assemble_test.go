package rootfs_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	tree := matchRPMInstall(t, testPackages(t))
	if len(tree.Warnings) != 0 {
		t.Errorf("warnings = %q, want none: daemon and adm are in the tree's own passwd and group", tree.Warnings)
	}
}

// A file owned by a user or group the tree does not know becomes root's,
// and loses its setuid or setgid bit, as rpm's install does.
func TestUnknownOwnerLosesSetuid(t *testing.T) {
	p, err := sdktest.BuildRPM(t.TempDir(), sdktest.RPM{Name: "suid", Version: "1", Release: "1", Files: []sdktest.File{
		{Path: "/usr/bin/su-nobody", Body: "ELF", Mode: 0o4755, Owner: "nobody"},
		{Path: "/usr/bin/sg-nogroup", Body: "ELF", Mode: 0o2755, Group: "nogroup"},
		{Path: "/usr/bin/both", Body: "ELF", Mode: 0o6755, Owner: "nobody", Group: "nogroup"},
		{Path: "/usr/bin/root-suid", Body: "ELF", Mode: 0o4755},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tree := matchRPMInstall(t, []sdk.Package{{Path: p}})
	modes := map[string]uint32{}
	for _, e := range tree.Entries() {
		modes[e.Path] = e.Mode
	}
	want := map[string]uint32{"usr/bin/su-nobody": 0o755, "usr/bin/sg-nogroup": 0o755, "usr/bin/both": 0o755, "usr/bin/root-suid": 0o4755}
	for path, mode := range want {
		if modes[path] != mode {
			t.Errorf("%s: mode %o, want %o", path, modes[path], mode)
		}
	}
	wantWarnings := []string{
		"user nobody does not exist - using root; the setuid bit of /usr/bin/both, /usr/bin/su-nobody is cleared, as rpm does",
		"group nogroup does not exist - using root; the setgid bit of /usr/bin/both, /usr/bin/sg-nogroup is cleared, as rpm does",
	}
	if diff := cmp.Diff(wantWarnings, tree.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// matchRPMInstall assembles pkgs, writes the tree as a tar, unpacks it
// with GNU tar and compares it with what rpm installs from pkgs.
func matchRPMInstall(t *testing.T, pkgs []sdk.Package) *rootfs.Tree {
	t.Helper()
	tarBin := sdktest.NeedTool(t, "tar")
	if os.Geteuid() != 0 {
		t.Skip("installing owners and capabilities needs root")
	}
	tree, err := rootfs.Assemble(context.Background(), pkgs, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rootfs.WriteTar(context.Background(), &buf, tree, rootfs.TarOptions{MTime: 1800000000}); err != nil {
		t.Fatal(err)
	}
	ours := t.TempDir()
	tarFile := filepath.Join(t.TempDir(), "root.tar")
	if err := os.WriteFile(tarFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, tarBin, "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf", tarFile, "-C", ours)

	theirs := t.TempDir()
	var paths []string
	for _, p := range pkgs {
		paths = append(paths, p.Path)
	}
	sdktest.RPMInstall(t, theirs, paths)
	if diff := cmp.Diff(sdktest.ListTree(t, theirs), sdktest.ListTree(t, ours)); diff != "" {
		t.Errorf("tree differs from rpm's install (-rpm +ours):\n%s", diff)
	}
	return tree
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}
