package plugins

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/landlock-lsm/go-landlock/landlock"
)

// SandboxEnv turns the sandbox off when set to "off", for a plugin that
// must write somewhere else (the build then writes where it likes).
const SandboxEnv = "STRATA_PLUGIN_SANDBOX"

// SandboxVerb is the hidden strata command that enters the sandbox and
// executes a plugin in it.
const SandboxVerb = "sandbox"

// Sandbox confines plugin processes with Landlock: a plugin may read
// files (the packages it is given may be anywhere, behind symbolic
// links), but writes only below Write (the store's build directories and
// the plugins' caches) and a temporary directory of its own, which its
// TMPDIR names and which is removed when it stops. A plugin that writes
// elsewhere gets "permission denied" from the kernel.
type Sandbox struct {
	Write []string

	mu   sync.Mutex
	tmps []string
}

// command returns the command that starts a plugin: strata itself, which
// restricts its own process and then executes the plugin in its place,
// so that the restriction holds for the plugin and everything it starts.
func (s *Sandbox) command(path string, args []string) (*exec.Cmd, error) {
	if s == nil || os.Getenv(SandboxEnv) == "off" {
		return exec.Command(path, args...), nil
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "strata-plugin-")
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.tmps = append(s.tmps, tmp)
	s.mu.Unlock()
	argv := []string{SandboxVerb, "-write", tmp}
	for _, w := range s.Write {
		if err := os.MkdirAll(w, 0o755); err != nil {
			return nil, err
		}
		argv = append(argv, "-write", w)
	}
	argv = append(argv, "--", path)
	cmd := exec.Command(self, append(argv, args...)...)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	return cmd, nil
}

// cleanup removes the plugins' temporary directories; call it once they
// stopped.
func (s *Sandbox) cleanup() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tmps {
		os.RemoveAll(t)
	}
	s.tmps = nil
}

// Enter restricts the calling process to writing below write (and to
// /dev/null), then executes argv in its place. It returns only on
// failure.
func Enter(write []string, argv []string) error {
	if len(argv) == 0 {
		return fmt.Errorf("no program to run in the sandbox")
	}
	for i, w := range write {
		abs, err := filepath.Abs(w)
		if err != nil {
			return err
		}
		write[i] = abs
	}
	err := landlock.V5.BestEffort().RestrictPaths(
		landlock.RODirs("/").WithRefer(),
		landlock.RWDirs(write...).WithRefer(),
		landlock.RWFiles("/dev/null"),
	)
	if err != nil {
		return fmt.Errorf("entering the plugin sandbox (Landlock): %w; set %s=off to run plugins unconfined", err, SandboxEnv)
	}
	return syscall.Exec(argv[0], argv, os.Environ())
}
