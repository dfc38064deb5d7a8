package command_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/strata-build/strata/internal/rig/genrpm"
)

// binDir holds the strata binary and the plugins the tests use, built
// once; plugins sit beside strata, where strata looks for them.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "strata-e2e-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	for _, b := range []struct{ dir, pkg, out string }{
		{root, "./cmd/strata", "strata"},
		{root, "./internal/rig/probe", "strata-plugin-probe"},
		{filepath.Join(root, "examples", "plugins", "tarball"), ".", "strata-plugin-tarball"},
	} {
		// Built as make build builds them: static.
		cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, b.out), b.pkg)
		cmd.Dir, cmd.Env = b.dir, append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n%s", b.out, err, out)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// project is a configuration directory for one test.
type project struct {
	t   *testing.T
	dir string
	env []string
}

// newProject writes files (name → content) into a fresh directory and
// generates packages into rpms/.
func newProject(t *testing.T, files map[string]string, pkgs []genrpm.Spec) *project {
	t.Helper()
	p := &project{t: t, dir: t.TempDir()}
	p.env = append(os.Environ(), "HOME="+t.TempDir(), "STRATA_COMPOSE_DATE=2026-11-25", "STRATA_PLUGIN_PATH=")
	p.write(files)
	if pkgs != nil {
		if err := genrpm.Write(filepath.Join(p.dir, "rpms"), pkgs); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func (p *project) write(files map[string]string) {
	p.t.Helper()
	for name, content := range files {
		path := filepath.Join(p.dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			p.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
}

// run runs strata in the project directory.
func (p *project) run(args ...string) (stdout, stderr string, code int) {
	p.t.Helper()
	cmd := exec.Command(filepath.Join(binDir, "strata"), args...)
	cmd.Dir, cmd.Env = p.dir, p.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		p.t.Fatalf("running strata: %v", err)
	}
	return out.String(), errb.String(), code
}

// ok runs strata and fails the test unless it succeeds.
func (p *project) ok(args ...string) string {
	p.t.Helper()
	out, errOut, code := p.run(args...)
	if code != 0 {
		p.t.Fatalf("strata %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// fails runs strata, expects exit code want, and returns stderr.
func (p *project) fails(want int, args ...string) string {
	p.t.Helper()
	out, errOut, code := p.run(args...)
	if code != want {
		p.t.Fatalf("strata %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errOut)
	}
	return errOut
}

// planJSON runs plan -json and returns address → action.
func (p *project) planJSON(args ...string) map[string]planChange {
	p.t.Helper()
	out := p.ok(append([]string{"plan", "-json"}, args...)...)
	var doc struct {
		Changes []planChange `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		p.t.Fatalf("plan -json printed something else than JSON: %v\n%s", err, out)
	}
	m := map[string]planChange{}
	for _, c := range doc.Changes {
		m[c.Address] = c
	}
	return m
}

type planChange struct {
	Address string   `json:"address"`
	Action  string   `json:"action"`
	Key     string   `json:"key"`
	Reasons []string `json:"reasons"`
	InStore bool     `json:"in_store"`
}

func (p *project) path(parts ...string) string {
	return filepath.Join(append([]string{p.dir}, parts...)...)
}

func (p *project) read(parts ...string) string {
	p.t.Helper()
	data, err := os.ReadFile(p.path(parts...))
	if err != nil {
		p.t.Fatal(err)
	}
	return string(data)
}

// minimalSpecs are the packages of examples/minimal.
func minimalSpecs(t *testing.T) []genrpm.Spec {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	specs, err := genrpm.ReadSpecs(filepath.Join(filepath.Dir(file), "..", "..", "examples", "minimal", "packages.json"))
	if err != nil {
		t.Fatal(err)
	}
	return specs
}

func minimalConfig(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "examples", "minimal", "main.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
