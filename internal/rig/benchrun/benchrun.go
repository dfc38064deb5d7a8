// Package benchrun holds what the comparison benchmarks in tools/ share:
// running a tool while sampling its memory, and starting it cold.
package benchrun

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/strata-build/strata/internal/rig/genrpm"
	"golang.org/x/sys/unix"
)

// Run runs a command and returns its wall time and the peak of the sum
// of its processes' resident memory in MB, sampled every 10 ms.
func Run(name string, args ...string) (time.Duration, float64) {
	return RunExit(0, name, args...)
}

// RunExit is Run for a command that ends with exit code want on
// success (dnf install --assumeno exits 1).
func RunExit(want int, name string, args ...string) (time.Duration, float64) {
	took, peak := run(want, false, name, args...)
	return took, peak.RSS
}

// Peak is a run's peak memory in MB, taken two ways. RSS sums its
// processes' resident sets: a page that several of them map, such as
// the binary that strata and its plugins all run, counts once for
// each. Pages counts the resident pages of all of them together, each
// page frame once, as the machine holds them; reading the frames
// (/proc/PID/pagemap) needs root, and without it Pages is 0. For one
// process the two are the same.
type Peak struct{ RSS, Pages float64 }

// RunPeak is RunExit, with the peak taken both ways.
func RunPeak(want int, name string, args ...string) (time.Duration, Peak) {
	return run(want, true, name, args...)
}

func run(want int, pages bool, name string, args ...string) (time.Duration, Peak) {
	cmd := exec.Command(name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	Check(cmd.Start())
	peak := make(chan Peak)
	done := make(chan struct{})
	go func() { peak <- samplePeak(cmd.Process.Pid, pages, done) }()
	err := cmd.Wait()
	took := time.Since(start)
	close(done)
	p := <-peak
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == want {
		err = nil
	}
	if err != nil {
		Check(fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String()))
	}
	return took, p
}

func samplePeak(pid int, pages bool, done chan struct{}) Peak {
	var peak Peak
	frames := map[uint64]bool{}
	for {
		tree := processTree(pid)
		rss := 0.0
		if pages {
			// Both from one reading of the page tables: memory freed
			// between two readings would tell them apart.
			clear(frames)
			present := 0
			for _, p := range tree {
				present += addFrames(p, frames)
			}
			rss = float64(present*os.Getpagesize()) / (1 << 20)
			peak.Pages = max(peak.Pages, float64(len(frames)*os.Getpagesize())/(1<<20))
		} else {
			for _, p := range tree {
				rss += residentMB(p)
			}
		}
		peak.RSS = max(peak.RSS, rss)
		select {
		case <-done:
			return peak
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// processTree is pid and its descendants.
func processTree(pid int) []int {
	out := []int{pid}
	// Each thread lists the children it started: a Go program starts a
	// plugin from whichever thread runs the goroutine.
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, t := range tasks {
		children, _ := os.ReadFile(t)
		for _, c := range strings.Fields(string(children)) {
			if n, err := strconv.Atoi(c); err == nil && !sameMemory(pid, n) {
				out = append(out, processTree(n)...)
			}
		}
	}
	return out
}

// residentMB is the resident memory of one process, in MB.
func residentMB(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(n) / 1024
		}
	}
	return 0
}

// sameMemory says whether child still runs in pid's memory: Go starts a
// program with vfork, and until the exec the child's resident memory is
// its parent's, which would count twice.
func sameMemory(pid, child int) bool {
	const kcmpVM = 1 // KCMP_VM of linux/kcmp.h
	r, _, errno := unix.Syscall6(unix.SYS_KCMP, uintptr(pid), uintptr(child), kcmpVM, 0, 0, 0)
	return errno == 0 && r == 0
}

// DropCaches empties the page cache so that both tools start cold; where
// that is not allowed, both start warm.
func DropCaches() {
	exec.Command("sync").Run()
	os.WriteFile("/proc/sys/vm/drop_caches", []byte("3\n"), 0o644)
}

// Check ends the benchmark with err, if any.
func Check(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", filepath.Base(os.Args[0]), err)
		os.Exit(1)
	}
}

// Output runs a command and returns what it printed.
func Output(name string, args ...string) []byte {
	cmd := exec.Command(name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		Check(fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String()))
	}
	return out
}

// Quoted is names as the items of an HCL list.
func Quoted(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return strings.Join(quoted, ", ")
}

// TreeBytes is the size of the regular files under dir.
func TreeBytes(dir string) int64 {
	var total int64
	Check(filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			total += fi.Size()
		}
		return err
	}))
	return total
}

// ParseSet reads a package set written COUNTxSIZE, SIZE in bytes or
// with k for thousands: 2000x250k.
func ParseSet(s string) (count, size int) {
	n, sz, ok := strings.Cut(s, "x")
	count, err1 := strconv.Atoi(n)
	mult := 1
	if strings.HasSuffix(sz, "k") {
		sz, mult = strings.TrimSuffix(sz, "k"), 1000
	}
	size, err2 := strconv.Atoi(sz)
	if !ok || err1 != nil || err2 != nil {
		Check(fmt.Errorf("set %q is not COUNTxSIZE", s))
	}
	return count, size * mult
}

// WorkDir is dir, kept, or when dir is empty a new temporary directory
// that cleanup removes.
func WorkDir(dir string) (string, func()) {
	if dir != "" {
		return dir, func() {}
	}
	dir, err := os.MkdirTemp("", filepath.Base(os.Args[0])+"-")
	Check(err)
	return dir, func() { os.RemoveAll(dir) }
}

// BinarySet generates the package set written COUNTxSIZE (see ParseSet)
// of packages named benchNNNNN (genrpm.Binaries) into dir/set/rpms, once,
// and returns their specs and that directory.
func BinarySet(dir, set string) ([]genrpm.Spec, string) {
	n, size := ParseSet(set)
	specs := genrpm.Binaries("bench", n, size)
	rpms := filepath.Join(dir, set, "rpms")
	Generate(rpms, specs)
	return specs, rpms
}

// Header is the start of every benchmark configuration: a compose whose
// closure is not checked and one rpm_dir source, named name, of rpms.
func Header(name, rpms string) string {
	return fmt.Sprintf(`compose {
  name    = "Bench"
  version = "1"
  closure = "off"
}
source "rpm_dir" %q {
  path = %q
}
`, name, rpms)
}
