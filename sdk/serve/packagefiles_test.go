package serve_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// placer writes index.txt and leaves the package files it is told to
// strata.
type placer struct{ named map[string]string }

func (placer) Schema() sdk.Schema                                  { return sdk.Schema{} }
func (placer) Validate(context.Context, cty.Value) sdk.Diagnostics { return nil }
func (placer) Plan(context.Context, *sdk.PlanRequest) (*sdk.PlanResponse, sdk.Diagnostics) {
	return &sdk.PlanResponse{}, nil
}

func (p placer) Build(_ context.Context, req *sdk.BuildRequest, _ sdk.Reporter) (*sdk.BuildResponse, error) {
	if err := os.WriteFile(filepath.Join(req.OutputDir, "index.txt"), []byte("index\n"), 0o644); err != nil {
		return nil, err
	}
	return &sdk.BuildResponse{Outputs: cty.EmptyObjectVal, PackageFiles: p.named}, nil
}

// Package files reach strata beside the manifest of what the plugin
// wrote, when the request allows them; a path that leaves the output, or
// that the plugin also wrote, fails the build, as does naming any when
// the request does not allow it.
func TestPackageFiles(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	for _, c := range []struct {
		named map[string]string
		pool  bool
		want  string
	}{
		{map[string]string{"Packages/a.rpm": sum}, true, ""},
		{map[string]string{"Packages/a.rpm": sum}, false, "which this build did not allow"},
		{map[string]string{"../a.rpm": sum}, true, "is not a clean relative path"},
		{map[string]string{"index.txt": sum}, true, "index.txt is both written and named as a package file"},
	} {
		client := sdktest.Connect(t, &sdk.Plugin{Name: "placer", Version: "1.0.0", Types: map[string]sdk.Type{"placer": placer{c.named}}})
		res, err := client.Build(context.Background(), "placer", &sdk.BuildRequest{
			Address: "artifact.placer.x", Config: cty.EmptyObjectVal, OutputDir: t.TempDir(), WorkDir: t.TempDir(), PoolPackages: c.pool,
		}, &sdktest.Recorder{})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v", c.named, err)
		case c.want == "" && (len(res.Manifest) != 1 || res.PackageFiles["Packages/a.rpm"] != sum):
			t.Errorf("%v: manifest %+v, package files %v", c.named, res.Manifest, res.PackageFiles)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%v (pool %v): %v, want %q", c.named, c.pool, err, c.want)
		}
	}
}
