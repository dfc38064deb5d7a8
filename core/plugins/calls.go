package plugins

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/host"
	"github.com/zclconf/go-cty/cty"
)

// Name is the plugin's name and version, for messages.
func (p *Plugin) Name() string { return p.Info.Name + " " + p.Info.Version }

// maxRestarts bounds how often a crashed plugin is started again within
// one run of strata.
const maxRestarts = 10

// process returns the plugin's process, starting it again when it was
// parked or crashed: one artifact's crash must not fail the others the
// plugin builds. The new process must report the same version.
func (p *Plugin) process() (*host.Process, *tail, error) {
	p.procMu.Lock()
	defer p.procMu.Unlock()
	if !p.proc.Exited() {
		return p.proc, p.stderr, nil
	}
	again := "starting plugin %s again"
	if !p.parked {
		if p.restarts >= maxRestarts {
			return nil, nil, fmt.Errorf("plugin %s crashed %d times; it is not started again", p.Name(), p.restarts+1)
		}
		p.restarts++
		again = "restarting plugin %s after it crashed"
	}
	p.parked = false
	proc, stderr, err := p.launch()
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout())
	defer cancel()
	info, err := proc.Info(ctx)
	if err == nil && (info.Name != p.Info.Name || info.Version != p.Info.Version) {
		err = fmt.Errorf("it now reports %s %s", info.Name, info.Version)
	}
	if err != nil {
		proc.Kill()
		return nil, nil, fmt.Errorf(again+": %w", p.Name(), err)
	}
	p.proc, p.stderr = proc, stderr
	return proc, stderr, nil
}

// fail turns a failed call into an error that names the plugin and says
// whether it crashed (with the first line of its panic) or hung.
func (p *Plugin) fail(proc *host.Process, stderr *tail, err error, during string) error {
	name := p.Info.Name + " " + p.Info.Version
	if p.Info.Name == "" {
		name = p.Path
	}
	switch {
	case exited(proc):
		return fmt.Errorf("plugin %s crashed while %s%s", name, during, stderr.suffix())
	case deadlineError(err):
		return fmt.Errorf("plugin %s did not finish %s in time; it was stopped", name, during)
	}
	var be *host.BuildError
	if errors.As(err, &be) {
		return be
	}
	return fmt.Errorf("plugin %s failed while %s: %w", name, during, err)
}

// timedOut reports whether a call ended because its deadline passed. The
// plugin enforces the deadline it was sent too, and may answer
// DeadlineExceeded a moment before ctx's own timer fires.
func timedOut(ctx context.Context, err error) bool {
	return errors.Is(ctx.Err(), context.DeadlineExceeded) || deadlineError(err)
}

// deadlineError reports whether err says a deadline passed, here or in
// the plugin.
func deadlineError(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "DeadlineExceeded")
}

// exited reports whether the plugin process has ended, giving it a moment:
// a broken connection is often noticed before the process is reaped.
func exited(proc *host.Process) bool {
	for i := 0; i < 20 && !proc.Exited(); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	return proc.Exited()
}

func (p *Plugin) call(during string, fn func(context.Context, *host.Process) error) error {
	proc, stderr, err := p.process()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout())
	defer cancel()
	if err := fn(ctx, proc); err != nil {
		return p.fail(proc, stderr, err, during)
	}
	return nil
}

// Schema returns the schema of an artifact type, fetched once.
func (p *Plugin) Schema(typ string) (sdk.Schema, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.schemas[typ]; ok {
		return s, nil
	}
	var s sdk.Schema
	err := p.call("describing its schema", func(ctx context.Context, proc *host.Process) (err error) {
		s, err = proc.Schema(ctx, typ)
		return err
	})
	if err == nil {
		p.schemas[typ] = s
	}
	return s, err
}

// Validate checks a configuration.
func (p *Plugin) Validate(typ string, config cty.Value) (diags sdk.Diagnostics, err error) {
	err = p.call("validating "+typ, func(ctx context.Context, proc *host.Process) error {
		diags, err = proc.Validate(ctx, typ, config)
		return err
	})
	return diags, err
}

// Plan plans an artifact.
func (p *Plugin) Plan(typ string, req *sdk.PlanRequest) (resp *sdk.PlanResponse, diags sdk.Diagnostics, err error) {
	err = p.call("planning "+req.Address, func(ctx context.Context, proc *host.Process) error {
		resp, diags, err = proc.Plan(ctx, typ, req)
		return err
	})
	return resp, diags, err
}

// Build builds an artifact, killing the plugin if it takes longer than
// timeout: a hung build must not hang strata.
func (p *Plugin) Build(ctx context.Context, typ string, req *sdk.BuildRequest, rep sdk.Reporter, timeout time.Duration) (*host.BuildResult, error) {
	return bounded(ctx, p, timeout, "building "+req.Address, func(ctx context.Context, proc *host.Process) (*host.BuildResult, error) {
		return proc.Build(ctx, typ, req, rep)
	})
}

// Publish publishes a stored artifact, killing the plugin if it takes
// longer than timeout.
func (p *Plugin) Publish(ctx context.Context, typ string, req *sdk.PublishRequest, rep sdk.Reporter, timeout time.Duration) (*sdk.PublishResponse, error) {
	return bounded(ctx, p, timeout, "publishing "+req.Address, func(ctx context.Context, proc *host.Process) (*sdk.PublishResponse, error) {
		return proc.Publish(ctx, typ, req, rep)
	})
}

// bounded makes a call that may take long (doing says what it does),
// killing the plugin if it takes longer than timeout.
func bounded[T any](ctx context.Context, p *Plugin, timeout time.Duration, doing string, call func(context.Context, *host.Process) (T, error)) (T, error) {
	var none T
	proc, stderr, err := p.process()
	if err != nil {
		return none, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := call(ctx, proc)
	if err != nil {
		if timedOut(ctx, err) {
			return none, fmt.Errorf("plugin %s did not finish %s within %s; it was stopped", p.Name(), doing, timeout)
		}
		return none, p.fail(proc, stderr, err, doing)
	}
	return res, nil
}

// tail keeps the last lines a plugin wrote to stderr: a crashing plugin's
// panic message.
type tail struct {
	mu    sync.Mutex
	lines []string
	part  string
	// first is the first line of a panic or fatal error: its stack,
	// which follows, pushes it out of lines.
	first string
}

const tailLines = 15

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.part + string(b)
	parts := strings.Split(s, "\n")
	t.part = parts[len(parts)-1]
	for _, l := range parts[:len(parts)-1] {
		if strings.HasPrefix(l, "{") { // a structured log line, shown through the logger
			continue
		}
		if t.first == "" && (strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ")) {
			t.first = l
		}
		t.lines = append(t.lines, l)
		if len(t.lines) > tailLines {
			t.lines = t.lines[1:]
		}
	}
	return len(b), nil
}

// suffix quotes what the plugin said before it died: its panic or fatal
// error line, else its last lines. The whole output is in the log.
func (t *tail) suffix() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.first != "" {
		return ": " + t.first
	}
	lines := t.lines
	if t.part != "" {
		lines = append(lines, t.part)
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			return ": " + l
		}
	}
	if len(lines) > 3 {
		lines = lines[len(lines)-3:]
	}
	if len(lines) == 0 {
		return ""
	}
	return "; it wrote: " + strings.Join(lines, " / ")
}
