package ostree

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk"
	pluginhost "github.com/strata-build/strata/sdk/host"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// ts is the timestamp of every test build.
const ts = 1700000000

const testRef = "test/41/x86_64/host"

// hostPackages are real RPMs from rpm's and createrepo_c's suites (hard
// links, capabilities, UTF-8) and generated ones: the tree's passwd, a
// setuid file, configuration under /etc, content under /var, and a
// kernel with its initramfs in /boot.
func hostPackages(t *testing.T) []sdk.Package {
	t.Helper()
	shared := filepath.Join(sdktest.SharedTestdata(t), "rpms")
	var pkgs []sdk.Package
	for _, n := range []string{"hlinktest-1.0-1.noarch", "capstest-1.0-1.noarch", "Archer-3.4.5-6.x86_64", "balicek-utf8-1.1.1-1.x86_64"} {
		pkgs = append(pkgs, sdktest.Package(t, filepath.Join(shared, n+".rpm"), "x86_64"))
	}
	return append(pkgs, sdktest.Packages(t, t.TempDir(), "x86_64",
		sdktest.RPM{Name: "setup", Version: "1", Release: "1", BuildTime: ts - 100, Files: []sdktest.File{
			{Path: "/etc/passwd", Body: "root:x:0:0::/root:/bin/sh\ndaemon:x:2:2::/:/sbin/nologin\n"},
			{Path: "/etc/group", Body: "root:x:0:\nadm:x:4:\n"},
			{Path: "/lib", Body: "usr/lib", Mode: 0o120777},
			{Path: "/usr/lib", Mode: 0o040555},
			{Path: "/var/lib/setup", Mode: 0o040700, Owner: "daemon", Group: "adm"},
			{Path: "/var/run", Body: "../run", Mode: 0o120777},
		}},
		sdktest.RPM{Name: "tools", Version: "2.0", Release: "1", Arch: "x86_64", Compressor: "zstd", BuildTime: ts - 50,
			Requires: []string{"setup"}, Files: []sdktest.File{
				{Path: "/usr/bin/ping", Body: "ELF ping", Mode: 0o4755, Caps: "cap_net_raw=ep"},
				{Path: "/usr/bin/pong", Body: "ELF pong", Mode: 0o2711, Owner: "daemon", Group: "adm"},
				{Path: "/etc/tools.conf", Body: "verbose = 1\n", Config: true},
				{Path: "/var/log/tools.log", Body: "a log the image should not carry\n"},
				{Path: "/usr/share/empty", Body: ""},
			}},
		sdktest.RPM{Name: "kernel", Version: "6.1.0", Release: "1", Arch: "x86_64", BuildTime: ts - 10, Files: []sdktest.File{
			{Path: "/boot/vmlinuz-6.1.0-1.x86_64", Body: "MZ a kernel", Mode: 0o755},
			{Path: "/boot/initramfs-6.1.0-1.x86_64.img", Body: "an initramfs"},
			{Path: "/usr/lib/modules/6.1.0-1.x86_64/modules.dep", Body: ""},
		}},
	)...)
}

// request asks to commit pkgs into a new output directory, starting
// from the repository of previous (a directory holding repo/) if any.
func request(t *testing.T, config cty.Value, pkgs []sdk.Package, previous string) *sdk.BuildRequest {
	t.Helper()
	req := &sdk.BuildRequest{
		Address: "artifact.ostree.host", Config: config, Packages: pkgs, OutputDir: t.TempDir(), WorkDir: t.TempDir(),
		Timestamp: ts, Compose: sdk.Compose{Name: "Test", Short: "Test", Version: "41"},
	}
	if previous != "" {
		req.Previous = &sdk.Input{Address: req.Address, Type: "ostree", Key: "previous", Path: previous}
	}
	return req
}

// run builds req over the protocol, in process.
func run(t *testing.T, req *sdk.BuildRequest) (*pluginhost.BuildResult, error) {
	t.Helper()
	return sdktest.Connect(t, Plugin()).Build(context.Background(), "ostree", req, &sdktest.Recorder{})
}

// build commits pkgs into a new output directory, starting from the
// repository of previous if any.
func build(t *testing.T, config cty.Value, pkgs []sdk.Package, previous string) (*pluginhost.BuildResult, string, error) {
	t.Helper()
	req := request(t, config, pkgs, previous)
	res, err := run(t, req)
	return res, req.OutputDir, err
}

func mustBuild(t *testing.T, config cty.Value, pkgs []sdk.Package, previous string) (string, string) {
	t.Helper()
	res, out, err := build(t, config, pkgs, previous)
	if err != nil {
		t.Fatal(err)
	}
	return res.Outputs.GetAttr("commit").AsString(), out
}

func attrs(set map[string]cty.Value) cty.Value { return sdktest.Attrs(attributes(), set) }

func ostree(t *testing.T, args ...string) string {
	t.Helper()
	return sdktest.Run(t, "ostree", args...)
}

// withoutTimes drops what ostree does not keep from a tree listing:
// modification times and which paths are hard links of each other.
func withoutTimes(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		var kept []string
		for _, f := range strings.Fields(l) {
			if !strings.HasPrefix(f, "mtime=") && !strings.HasPrefix(f, "hardlink=") {
				kept = append(kept, f)
			}
		}
		out[i] = strings.Join(kept, " ")
	}
	return out
}
