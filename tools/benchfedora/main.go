// Command benchfedora measures strata at a distribution's scale: Fedora
// 41's comps imported with `strata import comps`, a universe generated
// for every package name it lists (closed dependencies, sizes spread
// around -size), and four variants' repositories composed from its
// environments. It reports the first plan (every header read), a plan
// with nothing changed, the first apply, and an apply after one package
// of one variant changed, each from cold page caches, against the
// targets (plan under 2 s, re-apply under a tenth of the first). make
// bench runs it.
//
//	go run ./tools/benchfedora -strata bin/strata -comps ../shared/testdata/comps/comps-f41.xml
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-build/strata/internal/rig/benchrun"
	"github.com/strata-build/strata/internal/rig/genrpm"
)

// changed is the package updated before the re-apply: in Workstation's
// environment only.
const changed = "gnome-shell"

func main() {
	comps := flag.String("comps", "../shared/testdata/comps/comps-f41.xml", "the comps file to import")
	sizeFlag := flag.String("size", "1000k", "median payload size of the generated packages (k: thousands of bytes)")
	setup, cleanup := benchrun.Flags("fedora")
	defer cleanup()
	_, median := benchrun.ParseSet("1x" + *sizeFlag)
	cfg := filepath.Join(setup.Dir, "fedora")
	os.RemoveAll(filepath.Join(cfg, ".strata"))
	os.RemoveAll(filepath.Join(cfg, "out"))
	benchrun.Check(os.MkdirAll(cfg, 0o755))
	groups := filepath.Join(cfg, "groups.hcl")
	os.Remove(groups)
	benchrun.Run(setup.Strata, "import", "comps", "-out", groups, *comps)
	benchrun.Check(os.WriteFile(filepath.Join(cfg, "main.hcl"), []byte(benchrun.FedoraConfig(benchrun.FedoraVariants, "")), 0o644))

	rpms := filepath.Join(cfg, "rpms")
	specs, err := genrpm.ForConfig(cfg, "", genrpm.UniverseOptions{Size: median, Dist: "fc41"})
	benchrun.Check(err)
	benchrun.Generate(rpms, specs)
	update := filepath.Join(setup.Dir, "update")
	os.RemoveAll(update)
	bumped, err := genrpm.ForConfig(cfg, "", genrpm.UniverseOptions{Size: median, Dist: "fc41", Bump: map[string]bool{changed: true}})
	benchrun.Check(err)
	for _, s := range bumped {
		if s.Name == changed {
			benchrun.Check(genrpm.Write(update, []genrpm.Spec{s}))
		}
	}

	benchrun.Run(setup.Strata, "init", cfg)
	benchrun.DropCaches()
	firstPlan, _ := benchrun.Run(setup.Strata, "plan", cfg)
	plan, _ := benchrun.Run(setup.Strata, "plan", cfg)
	// The first apply starts from nothing: no header cache, no store.
	benchrun.Check(os.RemoveAll(filepath.Join(cfg, ".strata")))
	benchrun.Check(os.RemoveAll(filepath.Join(cfg, "out")))
	benchrun.DropCaches()
	apply, applyMB := benchrun.Run(setup.Strata, "apply", "-auto-approve", cfg)
	moved, err := filepath.Glob(filepath.Join(update, "*.rpm"))
	benchrun.Check(err)
	for _, m := range moved {
		benchrun.Check(os.Rename(m, filepath.Join(rpms, filepath.Base(m))))
	}
	benchrun.DropCaches()
	reapply, _ := benchrun.Run(setup.Strata, "apply", "-auto-approve", cfg)
	benchrun.Check(os.Remove(filepath.Join(rpms, filepath.Base(moved[0]))))

	fmt.Printf("%d packages (%.0f MB), %d variants' repositories\n", len(specs), float64(benchrun.TreeBytes(rpms))/1e6, len(benchrun.FedoraVariants))
	fmt.Printf("%-28s %8s  %s\n", "step", "time", "target")
	fmt.Printf("%-28s %7.2fs  %s\n", "first plan (reads headers)", firstPlan.Seconds(), verdict(firstPlan.Seconds() < 2, "under 2 s"))
	fmt.Printf("%-28s %7.2fs  %s\n", "plan, nothing changed", plan.Seconds(), verdict(plan.Seconds() < 2, "under 2 s"))
	fmt.Printf("%-28s %7.2fs  (peak %.0f MB)\n", "first apply (from nothing)", apply.Seconds(), applyMB)
	fmt.Printf("%-28s %7.2fs  %.3fx of the first apply, %s\n", "apply, "+changed+" changed", reapply.Seconds(),
		reapply.Seconds()/apply.Seconds(), verdict(reapply < apply/10, "under 0.1x"))
}

func verdict(ok bool, target string) string {
	if ok {
		return "met (" + target + ")"
	}
	return "NOT met (" + target + ")"
}
