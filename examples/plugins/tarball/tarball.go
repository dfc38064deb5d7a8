package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/rootfs"
	"github.com/zclconf/go-cty/cty"
)

// tarball is the artifact type: a root filesystem as a .tar.gz.
type tarball struct{}

func (tarball) Schema() sdk.Schema {
	return sdk.Schema{
		Description: "A reproducible root filesystem archive of the selected packages' payloads.",
		Packages:    true,
		Block: sdk.Block{Attributes: []sdk.Attribute{
			{Name: "filename", Type: cty.String, Description: `Name of the archive; default "rootfs.tar.gz".`},
			{Name: "compression", Type: cty.String, Description: `"gzip" (default) or "none".`},
		}},
	}
}

type config struct {
	filename    string
	compression string
}

// decode reads a configuration; unknown values stay empty.
func decode(v cty.Value) config {
	c := config{filename: "rootfs.tar.gz", compression: "gzip"}
	if s := str(v, "compression"); s != "" {
		c.compression = s
		if s == "none" {
			c.filename = "rootfs.tar"
		}
	}
	if s := str(v, "filename"); s != "" {
		c.filename = s
	}
	return c
}

func str(v cty.Value, attr string) string {
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute(attr) {
		return ""
	}
	a := v.GetAttr(attr)
	if a.IsNull() || !a.IsKnown() {
		return ""
	}
	return a.AsString()
}

func (tarball) Validate(_ context.Context, v cty.Value) sdk.Diagnostics {
	var diags sdk.Diagnostics
	c := decode(v)
	if c.compression != "gzip" && c.compression != "none" {
		diags = append(diags, sdk.Errorf(cty.GetAttrPath("compression"), "Unsupported compression",
			"compression must be \"gzip\" or \"none\", not %q.", c.compression))
	}
	if c.filename != filepath.Base(c.filename) || strings.HasPrefix(c.filename, ".") {
		diags = append(diags, sdk.Errorf(cty.GetAttrPath("filename"), "Invalid file name",
			"filename must be a plain file name such as \"rootfs.tar.gz\", not %q.", c.filename))
	}
	return diags
}

func (t tarball) Plan(_ context.Context, req *sdk.PlanRequest) (*sdk.PlanResponse, sdk.Diagnostics) {
	c := decode(req.Config)
	return &sdk.PlanResponse{Outputs: cty.ObjectVal(map[string]cty.Value{
		"file":     cty.StringVal(c.filename),
		"sha256":   cty.UnknownVal(cty.String),
		"size":     cty.UnknownVal(cty.Number),
		"packages": cty.NumberIntVal(int64(len(req.Packages))),
	})}, nil
}

func (tarball) Build(ctx context.Context, req *sdk.BuildRequest, r sdk.Reporter) (*sdk.BuildResponse, error) {
	c := decode(req.Config)
	r.Progress(0, 2, fmt.Sprintf("assembling %d packages", len(req.Packages)))
	tree, err := rootfs.Assemble(ctx, req.Packages, req.WorkDir)
	if err != nil {
		return nil, err
	}
	for _, w := range tree.Warnings {
		r.Log("warn", w)
	}
	r.Progress(1, 2, "writing "+c.filename)
	sum, size, err := write(ctx, filepath.Join(req.OutputDir, c.filename), c.compression, tree, req.Timestamp)
	if err != nil {
		return nil, err
	}
	r.Progress(2, 2, "done")
	return &sdk.BuildResponse{Outputs: cty.ObjectVal(map[string]cty.Value{
		"file":     cty.StringVal(c.filename),
		"sha256":   cty.StringVal(sum),
		"size":     cty.NumberIntVal(size),
		"packages": cty.NumberIntVal(int64(len(req.Packages))),
	})}, nil
}

// write writes the archive and returns its sha256 and size. The gzip
// header carries no name and no time, so the bytes depend only on the tree.
func write(ctx context.Context, path, compression string, tree *rootfs.Tree, mtime int64) (string, int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	counter := &countWriter{}
	bw := bufio.NewWriterSize(io.MultiWriter(f, h, counter), 1<<20)
	var w io.Writer = bw
	var zw *gzip.Writer
	if compression == "gzip" {
		zw, _ = gzip.NewWriterLevel(bw, gzip.BestCompression)
		w = zw
	}
	if err := rootfs.WriteTar(ctx, w, tree, rootfs.TarOptions{MTime: mtime}); err != nil {
		return "", 0, err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return "", 0, err
		}
	}
	if err := bw.Flush(); err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), counter.n, f.Close()
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(b []byte) (int, error) {
	c.n += int64(len(b))
	return len(b), nil
}
