package command_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk/sdktest"
)

// Every command has -help with an example, and bad usage exits 2.
func TestHelpAndUsage(t *testing.T) {
	p := newProject(t, nil, nil)
	for _, verb := range []string{"validate", "fmt", "graph", "plan", "apply", "show", "plugins", "init", "version"} {
		out := p.ok(verb, "-help")
		contains(t, verb+" -help", out, "Usage: strata "+verb, "Example:\n  strata "+verb)
		if out2 := p.ok(verb, "--help"); out2 != out {
			t.Errorf("%s --help differs from -help", verb)
		}
	}
	contains(t, "strata -help", p.ok("-help"), "Commands:", "apply", "graph")
	p.fails(2, "frobnicate")
	p.fails(2, "plan", "-no-such-flag")
	p.fails(2, "plan", "a", "b")
	contains(t, "version", p.ok("version"), "strata v", "plugin protocol 1")
	contains(t, "version", p.ok("--version"), "strata v")
}

func TestFmt(t *testing.T) {
	p := newProject(t, map[string]string{
		"main.hcl": "group \"core\" {\nmandatory=[\"bash\"]\n  name = \"Core\"\n}\n",
		"ok.hcl":   "group \"other\" {\n  name = \"Other\"\n}\n",
	}, nil)
	if p.fails(3, "fmt", "-check") != "" {
		t.Error("fmt -check wrote to stderr")
	}
	if out, _, _ := p.run("fmt", "-check"); strings.TrimSpace(out) != "main.hcl" {
		t.Errorf("fmt -check listed %q, want main.hcl", out)
	}
	if got := p.read("main.hcl"); !strings.Contains(got, "mandatory=") {
		t.Error("fmt -check changed the file")
	}
	p.ok("fmt")
	want := "group \"core\" {\n  mandatory = [\"bash\"]\n  name      = \"Core\"\n}\n"
	if got := p.read("main.hcl"); got != want {
		t.Errorf("formatted:\n%s\nwant:\n%s", got, want)
	}
	p.ok("fmt", "-check")
	p.write(map[string]string{"bad.hcl": "group \"x\" {\n"})
	contains(t, "fmt of a broken file", p.fails(1, "fmt"), "bad.hcl line")
}

// strata graph prints DOT that Graphviz reads, with edges in the direction
// things are built.
func TestGraph(t *testing.T) {
	p := newProject(t, map[string]string{"main.hcl": minimalConfig(t)}, nil)
	dot := p.ok("graph")
	contains(t, "graph", dot, `"group.core" -> "module.base-runtime"`, `"module.web" -> "variant.server"`,
		`"variant.server" -> "artifact.tarball.rootfs"`)
	if strings.Contains(dot, `"var.arches"`) || strings.Contains(dot, `"local.variants"`) {
		t.Error("graph shows variables and locals without -all")
	}
	contains(t, "graph -all", p.ok("graph", "-all"), `"var.arches" -> "compose"`, `"variant.server" -> "local.variants"`, `"local.variants" -> "artifact.tarball.rootfs"`)
	bin := sdktest.NeedTool(t, "dot")
	cmd := exec.Command(bin, "-Tsvg")
	cmd.Stdin = strings.NewReader(dot)
	svg, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(svg), "<svg") || !strings.Contains(string(svg), "module.base&#45;runtime") {
		t.Errorf("dot -Tsvg: %v\n%.300s", err, svg)
	}
	contains(t, "graph -format=svg", p.ok("graph", "-format=svg"), "<svg")
}

func TestPluginsAndShow(t *testing.T) {
	p := probeProject(t, "artifact \"probe\" \"x\" {\n}\n")
	out := p.ok("plugins")
	contains(t, "plugins", out, "probe        probe 0.1.0 (protocol 1, locked)", "tarball      tarball 1.0.0 (protocol 1, not in the lock file)", "beside the strata binary")
	contains(t, "show before apply", p.ok("show"), "No artifacts have been built yet.")
	p.fails(1, "show", "artifact.probe.x")
	p.ok("apply", "-auto-approve")
	contains(t, "show", p.ok("show"), "artifact.probe.x")
	contains(t, "show ADDR", p.ok("show", "artifact.probe.x"), "plugin:    probe 0.1.0 (protocol 1)", "report.txt")
	p.fails(2, "show", "module.m")
}

// -json prints JSON and nothing else on stdout: one document for plan and
// validate, JSON lines for apply's stream of events.
func TestJSONOutput(t *testing.T) {
	p := probeProject(t, "artifact \"probe\" \"x\" {\n  modules = [module.m]\n}\n")
	var doc map[string]any
	for _, args := range [][]string{{"validate", "-json"}, {"plan", "-json"}, {"plugins", "-json"}} {
		if err := json.Unmarshal([]byte(p.ok(args...)), &doc); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
	out := p.ok("apply", "-auto-approve", "-json")
	types := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("apply -json printed a line that is not JSON: %q", line)
		}
		types[ev["type"].(string)] = true
	}
	for _, want := range []string{"plan", "start", "progress", "log", "done", "result"} {
		if !types[want] {
			t.Errorf("apply -json has no %q event: %s", want, out)
		}
	}
	p.ok("show", "-json")
	if err := json.Unmarshal([]byte(p.ok("show", "-json", "artifact.probe.x")), &doc); err != nil || doc["key"] == "" {
		t.Errorf("show -json ADDR: %v %v", err, doc)
	}
}

// STRATA_CPU_PROFILE and STRATA_MEM_PROFILE write profiles go tool
// pprof reads (gzip-compressed protobuf); a profile that cannot be
// written (here a sandboxed plugin's, or one in a missing directory) is
// said and the run goes on.
func TestProfiles(t *testing.T) {
	p := newProject(t, map[string]string{"main.hcl": minimalConfig(t)}, minimalSpecs(t))
	p.ok("init")
	dir := t.TempDir()
	env := p.env
	p.env = append(env, "STRATA_CPU_PROFILE="+filepath.Join(dir, "cpu"), "STRATA_MEM_PROFILE="+filepath.Join(dir, "mem"))
	p.ok("plan")
	for _, name := range []string{"cpu", "mem"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
			t.Errorf("%s profile: %d bytes (%v), want a gzip-compressed profile", name, len(data), err)
		}
	}
	p.env = append(env, "STRATA_CPU_PROFILE="+filepath.Join(dir, "missing", "cpu"))
	_, stderr, code := p.run("plan")
	if code != 0 || !strings.Contains(stderr, "STRATA_CPU_PROFILE") {
		t.Errorf("a profile that cannot be written: exit %d, stderr %q; want 0 and the reason", code, stderr)
	}
}
