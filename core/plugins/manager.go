package plugins

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/host"
)

// TimeoutEnv overrides how long strata waits for a plugin to start and to
// answer a call other than a build.
const TimeoutEnv = "STRATA_PLUGIN_TIMEOUT"

// Manager starts plugins on demand, one process per binary, and verifies
// each against the lock file first.
type Manager struct {
	Dirs   []SearchDir
	Lock   Lock
	Logger hclog.Logger
	// Unlocked allows plugins the lock does not list (strata init).
	Unlocked bool
	// Builtins are the artifact types the strata binary carries, by type:
	// their versions. strata runs itself as their plugin (strata plugin
	// TYPE), out of process like any other; a binary found in the search
	// path takes precedence.
	Builtins map[string]string
	// Sandbox, when set, confines every plugin process started.
	Sandbox *Sandbox
	// SchemaCache, when set, is the directory Schema keeps schemas in.
	SchemaCache string

	mu      sync.Mutex
	running map[string]*Plugin    // by command line
	schemas map[string]sdk.Schema // by type, as Schema found them
}

// Plugin is a running plugin.
type Plugin struct {
	Path   string
	SHA256 string
	Info   host.Info

	// launch starts the plugin's process again after it crashed.
	launch   func() (*host.Process, *tail, error)
	procMu   sync.Mutex
	proc     *host.Process
	stderr   *tail
	restarts int
	// parked says the process was stopped on purpose (Manager.Park).
	parked bool

	mu      sync.Mutex
	schemas map[string]sdk.Schema
}

// Timeout is the bound on starting a plugin and on calls other than
// builds.
func Timeout() time.Duration {
	if d, err := time.ParseDuration(os.Getenv(TimeoutEnv)); err == nil && d > 0 {
		return d
	}
	return time.Minute
}

// MissingError says no plugin binary exists for an artifact type.
type MissingError struct {
	Type string
	Dirs []SearchDir
}

func (e *MissingError) Error() string {
	var where []string
	for _, d := range e.Dirs {
		where = append(where, fmt.Sprintf("%s (%s)", d.Path, d.Why))
	}
	return fmt.Sprintf("no plugin for artifact type %q: strata looked for %s%s in %s. Build or install the plugin into one of these directories (go build -o DIR/%s%s), then run strata init.",
		e.Type, BinaryPrefix, e.Type, strings.Join(where, ", "), BinaryPrefix, e.Type)
}

// NotAvailableError says no plugin can serve an artifact type: none is
// found, the lock file refuses it, or it does not start.
type NotAvailableError struct{ Err error }

func (e *NotAvailableError) Error() string { return e.Err.Error() }

func (e *NotAvailableError) Unwrap() error { return e.Err }

// BuiltinSum stands for the checksum of a built-in plugin in the lock
// file: it comes with strata, so its version is what is checked.
const BuiltinSum = "builtin"

// ForType returns the running plugin for an artifact type, starting it if
// needed.
func (m *Manager) ForType(typ string) (*Plugin, error) {
	path, found := Find(m.Dirs, typ)
	_, builtin := m.Builtins[typ]
	if !found && !builtin {
		return nil, &MissingError{Type: typ, Dirs: m.Dirs}
	}
	var args []string
	if !found {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		path, args = exe, []string{"plugin", typ}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	key := strings.Join(append([]string{path}, args...), " ")
	if p := m.running[key]; p != nil {
		return p, nil
	}
	sum := BuiltinSum
	if found {
		var err error
		if sum, err = files.SHA256(path); err != nil {
			return nil, err
		}
	}
	locked := m.Lock[typ]
	if !m.Unlocked {
		if locked == nil {
			return nil, fmt.Errorf("the plugin for artifact type %q (%s) is not in the lock file; run strata init to record it", typ, path)
		}
		if locked.SHA256 != sum {
			return nil, fmt.Errorf("refusing %s: its sha256 is %s, but the lock file records %s for %s %s. If the plugin was updated on purpose, run strata init to record it",
				path, sum, locked.SHA256, locked.Plugin, locked.Version)
		}
	}
	p, err := m.start(path, sum, args...)
	if err != nil {
		return nil, err
	}
	if locked != nil && !m.Unlocked && p.Info.Version != locked.Version {
		p.proc.Kill()
		return nil, fmt.Errorf("%s reports version %s, but the lock file records %s; run strata init", path, p.Info.Version, locked.Version)
	}
	if !slices.Contains(p.Info.Types, typ) {
		p.proc.Kill()
		return nil, fmt.Errorf("%s (%s %s) does not build artifact type %q; it builds %s", path, p.Info.Name, p.Info.Version, typ, strings.Join(p.Info.Types, ", "))
	}
	if m.running == nil {
		m.running = map[string]*Plugin{}
	}
	m.running[key] = p
	return p, nil
}

func (m *Manager) start(path, sum string, args ...string) (*Plugin, error) {
	logger := m.Logger
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	name := strings.TrimPrefix(filepath.Base(path), BinaryPrefix)
	if len(args) > 0 {
		name = args[len(args)-1]
	}
	p := &Plugin{Path: path, SHA256: sum, schemas: map[string]sdk.Schema{}}
	p.launch = func() (*host.Process, *tail, error) {
		cmd, err := m.Sandbox.command(path, args)
		if err != nil {
			return nil, nil, err
		}
		// The plugin dies with strata, even when strata is killed.
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		stderr := &tail{}
		proc, err := host.Launch(cmd, host.LaunchOptions{Logger: logger.Named(name), Stderr: stderr, StartTimeout: Timeout()})
		if err != nil {
			if errors.Is(err, host.ErrProtocol) {
				return nil, nil, fmt.Errorf("%s speaks another plugin protocol: strata speaks protocol %d (%v). Install a version of the plugin built for protocol %d", path, host.ProtocolVersion, err, host.ProtocolVersion)
			}
			return nil, nil, fmt.Errorf("starting plugin %s: %w%s", path, err, stderr.suffix())
		}
		return proc, stderr, nil
	}
	proc, stderr, err := p.launch()
	if err != nil {
		return nil, err
	}
	p.proc, p.stderr = proc, stderr
	ctx, cancel := context.WithTimeout(context.Background(), Timeout())
	defer cancel()
	info, err := proc.Info(ctx)
	if err != nil {
		proc.Kill()
		return nil, p.fail(proc, stderr, err, "answering info")
	}
	if info.Protocol != host.ProtocolVersion {
		proc.Kill()
		return nil, fmt.Errorf("%s (%s %s) speaks plugin protocol %d; strata speaks %d", path, info.Name, info.Version, info.Protocol, host.ProtocolVersion)
	}
	p.Info = info
	return p, nil
}

// Park stops every plugin's process until the plugin is called again,
// in the sandbox as it is then: a plan lets them go while it loads the
// package universe, so that the two are not in memory at once, and an
// apply once its builds are done.
func (m *Manager) Park() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.running {
		p.procMu.Lock()
		if !p.proc.Exited() {
			p.proc.Kill()
			p.parked = true
		}
		p.procMu.Unlock()
	}
}

// Close stops every plugin.
func (m *Manager) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.running {
		p.procMu.Lock()
		p.proc.Kill()
		p.procMu.Unlock()
	}
	m.running = nil
	m.Sandbox.cleanup()
}
