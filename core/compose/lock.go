package compose

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// lockPath takes an exclusive lock on path (a file it creates, or a
// directory), waiting for it when wait is set; closing the file releases
// it, as the kernel does when its holder dies.
func lockPath(path string, wait bool) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		if f, err = os.Open(path); err != nil {
			return nil, err
		}
	}
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// removeStale removes the temporary compose directories in outDir that no
// writer holds: those of applies that were killed.
func removeStale(outDir string) {
	entries, err := os.ReadDir(outDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), ".tmp-") {
			continue
		}
		path := filepath.Join(outDir, e.Name())
		if f, err := lockPath(path, false); err == nil {
			os.RemoveAll(path)
			f.Close()
		}
	}
}
