package command

import (
	"os"
	"runtime/pprof"
)

// CPUProfileEnv names a file to write a CPU profile of the run to, for
// go tool pprof.
const CPUProfileEnv = "STRATA_CPU_PROFILE"

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
