// Command strata-plugin-probe is the plugin strata's end-to-end tests
// build and drive: artifact type "probe" writes a report of what it was
// given (configuration, packages, inputs), and misbehaves on request, as
// real plugins sometimes do: it crashes, hangs, fails, sleeps, or speaks
// another protocol version (PROBE_PROTOCOL=2).
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-plugin"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/host"
	"github.com/strata-build/strata/sdk/serve"
	"github.com/zclconf/go-cty/cty"
)

func main() {
	p := &sdk.Plugin{Name: "probe", Version: envOr("PROBE_VERSION", "0.1.0"), Types: map[string]sdk.Type{"probe": probe{}}}
	if v := os.Getenv("PROBE_PROTOCOL"); v != "" {
		hs := host.Handshake
		n, _ := strconv.Atoi(v)
		hs.ProtocolVersion = uint(n)
		plugin.Serve(&plugin.ServeConfig{HandshakeConfig: hs, Plugins: serve.PluginSet(p), GRPCServer: plugin.DefaultGRPCServer})
		return
	}
	if os.Getenv("PROBE_HANG_START") != "" {
		time.Sleep(time.Hour)
	}
	serve.Plugin(p)
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

type probe struct{}

func (probe) Schema() sdk.Schema {
	return sdk.Schema{Packages: true, Block: sdk.Block{
		Attributes: []sdk.Attribute{
			{Name: "message", Type: cty.String},
			{Name: "behavior", Type: cty.String, Description: "crash, hang, fail, sleep:DURATION, write-previous, write-outside:PATH, read-outside:PATH, wrong-outputs, or empty"},
			{Name: "input", Type: cty.DynamicPseudoType},
			{Name: "number", Type: cty.Number},
		},
		Blocks: []sdk.NestedBlock{{Name: "extra", Nesting: sdk.NestingList, Block: sdk.Block{
			Attributes: []sdk.Attribute{{Name: "label", Type: cty.String, Required: true}},
		}}},
	}}
}

func attr(v cty.Value, name string) cty.Value {
	if v.IsNull() || !v.IsKnown() || !v.Type().HasAttribute(name) {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return v.GetAttr(name)
}

func (probe) Validate(_ context.Context, v cty.Value) sdk.Diagnostics {
	var diags sdk.Diagnostics
	if m := attr(v, "message"); m.IsKnown() && !m.IsNull() && strings.Contains(m.AsString(), "forbidden") {
		diags = append(diags, sdk.Errorf(cty.GetAttrPath("message"), "Forbidden message", "The message may not contain \"forbidden\"."))
	}
	if ex := attr(v, "extra"); ex.IsKnown() && !ex.IsNull() {
		for i, e := range ex.AsValueSlice() {
			if l := attr(e, "label"); l.IsKnown() && !l.IsNull() && l.AsString() == "" {
				diags = append(diags, sdk.Errorf(cty.GetAttrPath("extra").IndexInt(i).GetAttr("label"), "Empty label", "A label may not be empty."))
			}
		}
	}
	return diags
}

func (probe) Plan(_ context.Context, req *sdk.PlanRequest) (*sdk.PlanResponse, sdk.Diagnostics) {
	if b := attr(req.Config, "behavior"); b.IsKnown() && !b.IsNull() && b.AsString() == "crash-plan" {
		panic("probe asked to crash while planning")
	}
	return &sdk.PlanResponse{Outputs: cty.ObjectVal(map[string]cty.Value{
		"digest": cty.UnknownVal(cty.String), "message": attr(req.Config, "message"),
	})}, nil
}

func (probe) Build(ctx context.Context, req *sdk.BuildRequest, r sdk.Reporter) (*sdk.BuildResponse, error) {
	behavior := ""
	if b := attr(req.Config, "behavior"); !b.IsNull() {
		behavior = b.AsString()
	}
	switch {
	case behavior == "crash":
		panic("probe asked to crash while building")
	case behavior == "hang":
		time.Sleep(time.Hour)
	case behavior == "fail":
		return nil, errors.New("probe asked to fail")
	case behavior == "write-previous" && req.Previous != nil:
		// Links the previous build's report in, then writes through the
		// link: the store entry it came from changes with it.
		out := filepath.Join(req.OutputDir, "report.txt")
		if err := os.Link(filepath.Join(req.Previous.Path, "report.txt"), out); err != nil {
			return nil, err
		}
		os.Chmod(out, 0o644)
		f, err := os.OpenFile(out, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(f, "written through\n")
		f.Close()
		return &sdk.BuildResponse{Outputs: cty.ObjectVal(map[string]cty.Value{
			"digest": cty.StringVal("through"), "message": attr(req.Config, "message")})}, nil
	case strings.HasPrefix(behavior, "write-outside:"):
		if err := os.WriteFile(strings.TrimPrefix(behavior, "write-outside:"), []byte("escaped"), 0o644); err != nil {
			return nil, err
		}
	case strings.HasPrefix(behavior, "read-outside:"):
		if _, err := os.ReadFile(strings.TrimPrefix(behavior, "read-outside:")); err != nil {
			return nil, err
		}
	case behavior == "wrong-outputs":
		os.WriteFile(filepath.Join(req.OutputDir, "report.txt"), []byte("x"), 0o644)
		return &sdk.BuildResponse{Outputs: cty.ObjectVal(map[string]cty.Value{
			"digest": cty.NumberIntVal(42), "message": attr(req.Config, "message"), "extra": cty.True})}, nil
	case strings.HasPrefix(behavior, "sleep:"):
		d, _ := time.ParseDuration(strings.TrimPrefix(behavior, "sleep:"))
		os.WriteFile(filepath.Join(req.OutputDir, "partial"), []byte("half written"), 0o644)
		r.Progress(0, 1, "sleeping")
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "address %s\ntimestamp %d\nmessage %s\n", req.Address, req.Timestamp, attr(req.Config, "message").GoString())
	for _, p := range req.Packages {
		fmt.Fprintf(&b, "package %s %s %s modules=%s\n", p.TargetArch, p.NEVRA(), p.SHA256, strings.Join(p.Modules, ","))
	}
	for _, in := range req.Inputs {
		fmt.Fprintf(&b, "input %s %s %s packages=%d\n", in.Address, in.Key, in.Outputs.GetAttr("digest").AsString(), len(in.Packages))
	}
	if in := attr(req.Config, "input"); !in.IsNull() {
		fmt.Fprintf(&b, "input-value %s\n", in.GoString())
	}
	os.Remove(filepath.Join(req.OutputDir, "partial"))
	if err := os.WriteFile(filepath.Join(req.OutputDir, "report.txt"), []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(b.String()))
	r.Progress(1, 1, "report written")
	r.Log("warn", "probe built "+req.Address)
	return &sdk.BuildResponse{Outputs: cty.ObjectVal(map[string]cty.Value{
		"digest": cty.StringVal(hex.EncodeToString(sum[:])), "message": attr(req.Config, "message"),
	})}, nil
}
