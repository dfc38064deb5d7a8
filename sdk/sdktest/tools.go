package sdktest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// NeedTool returns the path of a command a test needs. When the command is
// missing the test is skipped, naming the Debian package that brings it,
// except under CI (CI set in the environment), where a missing tool is a
// failure: CI installs every tool a test uses.
func NeedTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	missing(t, fmt.Sprintf("%s is not installed (Debian package %s; make test-deps installs every judge)", name, debianPackage(name)))
	return ""
}

// missing skips the test for what it lacks, or fails it under CI.
func missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s; .ci/run must provide it", what)
	}
	t.Skip(what)
}

// debianPackages are the packages of the commands tests run, where the
// package is not named after the command.
var debianPackages = map[string]string{
	"createrepo_c": "createrepo-c", "mergerepo_c": "createrepo-c", "modulemd-validator": "libmodulemd-tools",
	"dot": "graphviz", "isoinfo": "genisoimage", "checkisomd5": "isomd5sum", "implantisomd5": "isomd5sum",
	"qemu-system-x86_64": "qemu-system-x86", "setcap": "libcap2-bin", "grub-mkstandalone": "grub-efi-amd64-bin",
	"mkfs.vfat": "dosfstools", "mmd": "mtools", "mcopy": "mtools", "rpmkeys": "rpm", "rpmbuild": "rpm",
	"repoclosure": "dnf-plugins-core",
}

func debianPackage(cmd string) string {
	if p, ok := debianPackages[cmd]; ok {
		return p
	}
	return cmd
}

// SharedTestdata returns the path of the shared test data directory
// (shared/testdata beside the project checkout), found by walking up from
// the calling test's directory. Without it (a clone on its own) the test
// is skipped, except under CI.
func SharedTestdata(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	for dir := filepath.Dir(file); ; {
		cand := filepath.Join(dir, "..", "shared", "testdata")
		if st, err := os.Stat(cand); err == nil && st.IsDir() {
			return filepath.Clean(cand)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			missing(t, "the real-world corpus shared/testdata is not beside this checkout (only the project's CI has it)")
			return ""
		}
		dir = parent
	}
}
