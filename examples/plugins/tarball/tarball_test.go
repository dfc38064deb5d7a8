package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// The plugin, driven over the real protocol in process as strata drives
// it: two builds of the same packages give the same bytes, and the
// archive holds the payloads.
func TestBuildIsReproducible(t *testing.T) {
	client := sdktest.Connect(t, &sdk.Plugin{Name: "tarball", Version: version, Types: map[string]sdk.Type{"tarball": tarball{}}})
	dir := t.TempDir()
	var pkgs []sdk.Package
	for _, r := range []sdktest.RPM{
		{Name: "hello", Version: "1", Release: "1", BuildTime: 1700000000, Files: []sdktest.File{
			{Path: "/usr/bin/hello", Body: "#!/bin/sh\necho hello\n", Mode: 0o755},
			{Path: "/usr/bin/hi", Body: "hello", Mode: 0o120777},
		}},
	} {
		p, err := sdktest.BuildRPM(dir, r)
		if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, sdk.Package{Name: r.Name, Path: p})
	}
	config := cty.ObjectVal(map[string]cty.Value{"filename": cty.StringVal("root.tar.gz"), "compression": cty.NullVal(cty.String)})
	var sums []string
	for i := 0; i < 2; i++ {
		out, work := t.TempDir(), t.TempDir()
		rec := &sdktest.Recorder{}
		res, err := client.Build(context.Background(), "tarball", &sdk.BuildRequest{
			Address: "artifact.tarball.t", Config: config, Packages: pkgs, OutputDir: out, WorkDir: work, Timestamp: 1700000000,
		}, rec)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Manifest) != 1 || res.Manifest[0].Path != "root.tar.gz" {
			t.Fatalf("manifest: %+v", res.Manifest)
		}
		if done, total := rec.LastProgress(); done != total || total == 0 {
			t.Errorf("progress ended at %d/%d", done, total)
		}
		sums = append(sums, res.Outputs.GetAttr("sha256").AsString())
		if i == 0 {
			checkArchive(t, filepath.Join(out, "root.tar.gz"))
		}
	}
	if sums[0] != sums[1] {
		t.Errorf("two builds differ: %s, %s", sums[0], sums[1])
	}
}

func checkArchive(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	got := map[string]*tar.Header{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got[h.Name] = h
	}
	if h := got["usr/bin/hello"]; h == nil || h.Mode != 0o755 || h.Size != 21 {
		t.Errorf("usr/bin/hello: %+v", h)
	}
	if h := got["usr/bin/hi"]; h == nil || h.Typeflag != tar.TypeSymlink || h.Linkname != "hello" {
		t.Errorf("usr/bin/hi: %+v", h)
	}
}

// Validation points at the attribute at fault.
func TestValidate(t *testing.T) {
	client := sdktest.Connect(t, &sdk.Plugin{Name: "tarball", Version: version, Types: map[string]sdk.Type{"tarball": tarball{}}})
	diags, err := client.Validate(context.Background(), "tarball", cty.ObjectVal(map[string]cty.Value{
		"filename": cty.StringVal("../escape.tar"), "compression": cty.StringVal("bzip3"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]bool{}
	for _, d := range diags {
		paths[d.Path[0].(cty.GetAttrStep).Name] = true
	}
	if len(diags) != 2 || !paths["filename"] || !paths["compression"] {
		t.Errorf("diagnostics: %+v", diags)
	}
}
