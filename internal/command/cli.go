package command

import (
	"encoding/json"
	"flag"
	"fmt"
	"github.com/mitchellh/go-homedir"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/internal/builtin"
)

// cli is one invocation of strata.
type cli struct {
	verb   string
	stdout io.Writer
	stderr io.Writer
	stdin  io.Reader
	files  map[string]*hcl.File
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// varFlags are -var and -var-file.
type varFlags struct {
	vars, files listFlag
}

func (v *varFlags) register(fs *flag.FlagSet) {
	fs.Var(&v.vars, "var", "set a variable: -var 'name=value' (repeatable)")
	fs.Var(&v.files, "var-file", "read variables from an HCL file (repeatable)")
}

// settings collects variable settings in precedence order: environment,
// automatic variable files, -var-file, -var.
func (v *varFlags) settings(cfg *dsl.Config) ([]dsl.VarSetting, hcl.Diagnostics) {
	return dsl.VarSettings(os.Environ(), append(append([]string(nil), cfg.VarFiles...), v.files...), v.vars)
}

// load parses the configuration in dir and prints its diagnostics.
func (c *cli) load(dir string) (*dsl.Config, bool) {
	cfg, diags := dsl.Load(dir)
	if cfg != nil {
		c.files = cfg.Files
	}
	c.diagnose(diags)
	return cfg, cfg != nil && !diags.HasErrors()
}

// diagnose prints diagnostics with their source on stderr.
func (c *cli) diagnose(diags hcl.Diagnostics) {
	if len(diags) == 0 {
		return
	}
	w := hcl.NewDiagnosticTextWriter(c.stderr, c.files, 100, false)
	for _, d := range diags {
		w.WriteDiagnostic(d)
	}
}

// jsonDiags is the -json form of diagnostics.
func jsonDiags(diags hcl.Diagnostics) []map[string]any {
	out := []map[string]any{}
	for _, d := range diags {
		j := map[string]any{"severity": map[hcl.DiagnosticSeverity]string{hcl.DiagError: "error", hcl.DiagWarning: "warning"}[d.Severity],
			"summary": d.Summary, "detail": d.Detail}
		if d.Subject != nil {
			j["range"] = map[string]any{"filename": d.Subject.Filename,
				"start": map[string]int{"line": d.Subject.Start.Line, "column": d.Subject.Start.Column, "byte": d.Subject.Start.Byte},
				"end":   map[string]int{"line": d.Subject.End.Line, "column": d.Subject.End.Column, "byte": d.Subject.End.Byte}}
		}
		out = append(out, j)
	}
	return out
}

func (c *cli) printJSON(v any) {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func (c *cli) errorf(format string, args ...any) int {
	fmt.Fprintf(c.stderr, "Error: "+format+"\n", args...)
	return exitError
}

// logger is strata's own logger, on stderr; STRATA_LOG sets its level
// (default warn), which also decides what plugins' log lines show.
func (c *cli) logger() hclog.Logger {
	level := hclog.LevelFromString(os.Getenv("STRATA_LOG"))
	if level == hclog.NoLevel {
		level = hclog.Warn
	}
	return hclog.New(&hclog.LoggerOptions{Name: "strata", Output: c.stderr, Level: level})
}

// manager returns a plugin manager for a configuration directory.
func (c *cli) manager(dir string) (*plugins.Manager, bool) {
	lock, diags := plugins.ReadLock(dir)
	if diags.HasErrors() {
		c.diagnose(diags)
		return nil, false
	}
	strata := filepath.Join(dir, ".strata")
	sandbox := &plugins.Sandbox{Read: append([]string{dir}, registryCredentials()...),
		Write:    []string{filepath.Join(strata, "tmp"), filepath.Join(strata, "cache", "plugins")},
		LinkFrom: []string{filepath.Join(strata, "store"), filepath.Join(strata, "cache", "packages")}}
	return &plugins.Manager{Dirs: plugins.SearchDirs(dir), Lock: lock, Logger: c.logger(), Builtins: builtin.Versions(), Sandbox: sandbox}, true
}

// registryCredentials are where registry clients look for credentials
// (go-containerregistry's default keychain: Docker's and podman's files).
func registryCredentials() []string {
	var out []string
	if home, err := homedir.Dir(); err == nil {
		out = append(out, filepath.Join(home, ".docker"), filepath.Join(home, ".config", "containers"))
	}
	for _, env := range []string{"DOCKER_CONFIG", "XDG_RUNTIME_DIR"} {
		if d := os.Getenv(env); d != "" {
			out = append(out, d)
		}
	}
	if f := os.Getenv("REGISTRY_AUTH_FILE"); f != "" {
		out = append(out, filepath.Dir(f))
	}
	return out
}

func (c *cli) openStore(dir string) (*store.Store, bool) {
	s, err := store.Open(dir)
	if err != nil {
		c.errorf("%v", err)
		return nil, false
	}
	return s, true
}
