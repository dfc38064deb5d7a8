package command_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A plugin that crashes, hangs, fails to start or speaks another protocol
// ends in an error naming it, and nothing half-built reaches the store.
func TestMisbehavingPlugins(t *testing.T) {
	cases := []struct {
		name     string
		artifact string
		env      []string
		want     []string
	}{{
		name:     "crash while building",
		artifact: `behavior = "crash"`,
		want:     []string{"plugin probe 0.1.0 crashed while building artifact.probe.x", "panic: probe asked to crash while building"},
	}, {
		name:     "crash while planning",
		artifact: `behavior = "crash-plan"`,
		want:     []string{"plugin probe 0.1.0 crashed while planning artifact.probe.x", "panic: probe asked to crash while planning", "main.hcl line"},
	}, {
		name:     "hang while building",
		artifact: "behavior = \"hang\"\n  timeout = \"2s\"",
		want:     []string{"plugin probe 0.1.0 did not finish building artifact.probe.x within 2s; it was stopped"},
	}, {
		name: "hang at start",
		env:  []string{"PROBE_HANG_START=1", "STRATA_PLUGIN_TIMEOUT=2s"},
		want: []string{"starting plugin", "strata-plugin-probe", "timeout"},
	}, {
		name: "another protocol",
		env:  []string{"PROBE_PROTOCOL=2"},
		want: []string{"strata-plugin-probe speaks another plugin protocol: strata speaks protocol 1", "Plugin version: 2"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := probeProject(t, "artifact \"probe\" \"x\" {\n  "+c.artifact+"\n}\n")
			p.env = append(p.env, c.env...)
			errOut := p.fails(1, "apply", "-auto-approve")
			contains(t, "stderr", errOut, c.want...)
			entries, _ := os.ReadDir(p.path(".strata", "store"))
			if len(entries) != 0 {
				t.Errorf("the store holds %d entries after a failed build", len(entries))
			}
			tmp, _ := os.ReadDir(p.path(".strata", "tmp"))
			if len(tmp) != 0 {
				t.Errorf("the failed build left %d directories in .strata/tmp", len(tmp))
			}
		})
	}
}

// A plugin nobody installed is an error that says which type, where
// strata looked, and how to install it.
func TestMissingPlugin(t *testing.T) {
	p := newProject(t, map[string]string{"main.hcl": `artifact "nosuch" "x" {
}
`}, nil)
	errOut := p.fails(1, "init")
	contains(t, "init", errOut, `no plugin for artifact type "nosuch"`, "strata-plugin-nosuch",
		filepath.Join(p.dir, ".strata", "plugins"), "~/.strata/plugins", "beside the strata binary", "go build -o DIR/strata-plugin-nosuch")
	errOut = p.fails(1, "plan")
	contains(t, "plan", errOut, "Plugin not available", "main.hcl line 1", `no plugin for artifact type "nosuch"`)
}

// strata init records each plugin's version and sha256; a binary that
// changes afterwards is refused before it runs, and strata init accepts
// it again.
func TestLockRefusesChangedPlugin(t *testing.T) {
	p := probeProject(t, "artifact \"probe\" \"x\" {\n}\n")
	local := p.path(".strata", "plugins", "strata-plugin-probe")
	data, err := os.ReadFile(filepath.Join(binDir, "strata-plugin-probe"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(local, data, 0o755); err != nil {
		t.Fatal(err)
	}
	p.ok("init")
	contains(t, "lock file", p.read(".strata.lock.hcl"), `plugin "probe"`, `version = "0.1.0"`)
	p.ok("plan")
	if err := os.WriteFile(local, append(data, []byte("tampered")...), 0o755); err != nil {
		t.Fatal(err)
	}
	errOut := p.fails(1, "plan")
	contains(t, "plan with a changed plugin", errOut, "refusing "+local, "but the lock file records", "run strata init")
	p.ok("init")
	p.ok("plan")
	if err := os.Remove(p.path(".strata.lock.hcl")); err != nil {
		t.Fatal(err)
	}
	contains(t, "plan without a lock", p.fails(1, "plan"), "is not in the lock file; run strata init")
	// A version constraint the plugin does not meet stops init.
	p.write(map[string]string{"req.hcl": "required_plugins {\n  probe = { version = \">= 2.0\" }\n}\n"})
	contains(t, "init with an unmet constraint", p.fails(1, "init"), "required_plugins asks for probe >= 2.0, but the plugin found is version 0.1.0")
}

// One artifact's plugin crash fails that artifact alone: the plugin is
// started again for the others of its type, and the error quotes the
// panic's first line, not its stack's tail.
func TestCrashedPluginIsRestarted(t *testing.T) {
	p := probeProject(t, `
artifact "probe" "a" {
  behavior = "crash"
}
artifact "probe" "b" {
  message = "b"
  depends_on = [artifact.probe.a]
}
artifact "probe" "c" {
  message = "c"
}
artifact "probe" "d" {
  message = "d"
}
`)
	out, errOut, code := p.run("apply", "-auto-approve", "-parallelism", "1")
	if code != 1 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	contains(t, "apply output", out, "2 built, 0 taken from the store, 1 failed, 1 skipped")
	contains(t, "apply stderr", errOut, "artifact.probe.a: FAILED: plugin probe 0.1.0 crashed while building artifact.probe.a: panic: probe asked to crash while building")
	for _, a := range []string{"c", "d"} {
		if got := p.read("out", "latest", "compose", "probe", a, "report.txt"); !strings.Contains(got, "address artifact.probe."+a) {
			t.Errorf("%s's report: %q", a, got)
		}
	}
}

// Plugins run under Landlock: a build that writes outside its build
// directories, cache and temporary directory fails, and nothing is
// written there. A build returning outputs other than planned is refused.
func TestPluginContainment(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(outside, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("not given"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := probeProject(t, `
artifact "probe" "escape" {
  behavior = "write-outside:`+outside+`"
}
artifact "probe" "snoop" {
  behavior = "read-outside:`+secret+`"
}
artifact "probe" "outputs" {
  behavior = "wrong-outputs"
}
`)
	errOut := p.fails(1, "apply", "-auto-approve")
	contains(t, "apply stderr", errOut,
		"artifact.probe.escape: FAILED:", "permission denied", "plugins run in a sandbox",
		"artifact.probe.snoop: FAILED: open "+secret+": permission denied",
		"artifact.probe.outputs: FAILED: probe 0.1.0 returned outputs other than it planned for artifact.probe.outputs")
	if data, _ := os.ReadFile(outside); string(data) != "precious" {
		t.Errorf("the plugin wrote outside its directories: %q", data)
	}
	entries, _ := os.ReadDir(p.path(".strata", "store"))
	if len(entries) != 0 {
		t.Errorf("the store holds %d entries", len(entries))
	}
	// Unconfined on request, the same build writes where it was told.
	p.env = append(p.env, "STRATA_PLUGIN_SANDBOX=off")
	p.run("apply", "-auto-approve", "-target", "artifact.probe.escape")
	if data, _ := os.ReadFile(outside); string(data) != "escaped" {
		t.Errorf("with the sandbox off, the file holds %q", data)
	}
}
