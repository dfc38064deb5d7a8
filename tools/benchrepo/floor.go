package main

import (
	"path/filepath"
	"time"

	"github.com/strata-build/strata/internal/rig/benchrun"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/parallel"
)

// floor reads every package file in rpms once and hashes it with
// sha256, on every core, from cold page caches: what a repository's
// metadata needs of the bytes (each file's digest), and so what no cold
// build of it goes under.
func floor(rpms string) time.Duration {
	paths, err := filepath.Glob(filepath.Join(rpms, "*.rpm"))
	benchrun.Check(err)
	benchrun.DropCaches()
	start := time.Now()
	benchrun.Check(parallel.Do(len(paths), func(i int) error {
		_, err := files.SHA256(paths[i])
		return err
	}))
	return time.Since(start)
}
