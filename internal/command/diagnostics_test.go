package command_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestDiagnostics")

// Every kind of bad configuration gets a clear error with its file and
// line; testdata/diagnostics/NAME/ holds the configuration and the
// expected output of strata validate (go test -update rewrites them).
func TestDiagnostics(t *testing.T) {
	dirs, err := os.ReadDir("testdata/diagnostics")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		t.Run(d.Name(), func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "diagnostics", d.Name(), "main.hcl"))
			if err != nil {
				t.Fatal(err)
			}
			p := newProject(t, map[string]string{"main.hcl": string(src)}, nil)
			p.run("init") // records the probe plugin where the configuration parses
			stdout, stderr, code := p.run("validate")
			if code != 1 {
				t.Fatalf("validate exited %d, want 1\n%s%s", code, stdout, stderr)
			}
			golden := filepath.Join("testdata", "diagnostics", d.Name(), "validate.golden")
			if *update {
				if err := os.WriteFile(golden, []byte(stderr), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), stderr); diff != "" {
				t.Errorf("validate's diagnostics changed (-golden +now):\n%s", diff)
			}
		})
	}
}
