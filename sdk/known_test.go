package sdk_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// linker builds by hard-linking its previous build's files and writing
// one more.
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
	return &sdk.BuildResponse{Outputs: cty.EmptyObjectVal}, os.WriteFile(filepath.Join(req.OutputDir, "new"), []byte("new\n"), 0o644)
}

// The files a build links from its previous build keep the digests the
// manifest recorded and are not read again; a linked file whose size is
// not the recorded one, and a new file, are hashed.
func TestPreviousDigestsAreKept(t *testing.T) {
	prev := t.TempDir()
	for name, body := range map[string]string{"kept": "kept\n", "grown": "grown\n"} {
		if err := os.WriteFile(filepath.Join(prev, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The recorded digests are of other content, so that reading the
	// files again would show.
	recorded := []sdk.ManifestFile{
		{Path: "grown", Size: 3, SHA256: "recorded grown", Mode: 0o644},
		{Path: "kept", Size: 5, SHA256: "recorded kept", Mode: 0o644},
	}
	client := sdktest.Connect(t, &sdk.Plugin{Name: "linker", Version: "1.0.0", Types: map[string]sdk.Type{"linker": linker{}}})
	res, err := client.Build(context.Background(), "linker", &sdk.BuildRequest{
		Address: "artifact.linker.x", Config: cty.EmptyObjectVal, OutputDir: t.TempDir(), WorkDir: t.TempDir(),
		Previous: &sdk.Input{Address: "artifact.linker.x", Type: "linker", Path: prev, Manifest: recorded},
	}, &sdktest.Recorder{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"grown": "a49397ebbe47b8569eb06b5fc4c813bfd5331f6da06c27a312b89d59b1d63d20",
		"kept":  "recorded kept",
		"new":   "7aa7a5359173d05b63cfd682e3c38487f3cb4f7f1d60659fe59fab1505977d4c",
	}
	for _, f := range res.Manifest {
		if want[f.Path] != f.SHA256 {
			t.Errorf("%s: sha256 %s, want %s", f.Path, f.SHA256, want[f.Path])
		}
	}
	if len(res.Manifest) != len(want) {
		t.Errorf("manifest: %+v", res.Manifest)
	}
}
