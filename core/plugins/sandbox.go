package plugins

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"

	"github.com/landlock-lsm/go-landlock/landlock"
	"golang.org/x/sys/unix"
)

// SandboxEnv turns the sandbox off when set to "off", for a plugin that
// must write somewhere else (the build then writes where it likes).
const SandboxEnv = "STRATA_PLUGIN_SANDBOX"

// SandboxVerb is the hidden strata command that enters the sandbox and
// executes a plugin in it.
const SandboxVerb = "sandbox"

// Sandbox confines plugin processes with Landlock. A plugin reads only
// the system's directories (programs, libraries, /etc, /proc, /sys,
// /dev), the configuration's directory, the package sources and Read (the
// plugins' own directories, registry credentials); it writes only below
// Write (the store's build directories and the plugins' caches) and a
// temporary directory of its own, which its TMPDIR names and which is
// removed when it stops. A plugin that reaches further gets "permission
// denied" from the kernel.
//
// Below LinkFrom (the store, the package sources) a plugin may hard-link
// files into its output, as repositories and ostree commits do, and so
// may also write into those files, though not add, remove or rename any:
// Landlock refuses a link through which a file would gain rights, so
// linking from a read-only tree is refused. Writing through such a link
// is what the store's stamps and the packages' sizes and times reveal,
// and the apply refuses the build.
type Sandbox struct {
	Read, Write, LinkFrom []string

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
	read, linkFrom := append([]string(nil), s.Read...), append([]string(nil), s.LinkFrom...)
	s.mu.Unlock()
	argv := []string{SandboxVerb, "-write", tmp}
	for _, w := range s.Write {
		if err := os.MkdirAll(w, 0o755); err != nil {
			return nil, err
		}
		argv = append(argv, "-write", w)
	}
	for _, l := range linkFrom {
		argv = append(argv, "-link-from", l)
	}
	for _, r := range append(read, filepath.Dir(path)) {
		argv = append(argv, "-read", r)
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

// AllowLinksFrom adds directories that plugins started from now on may
// read and link files from (see Sandbox): the package sources.
func (s *Sandbox) AllowLinksFrom(dirs ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.LinkFrom = append(s.LinkFrom, dirs...)
	s.Read = append(s.Read, dirs...)
}

// systemReads are the directories every program reads: its libraries,
// configuration, the kernel's views of itself and devices.
var systemReads = []string{"/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin", "/etc", "/opt", "/proc", "/sys", "/dev", "/run"}

// Enter restricts the calling process to reading below read and the
// system's directories, writing below write (and to /dev/null) and
// linking from linkFrom (see Sandbox), then executes argv in its place.
// It returns only on failure.
func Enter(read, write, linkFrom, argv []string) error {
	parent := os.Getppid()
	if len(argv) == 0 {
		return fmt.Errorf("no program to run in the sandbox")
	}
	for _, dirs := range [][]string{read, write, linkFrom} {
		for i, d := range dirs {
			abs, err := filepath.Abs(d)
			if err != nil {
				return err
			}
			dirs[i] = abs
		}
	}
	err := landlock.V5.BestEffort().RestrictPaths(
		landlock.RODirs(append(systemReads, read...)...).IgnoreIfMissing(),
		landlock.RWDirs(write...).WithRefer(),
		landlock.RWFiles(linkFrom...).WithRefer().IgnoreIfMissing(),
		landlock.RWFiles("/dev/null"),
	)
	if err != nil {
		return fmt.Errorf("entering the plugin sandbox (Landlock): %w; set %s=off to run plugins unconfined", err, SandboxEnv)
	}
	// The plugin dies with strata. The parent-death signal strata set is
	// the first thread's, and exec keeps only the thread that calls it,
	// which may be another: it is set again on this one.
	runtime.LockOSThread()
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(syscall.SIGKILL), 0, 0, 0); err != nil {
		return fmt.Errorf("entering the plugin sandbox: %w", err)
	}
	if os.Getppid() != parent {
		os.Exit(1) // strata died before the signal was set
	}
	return syscall.Exec(argv[0], argv, os.Environ())
}
