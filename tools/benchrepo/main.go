// Command benchrepo compares strata's yumrepo artifact with createrepo_c
// on the same packages, in one run, and prints the ratios: cold build
// time and peak memory (the sum over each tool's processes), and the time
// to add one package to a built repository (strata apply again against
// createrepo_c --update). It also times the floor of a cold build,
// reading and hashing every file once, and gives both tools' cold times
// as multiples of it. make bench runs it.
//
//	go run ./tools/benchrepo -strata bin/strata -sets 2000x250k,20000x2k
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/strata-build/strata/internal/rig/benchrun"
	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/files"
)

func main() {
	setup, cleanup := benchrun.Flags("2000x250k,20000x2k")
	defer cleanup()
	fmt.Printf("%-11s | %8s %8s %6s | %7s %6s %6s | %8s %8s %6s | %8s %8s %6s\n", "set", "strata", "createre", "ratio",
		"floor", "s÷fl", "c÷fl", "strataMB", "createMB", "ratio", "add one", "--update", "ratio")
	for _, set := range setup.Sets {
		n, size := benchrun.ParseSet(set)
		rpms := filepath.Join(setup.Dir, set, "rpms")
		benchrun.Generate(rpms, specs(n, size, 0))
		r := compare(setup.Strata, filepath.Join(setup.Dir, set), rpms)
		fmt.Printf("%-11s | %7.2fs %7.2fs %5.2fx | %6.2fs %5.2fx %5.2fx | %8.0f %8.0f %5.2fx | %7.2fs %7.2fs %5.2fx\n", set,
			r.strata.Seconds(), r.createrepo.Seconds(), r.strata.Seconds()/r.createrepo.Seconds(),
			r.floor.Seconds(), r.strata.Seconds()/r.floor.Seconds(), r.createrepo.Seconds()/r.floor.Seconds(),
			r.strataMB, r.createrepoMB, r.strataMB/r.createrepoMB,
			r.strataAdd.Seconds(), r.update.Seconds(), r.strataAdd.Seconds()/r.update.Seconds())
	}
}

type result struct {
	strata, createrepo, floor, strataAdd, update time.Duration
	strataMB, createrepoMB                       float64
}

// compare builds the repository both ways, each from cold caches, then
// adds one package and builds again.
func compare(strata, dir, rpms string) result {
	r := result{floor: floor(rpms)}
	crDir := filepath.Join(dir, "createrepo")
	os.RemoveAll(crDir)
	benchrun.Check(files.LinkTree(rpms, crDir))
	benchrun.DropCaches()
	r.createrepo, r.createrepoMB = benchrun.Run("createrepo_c", "--workers", "2", "--no-database", "-q", crDir)

	cfg := filepath.Join(dir, "strata")
	os.RemoveAll(cfg)
	benchrun.Check(os.MkdirAll(cfg, 0o755))
	writeConfig(cfg, rpms)
	benchrun.Run(strata, "init", cfg)
	benchrun.DropCaches()
	r.strata, r.strataMB = benchrun.Run(strata, "apply", "-auto-approve", cfg)

	extra := specs(1, 2000, 99999)
	benchrun.Check(genrpm.Write(rpms, extra))
	benchrun.Check(genrpm.Write(crDir, extra))
	r.update, _ = benchrun.Run("createrepo_c", "--workers", "2", "--no-database", "--update", "-q", crDir)
	r.strataAdd, _ = benchrun.Run(strata, "apply", "-auto-approve", cfg)
	benchrun.Check(os.Remove(filepath.Join(rpms, extra[0].RPM().FileName())))
	return r
}

// writeConfig writes a configuration whose one artifact is a repository
// of every package in rpms, as createrepo_c makes one of a directory:
// Pungi's Everything variant, packages = ["*"].
func writeConfig(cfg, rpms string) {
	benchrun.Check(os.WriteFile(filepath.Join(cfg, "main.hcl"), []byte(benchrun.Header("all", rpms)+`artifact "yumrepo" "all" {
  packages = ["*"]
}
`), 0o644))
}

// specs describes n packages with size bytes of payload that does not
// compress, so that the files have about that size.
func specs(n, size, offset int) []genrpm.Spec {
	out := make([]genrpm.Spec, n)
	for i := range out {
		name := fmt.Sprintf("bench%05d", i+offset)
		out[i] = genrpm.Spec{Name: name, Version: "1.0", Release: "1", Arch: "x86_64",
			Provides: []string{"lib" + name + ".so.1()(64bit)"}, Requires: []string{"/bin/sh", "glibc >= 2.34"},
			Files: genrpm.NoiseFiles(name, size)}
	}
	return out
}
