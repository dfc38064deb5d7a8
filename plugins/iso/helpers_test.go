package iso

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-build/strata/plugins/ostree"
	"github.com/strata-build/strata/plugins/yumrepo"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/host"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// ts is the timestamp of every test build.
const ts = 1700000000

var testCompose = sdk.Compose{Name: "Test", Short: "Test", Version: "41", Type: "production"}

// testPackages are real RPMs from rpm's suite and generated ones, one
// with a UTF-8 name and a long file name, for x86_64.
func testPackages(t *testing.T) []sdk.Package {
	t.Helper()
	shared := filepath.Join(sdktest.SharedTestdata(t), "rpms")
	var pkgs []sdk.Package
	for _, n := range []string{"hlinktest-1.0-1.noarch", "balicek-utf8-1.1.1-1.x86_64"} {
		pkgs = append(pkgs, sdktest.Package(t, filepath.Join(shared, n+".rpm"), "x86_64"))
	}
	return append(pkgs, sdktest.Packages(t, t.TempDir(), "x86_64",
		sdktest.RPM{Name: "setup", Version: "1", Release: "1", BuildTime: ts - 100, Files: []sdktest.File{
			{Path: "/etc/passwd", Body: "root:x:0:0::/root:/bin/sh\n"},
			{Path: "/etc/group", Body: "root:x:0:\n"},
		}},
		sdktest.RPM{Name: "a-package-with-a-name-longer-than-iso-9660-level-2-allows", Version: "2.0", Release: "1",
			Arch: "x86_64", BuildTime: ts - 50, Requires: []string{"setup"}, Files: []sdktest.File{
				{Path: "/usr/bin/tool", Body: "ELF tool", Mode: 0o755},
			}},
	)...)
}

// buildRepo builds a yum repository of pkgs with the yumrepo plugin, in
// process, and returns it as an input.
func buildRepo(t *testing.T, pkgs []sdk.Package) sdk.Input {
	t.Helper()
	p := yumrepo.Plugin()
	req := &sdk.BuildRequest{Address: "artifact.yumrepo.os", Packages: pkgs, OutputDir: t.TempDir(), WorkDir: t.TempDir(),
		CacheDir: t.TempDir(), Timestamp: ts, Compose: testCompose,
		Content: sdk.Content{Variant: &sdk.Variant{ID: "Server", UID: "Server", Name: "Test Server", Type: "variant", Arches: []string{"x86_64"}}},
		Config:  sdktest.Attrs(p.Types["yumrepo"].Schema().Block.Attributes, nil)}
	res, err := sdktest.Connect(t, p).Build(context.Background(), "yumrepo", req, &sdktest.Recorder{})
	if err != nil {
		t.Fatal(err)
	}
	return sdk.Input{Address: req.Address, Type: "yumrepo", Key: "repo", Path: req.OutputDir, Outputs: res.Outputs, Packages: pkgs}
}

// buildCommit commits pkgs with the ostree plugin, in process, and
// returns the commit as an input.
func buildCommit(t *testing.T, pkgs []sdk.Package, ref string) sdk.Input {
	t.Helper()
	p := ostree.Plugin()
	req := &sdk.BuildRequest{Address: "artifact.ostree.host", Packages: pkgs, OutputDir: t.TempDir(), WorkDir: t.TempDir(),
		CacheDir: t.TempDir(), Timestamp: ts, Compose: testCompose,
		Config: sdktest.Attrs(p.Types["ostree"].Schema().Block.Attributes, map[string]cty.Value{"ref": cty.StringVal(ref)})}
	res, err := sdktest.Connect(t, p).Build(context.Background(), "ostree", req, &sdktest.Recorder{})
	if err != nil {
		t.Fatal(err)
	}
	return sdk.Input{Address: req.Address, Type: "ostree", Key: "commit", Path: req.OutputDir, Outputs: res.Outputs, Packages: pkgs}
}

// body is an iso artifact body; boot is null unless set.
func body(set map[string]cty.Value) cty.Value {
	all := map[string]cty.Value{"boot": cty.NullVal(cty.DynamicPseudoType)}
	for k, v := range set {
		all[k] = v
	}
	return sdktest.Attrs(attributes(), all)
}

// bootBlock is a boot block for the tree at dir.
func bootBlock(dir string, set map[string]string) cty.Value {
	attrs := map[string]cty.Value{"tree": cty.StringVal(dir), "bios": cty.NullVal(cty.String), "efi": cty.NullVal(cty.String),
		"catalog": cty.NullVal(cty.String), "mbr": cty.NullVal(cty.String), "packages": cty.NullVal(cty.Bool),
		"cmdline": cty.NullVal(cty.String), "serial": cty.NullVal(cty.Bool)}
	if dir == "" {
		attrs["tree"] = cty.NullVal(cty.String)
	}
	for k, v := range set {
		attrs[k] = cty.StringVal(v)
		if k == "packages" || k == "serial" {
			attrs[k] = cty.BoolVal(v == "true")
		}
	}
	return cty.ObjectVal(attrs)
}

// buildISO builds the iso artifact addr from inputs, in process, into a
// fresh directory.
func buildISO(t *testing.T, addr string, cfg cty.Value, inputs ...sdk.Input) (*host.BuildResult, string, error) {
	t.Helper()
	return buildISOWith(t, addr, cfg, nil, inputs...)
}

// buildISOWith builds the iso artifact addr of pkgs from inputs.
func buildISOWith(t *testing.T, addr string, cfg cty.Value, pkgs []sdk.Package, inputs ...sdk.Input) (*host.BuildResult, string, error) {
	t.Helper()
	req := &sdk.BuildRequest{Address: addr, Config: cfg, Inputs: inputs, Packages: pkgs, OutputDir: t.TempDir(), WorkDir: t.TempDir(),
		CacheDir: t.TempDir(), Timestamp: ts, Compose: testCompose}
	res, err := sdktest.Connect(t, Plugin()).Build(context.Background(), "iso", req, &sdktest.Recorder{})
	return res, req.OutputDir, err
}

// extract unpacks an image with xorriso into a new directory.
func extract(t *testing.T, iso string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "x")
	sdktest.Run(t, "xorriso", "-osirrox", "on", "-indev", iso, "-extract", "/", dir)
	return dir
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// ref is what a reference to the input evaluates to in a configuration:
// its outputs with its address and type.
func ref(in sdk.Input) cty.Value {
	attrs := in.Outputs.AsValueMap()
	attrs["address"], attrs["type"] = cty.StringVal(in.Address), cty.StringVal(in.Type)
	return cty.ObjectVal(attrs)
}
