package command

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
)

// CPUProfileEnv names a file to write a CPU profile of the run to, for
// go tool pprof.
const CPUProfileEnv = "STRATA_CPU_PROFILE"

// MemProfileEnv names a file to write a profile of the run's memory
// allocations to when it ends, for go tool pprof.
const MemProfileEnv = "STRATA_MEM_PROFILE"

// startProfiles starts the profiles the environment asks for and
// returns what ends them. A built-in plugin writes its own beside the
// core's (FILE.yumrepo). A profile that cannot be written (a sandboxed
// plugin may not write there) is said, and the run goes on without it.
func startProfiles(args []string, stderr io.Writer) (stop func()) {
	suffix := ""
	if args[0] == "plugin" {
		suffix = "." + strings.Join(args[1:], ".")
	}
	stopCPU := func() {}
	if path := os.Getenv(CPUProfileEnv); path != "" {
		var err error
		if stopCPU, err = startCPUProfile(path + suffix); err != nil {
			fmt.Fprintf(stderr, "strata: %s: %v\n", CPUProfileEnv, err)
			stopCPU = func() {}
		}
	}
	return func() {
		stopCPU()
		if path := os.Getenv(MemProfileEnv); path != "" {
			if err := writeMemProfile(path + suffix); err != nil {
				fmt.Fprintf(stderr, "strata: %s: %v\n", MemProfileEnv, err)
			}
		}
	}
}

func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// writeMemProfile writes what the run allocated, and what it still
// holds, to path.
func writeMemProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC() // the profile is as of the last collection
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
