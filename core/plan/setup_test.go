package plan

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/internal/rig/genrpm"
)

// probeDir builds the probe plugin once per test binary.
var probeDir string

func buildProbe(tb testing.TB) string {
	tb.Helper()
	if probeDir != "" {
		return probeDir
	}
	dir, err := os.MkdirTemp("", "strata-probe-")
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "strata-plugin-probe"), "../../internal/rig/probe")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("building the probe plugin: %v\n%s", err, out)
	}
	probeDir = dir
	return dir
}

// universe writes a configuration of modules modules over n packages
// (n/modules per module, each requiring the one before it in its module,
// so every module is closed) and artifacts artifacts of perArtifact
// modules each.
func universe(tb testing.TB, dir string, n, modules, artifacts, perArtifact int) {
	tb.Helper()
	var specs []genrpm.Spec
	var cfg strings.Builder
	cfg.WriteString("compose {\n  name = \"Bench\"\n  version = \"1\"\n  arches = [\"x86_64\"]\n}\nsource \"rpm_dir\" \"all\" {\n  path = \"rpms\"\n}\n")
	per := n / modules
	for m := 0; m < modules; m++ {
		var names []string
		for i := 0; i < per; i++ {
			name := fmt.Sprintf("pkg-m%03d-%03d", m, i)
			s := genrpm.Spec{Name: name, Version: "1.0", Release: "1", Arch: "x86_64",
				Provides: []string{fmt.Sprintf("lib%s.so.1()(64bit)", name)}}
			if i > 0 {
				prev := fmt.Sprintf("pkg-m%03d-%03d", m, i-1)
				s.Requires = []string{fmt.Sprintf("lib%s.so.1()(64bit)", prev), prev + " >= 1.0"}
			}
			specs = append(specs, s)
			names = append(names, fmt.Sprintf("%q", name))
		}
		fmt.Fprintf(&cfg, "group \"g%03d\" {\n  mandatory = [%s]\n}\nmodule \"m%03d\" {\n  stream = \"1\"\n  version = %d\n  groups = [group.g%03d]\n}\n",
			m, strings.Join(names, ", "), m, 20260000+m, m)
	}
	for a := 0; a < artifacts; a++ {
		var mods []string
		for k := 0; k < perArtifact; k++ {
			mods = append(mods, fmt.Sprintf("module.m%03d", (a*7+k*13)%modules))
		}
		fmt.Fprintf(&cfg, "artifact \"probe\" \"a%03d\" {\n  modules = [%s]\n  message = \"artifact %d\"\n}\n", a, strings.Join(mods, ", "), a)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(cfg.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := genrpm.Write(filepath.Join(dir, "rpms"), specs); err != nil {
		tb.Fatal(err)
	}
}

// newPlan plans the configuration in dir with the probe plugin.
func newPlan(tb testing.TB, dir string) (*Plan, *plugins.Manager) {
	tb.Helper()
	cfg, diags := dsl.Load(dir)
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	st, err := store.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	mgr := &plugins.Manager{Dirs: []plugins.SearchDir{{Path: buildProbe(tb), Why: "test"}}, Unlocked: true,
		SchemaCache: filepath.Join(st.CacheDir(), "schemas")} // as strata's commands keep them
	p, diags := New(context.Background(), Options{Config: cfg, Plugins: mgr, Store: st, Date: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if diags.HasErrors() {
		mgr.Close()
		tb.Fatal(diags)
	}
	return p, mgr
}
