package command_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a buffer two goroutines may use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// background is an apply (or other run) going on in the background.
type background struct {
	cmd            *exec.Cmd
	stdout, stderr syncBuffer
}

// startUntil starts strata with args in p and waits until its stderr
// says text (a probe build "sleeping"); the run is killed when the test
// ends, if it has not ended.
func startUntil(t *testing.T, p *project, text string, args ...string) *background {
	t.Helper()
	b := &background{cmd: exec.Command(filepath.Join(binDir, "strata"), args...)}
	b.cmd.Dir, b.cmd.Env = p.dir, p.env
	b.cmd.Stdout, b.cmd.Stderr = &b.stdout, &b.stderr
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.cmd.Process.Kill() })
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(b.stderr.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("strata %s never said %q:\n%s", strings.Join(args, " "), text, b.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return b
}

// A second apply while one runs is refused by the lock. An apply killed
// with SIGKILL in the middle of a build leaves nothing half-written in the
// store, takes its plugin with it, and the next apply recovers.
func TestLockAndKilledApply(t *testing.T) {
	p := probeProject(t, `
variable "behavior" {
  default = "sleep:60s"
}
artifact "probe" "slow" {
  behavior = var.behavior
  input    = artifact.probe.quick.digest
}
artifact "probe" "quick" {
  message = "built before the kill"
}
`)
	bg := startUntil(t, p, "sleeping", "apply", "-auto-approve", "-parallelism", "1")
	first := bg.cmd
	errOut := p.fails(1, "apply", "-auto-approve")
	contains(t, "a second apply", errOut, "another strata run holds the lock", "strata apply, pid")

	partial, _ := filepath.Glob(p.path(".strata", "tmp", "*", "files", "partial"))
	if len(partial) != 1 {
		t.Fatalf("the slow build's half-written file is not in .strata/tmp: %v", partial)
	}
	pluginPIDs := probePIDs(t, first.Process.Pid)
	if len(pluginPIDs) == 0 {
		t.Fatal("no probe plugin process is running during the build")
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	for _, pid := range pluginPIDs {
		waitGone(t, pid)
	}
	changes := p.planJSON()
	if changes["artifact.probe.quick"].Action != "up_to_date" || changes["artifact.probe.slow"].Action != "build" {
		t.Errorf("after the kill, the finished build must be kept and the killed one planned again: %+v", changes)
	}
	out := p.ok("apply", "-auto-approve", "-var", "behavior=")
	contains(t, "the apply after the kill", out, "Apply complete! 1 built")
	if rest, _ := os.ReadDir(p.path(".strata", "tmp")); len(rest) != 0 {
		t.Errorf(".strata/tmp still holds %d entries", len(rest))
	}
	keys, _ := os.ReadDir(p.path(".strata", "store"))
	for _, k := range keys {
		if _, err := os.Stat(p.path(".strata", "store", k.Name(), "entry.json")); err != nil {
			t.Errorf("store entry %s is incomplete", k.Name())
		}
	}
	if len(keys) != 2 {
		t.Errorf("the store holds %d entries, want 2", len(keys))
	}
}

// probePIDs lists running probe plugin processes of this test run.
func probePIDs(t *testing.T, parent int) []int {
	t.Helper()
	var pids []int
	procs, _ := filepath.Glob("/proc/[0-9]*/exe")
	for _, exe := range procs {
		target, err := os.Readlink(exe)
		if err != nil || target != filepath.Join(binDir, "strata-plugin-probe") {
			continue
		}
		dir := filepath.Dir(exe)
		stat, _ := os.ReadFile(filepath.Join(dir, "stat"))
		// pid (comm) state ppid ...: the comm may hold spaces.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if pid, err := strconv.Atoi(filepath.Base(dir)); err == nil && len(fields) > 1 && fields[1] == strconv.Itoa(parent) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid) + "/exe"); os.IsNotExist(err) {
			return
		}
		if data, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); strings.Contains(string(data), ") Z ") {
			return // a zombie: dead, waiting to be reaped
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("plugin process %d outlived the killed apply", pid)
}
