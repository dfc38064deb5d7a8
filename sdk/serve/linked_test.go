package serve_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/manifest"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// linker builds by hard-linking its previous build's files, replacing
// one of them and writing one more.
type linker struct{}

func (linker) Schema() sdk.Schema                                  { return sdk.Schema{} }
func (linker) Validate(context.Context, cty.Value) sdk.Diagnostics { return nil }
func (linker) Plan(context.Context, *sdk.PlanRequest) (*sdk.PlanResponse, sdk.Diagnostics) {
	return &sdk.PlanResponse{}, nil
}

func (linker) Build(_ context.Context, req *sdk.BuildRequest, _ sdk.Reporter) (*sdk.BuildResponse, error) {
	for _, f := range req.Previous.Manifest {
		if err := os.Link(filepath.Join(req.Previous.Path, f.Path), filepath.Join(req.OutputDir, f.Path)); err != nil {
			return nil, err
		}
	}
	replaced := filepath.Join(req.OutputDir, "replaced")
	if err := os.Remove(replaced); err != nil {
		return nil, err
	}
	if err := os.WriteFile(replaced, []byte("grown more\n"), 0o644); err != nil {
		return nil, err
	}
	return &sdk.BuildResponse{Outputs: cty.EmptyObjectVal}, os.WriteFile(filepath.Join(req.OutputDir, "new"), []byte("new\n"), 0o644)
}

// The files a build links from its previous build keep the digests, sizes
// and modes the manifest recorded and are not read again; a file written
// anew in place of a linked one, and a new file, are hashed.
func TestPreviousDigestsAreKept(t *testing.T) {
	prev := t.TempDir()
	for name, body := range map[string]string{"kept": "kept\n", "replaced": "grown\n"} {
		if err := os.WriteFile(filepath.Join(prev, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The recorded digests are of other content, so that reading the
	// files again would show.
	recorded := []manifest.File{
		{Path: "kept", Size: 5, SHA256: "recorded kept", Mode: 0o600},
		{Path: "replaced", Size: 6, SHA256: "recorded replaced", Mode: 0o644},
	}
	client := sdktest.Connect(t, &sdk.Plugin{Name: "linker", Version: "1.0.0", Types: map[string]sdk.Type{"linker": linker{}}})
	res, err := client.Build(context.Background(), "linker", &sdk.BuildRequest{
		Address: "artifact.linker.x", Config: cty.EmptyObjectVal, OutputDir: t.TempDir(), WorkDir: t.TempDir(),
		Previous: &sdk.Input{Address: "artifact.linker.x", Type: "linker", Path: prev, Manifest: recorded},
	}, &sdktest.Recorder{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]manifest.File{
		"kept":     {Path: "kept", Size: 5, SHA256: "recorded kept", Mode: 0o600},
		"replaced": {Path: "replaced", Size: 11, SHA256: "30f0df75a531b1d97a7d2a032111d175f7bbf3de948e391efc05bdc045d7e835", Mode: 0o644},
		"new":      {Path: "new", Size: 4, SHA256: "7aa7a5359173d05b63cfd682e3c38487f3cb4f7f1d60659fe59fab1505977d4c", Mode: 0o644},
	}
	for _, f := range res.Manifest {
		if want[f.Path] != f {
			t.Errorf("%+v, want %+v", f, want[f.Path])
		}
	}
	if len(res.Manifest) != len(want) {
		t.Errorf("manifest: %+v", res.Manifest)
	}
}
