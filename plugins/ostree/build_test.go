package ostree

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// TestCommit commits a host tree and reads it with the real ostree: fsck
// passes, log/show/ls read it, a checkout is the tree rpm installs from
// the same packages laid out for ostree, and `ostree commit` of that
// checkout with the same metadata and timestamp gives the same checksum.
func TestCommit(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("checking out owners and capabilities needs root")
	}
	pkgs := hostPackages(t)
	commit, out := mustBuild(t, attrs(map[string]cty.Value{"ref": cty.StringVal(testRef)}), pkgs, "")
	repo := filepath.Join(out, repoDir)
	ostree(t, "fsck", "--repo="+repo)
	if log := ostree(t, "log", "--repo="+repo, testRef); !strings.Contains(log, "commit "+commit) || !strings.Contains(log, "Version: 41") {
		t.Errorf("ostree log:\n%s", log)
	}
	if ls := ostree(t, "ls", "--repo="+repo, "-R", testRef); !strings.Contains(ls, "-04755 0 0      8 /usr/bin/ping") ||
		!strings.Contains(ls, "/usr/etc/tools.conf") || !strings.Contains(ls, "/usr/lib/modules/6.1.0-1.x86_64/vmlinuz") {
		t.Errorf("ostree ls -R:\n%s", ls)
	}

	checkout := filepath.Join(t.TempDir(), "checkout")
	ostree(t, "checkout", "--repo="+repo, testRef, checkout)
	oracle := t.TempDir()
	sdktest.RPMInstall(t, oracle, paths(pkgs))
	layOutForOstree(t, oracle)
	ours := sdktest.ListTree(t, checkout)
	var withoutDB []string
	for _, l := range ours {
		if !strings.HasPrefix(l, "usr/lib/sysimage/rpm/rpmdb.sqlite ") {
			withoutDB = append(withoutDB, l)
		}
	}
	if diff := cmp.Diff(withoutTimes(sdktest.ListTree(t, oracle)), withoutTimes(withoutDB)); diff != "" {
		t.Errorf("checkout differs from rpm's install laid out for ostree (-rpm +checkout):\n%s", diff)
	}
	qa := sdktest.Run(t, "rpm", "--root="+checkout, "--dbpath=/usr/lib/sysimage/rpm", "-qa")
	if n := len(strings.Fields(qa)); n != len(pkgs) {
		t.Errorf("rpm -qa in the checkout lists %d packages, want %d:\n%s", n, len(pkgs), qa)
	}

	// The oracle: ostree commits the checkout with the same metadata.
	meta := func(key string) string {
		return strings.TrimSpace(ostree(t, "show", "--repo="+repo, "--print-metadata-key="+key, testRef))
	}
	theirs := filepath.Join(t.TempDir(), "repo")
	ostree(t, "init", "--repo="+theirs, "--mode=archive")
	got := strings.TrimSpace(ostree(t, "commit", "--repo="+theirs, "--branch="+testRef, "--parent=none", "--no-bindings",
		fmt.Sprintf("--timestamp=@%d", ts), "--subject=Test 41",
		"--add-metadata-string=version=41", "--add-metadata-string=strata.compose=Test-41",
		"--add-metadata-string=rpmostree.inputhash="+strings.Trim(meta("rpmostree.inputhash"), "'"),
		"--add-metadata-string=ostree.linux=6.1.0-1.x86_64",
		"--add-metadata=rpmostree.rpmdb.pkglist="+meta("rpmostree.rpmdb.pkglist"),
		"--add-metadata=ostree.bootable=true", checkout))
	if got != commit {
		t.Errorf("ostree commit of the checkout gives %s, strata committed %s", got, commit)
		t.Log(ostree(t, "diff", "--repo="+theirs, got, checkout))
	}
}

func paths(pkgs []sdk.Package) []string {
	var out []string
	for _, p := range pkgs {
		out = append(out, p.Path)
	}
	return out
}

// layOutForOstree moves what rpm installed where an ostree host keeps it.
func layOutForOstree(t *testing.T, root string) {
	t.Helper()
	script := `set -e
mv etc usr/etc
rm -rf var/* var/.[!.]* 2>/dev/null || true
mkdir -p usr/lib/modules/6.1.0-1.x86_64 usr/lib/tmpfiles.d usr/lib/sysimage/rpm sysroot
mv boot/vmlinuz-6.1.0-1.x86_64 usr/lib/modules/6.1.0-1.x86_64/vmlinuz
mv boot/initramfs-6.1.0-1.x86_64.img usr/lib/modules/6.1.0-1.x86_64/initramfs.img
ln -s sysroot/ostree ostree
printf '%s\n' '# What the packages of this commit install under /var, made at boot.' \
  'd /var/lib 0755 root root - -' 'd /var/lib/setup 0700 daemon adm - -' 'd /var/log 0755 root root - -' \
  'L /var/run - - - - ../run' > usr/lib/tmpfiles.d/strata-autovar.conf
`
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("laying out the oracle: %v\n%s", err, out)
	}
}
