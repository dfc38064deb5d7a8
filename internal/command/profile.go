package command

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// CPUProfileEnv names a file to write a CPU profile of the run to, for
// go tool pprof.
const CPUProfileEnv = "STRATA_CPU_PROFILE"

// MemProfileEnv names a file to write a profile of the run's memory
// allocations to when it ends, for go tool pprof.
const MemProfileEnv = "STRATA_MEM_PROFILE"

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
