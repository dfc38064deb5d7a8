package oci

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/host"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// ts is the timestamp of every test build.
const ts = 1700000000

// buildRPMs writes packages into dir and describes them for arch; they
// are built before the images' timestamp.
func buildRPMs(t *testing.T, dir, arch string, rpms ...sdktest.RPM) []sdk.Package {
	t.Helper()
	for i := range rpms {
		if rpms[i].BuildTime == 0 {
			rpms[i].BuildTime = ts - 100
		}
	}
	return sdktest.Packages(t, dir, arch, rpms...)
}

// attrs is an artifact body: the schema's attributes, null unless set.
func attrs(set map[string]cty.Value) cty.Value { return sdktest.Attrs(attributes(), set) }

// build runs a build over the protocol, in process.
func build(t *testing.T, addr string, config cty.Value, pkgs []sdk.Package, inputs ...sdk.Input) (*host.BuildResult, string) {
	t.Helper()
	client := sdktest.Connect(t, Plugin())
	out := t.TempDir()
	res, err := client.Build(context.Background(), "oci", &sdk.BuildRequest{
		Address: addr, Config: config, Packages: pkgs, Inputs: inputs, OutputDir: out, WorkDir: t.TempDir(),
		Timestamp: ts, Compose: sdk.Compose{Name: "Test", Short: "Test", Version: "41"},
	}, &sdktest.Recorder{})
	if err != nil {
		t.Fatalf("building %s: %v", addr, err)
	}
	return res, out
}

// asInput describes a built image as the input of another.
func asInput(addr, dir string, res *host.BuildResult, pkgs []sdk.Package) sdk.Input {
	return sdk.Input{Address: addr, Type: "oci", Key: "k-" + addr, Path: dir, Outputs: res.Outputs, Packages: pkgs}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	return sdktest.Run(t, name, args...)
}

// skopeoInspect returns what skopeo inspect says of an image reference.
func skopeoInspect(t *testing.T, args ...string) map[string]any {
	t.Helper()
	var v map[string]any
	out := run(t, "skopeo", append([]string{"inspect"}, args...)...)
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("skopeo inspect: %v\n%s", err, out)
	}
	return v
}

// unpack unpacks an image with umoci and returns its root filesystem.
func unpack(t *testing.T, ref string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bundle")
	run(t, "umoci", "unpack", "--rootless", "--image", ref, dir)
	return filepath.Join(dir, "rootfs")
}

// rpmQA lists the packages of the rpm database in root.
func rpmQA(t *testing.T, root string) []string {
	t.Helper()
	out := run(t, "rpm", "--root="+root, "--dbpath=/usr/lib/sysimage/rpm", "-qa", "--qf", "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\n")
	return sortedLines(out)
}

func sortedLines(s string) []string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	sort.Strings(lines)
	return lines
}

// layerListing lists the paths in one layer blob of a layout.
func layerListing(t *testing.T, layoutDir, digest string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(layoutDir, "blobs", "sha256", strings.TrimPrefix(digest, "sha256:")))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var out []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, h.Name)
	}
}
