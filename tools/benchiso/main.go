// Command benchiso measures strata's iso artifact against
// `xorriso -as mkisofs -R -J` writing the same repository, in one run:
// strata builds a yum repository of the packages and its DVD, then the
// DVD alone again with another volume id (what is timed, cold), and
// xorriso writes the stored repository tree into an image, cold, then
// implantisomd5 implants its MD5 (strata implants it while writing).
// Both images must list the same files. make bench runs it.
//
//	go run ./tools/benchiso -strata bin/strata -sets 2000x250k
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/strata-build/strata/internal/rig/benchrun"
	"github.com/strata-build/strata/internal/rig/genrpm"
)

func main() {
	setup, cleanup := benchrun.Flags("2000x250k")
	defer cleanup()
	fmt.Printf("%-10s | %7s | %8s %5s | %8s %5s | %6s | %10s %6s\n", "set", "image",
		"strata", "MB", "xorriso", "MB", "time", "+implant", "time")
	for _, set := range setup.Sets {
		base, rpms := benchrun.BinarySet(setup.Dir, set)
		r := measure(setup.Strata, filepath.Join(setup.Dir, set), rpms, genrpm.Names(base))
		withImplant := r.xorriso + r.implant
		fmt.Printf("%-10s | %5.0fMB | %7.2fs %5.0f | %7.2fs %5.0f | %5.2fx | %9.2fs %5.2fx\n", set, float64(r.size)/1e6,
			r.strata.Seconds(), r.strataMB, r.xorriso.Seconds(), r.xorrisoMB, r.strata.Seconds()/r.xorriso.Seconds(),
			withImplant.Seconds(), r.strata.Seconds()/withImplant.Seconds())
	}
}

type result struct {
	size                     int64
	strata, xorriso, implant time.Duration
	strataMB, xorrisoMB      float64
}

// measure builds the repository and its DVD, then times the DVD alone
// (another volume id) and xorriso on the same tree, both cold.
func measure(strata, dir, rpms string, names []string) result {
	var r result
	cfg := filepath.Join(dir, "strata")
	os.RemoveAll(cfg)
	benchrun.Check(os.MkdirAll(cfg, 0o755))
	writeConfig(cfg, names, rpms, "BENCH-1")
	benchrun.Run(strata, "init", cfg)
	benchrun.Run(strata, "apply", "-auto-approve", cfg)
	writeConfig(cfg, names, rpms, "BENCH-2")
	benchrun.DropCaches()
	r.strata, r.strataMB = benchrun.Run(strata, "apply", "-auto-approve", cfg)
	ours := filepath.Join(storePath(strata, cfg, "artifact.iso.dvd"), "Bench-bench-dvd-x86_64-1.iso")
	fi, err := os.Stat(ours)
	benchrun.Check(err)
	r.size = fi.Size()

	theirs := filepath.Join(dir, "xorriso.iso")
	tree := filepath.Join(storePath(strata, cfg, "artifact.yumrepo.bench"), "x86_64")
	benchrun.DropCaches()
	r.xorriso, r.xorrisoMB = benchrun.Run("xorriso", "-as", "mkisofs", "-quiet", "-R", "-J", "-V", "BENCH-2", "-o", theirs, tree)
	r.implant, _ = benchrun.Run("implantisomd5", theirs)
	a, b := listing(ours), listing(theirs)
	if !slices.Equal(a, b) {
		benchrun.Check(fmt.Errorf("the images list different files (strata %d, xorriso %d)", len(a), len(b)))
	}
	os.Remove(theirs)
	return r
}

// writeConfig writes a configuration of a repository of the named
// packages and its DVD.
func writeConfig(cfg string, names []string, rpms, volumeID string) {
	text := benchrun.Header("rpms", rpms) + fmt.Sprintf(`artifact "yumrepo" "bench" {
  packages = [%s]
}
artifact "iso" "dvd" {
  repo      = artifact.yumrepo.bench
  volume_id = %q
}
`, benchrun.Quoted(names), volumeID)
	benchrun.Check(os.WriteFile(filepath.Join(cfg, "main.hcl"), []byte(text), 0o644))
}

// storePath is the stored directory of an artifact, found through
// strata show.
func storePath(strata, cfg, addr string) string {
	var shown struct {
		Path string `json:"path"`
	}
	benchrun.Check(json.Unmarshal(benchrun.Output(strata, "show", "-json", addr, cfg), &shown))
	return shown.Path
}

// listing is what isoinfo lists of an image's Rock Ridge tree, without
// the .discinfo strata adds for installers.
func listing(iso string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(string(benchrun.Output("isoinfo", "-R", "-f", "-i", iso))), "\n") {
		if l != "/.discinfo" {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}
