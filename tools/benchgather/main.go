// Command benchgather measures gathering against dnf on a build tag:
// Fedora 41's comps imported, a universe generated as a tag holds it
// (every name comps lists, the subpackages, helpers and alternatives
// nobody lists, then filler packages up to -packages with sonames,
// -devel pairs, several providers and several versions), and four
// variants from comps' environments. In one run, side by side: strata's
// plan of all four (package lists warm, gathering included) against
// `dnf install --assumeno` of one variant's listed packages from the
// same universe (metadata cache warm), three times each, with peak
// memory (RSS summed over the processes / their pages, shared ones
// once). The targets: strata's plan of four variants no slower than
// dnf resolving one, and its peak memory no more than dnf's. Before
// them, a first plan, every header read; after them, the applies: the
// first (from an empty store, the package lists warm), one with nothing
// changed, and one after a package a variant lists was updated; an
// unchanged plan and a no-op apply should take at most 1 s.
//
//	go run ./tools/benchgather -strata bin/strata -packages 20000,77000
package main

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-build/strata/internal/rig/benchrun"
	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

func main() {
	comps := flag.String("comps", "../shared/testdata/comps/comps-f41.xml", "the comps file to import")
	packages := flag.String("packages", "20000", "universe sizes, comma-separated")
	strata := flag.String("strata", "bin/strata", "the strata binary")
	work := flag.String("work", "", "keep generated packages here between runs (default: a temporary directory)")
	flag.Parse()
	bin, err := filepath.Abs(*strata)
	benchrun.Check(err)
	dir, cleanup := benchrun.WorkDir(*work)
	defer cleanup()
	if _, err := os.Stat(*comps); err != nil {
		fmt.Fprintf(os.Stderr, "benchgather: %v (the real-world corpus shared/testdata is beside the project's CI checkout)\n", err)
		os.Exit(1)
	}
	fmt.Printf("%-8s %-17s %-52s %-52s %-17s %-17s %s\n", "packages", "first plan", "strata plan, 4 variants", "dnf install --assumeno, 1 variant",
		"first apply", "no-op apply", "one updated")
	for _, n := range strings.Split(*packages, ",") {
		count, err := strconv.Atoi(n)
		benchrun.Check(err)
		run(bin, *comps, filepath.Join(dir, n), count)
	}
}

// applies runs the first apply from an empty store, a no-op apply, and
// one after a listed package was updated, and formats each time and
// peak memory.
func applies(strata, cfg string, specs []genrpm.Spec, listed []string) []string {
	benchrun.Check(os.RemoveAll(filepath.Join(cfg, ".strata", "store")))
	benchrun.Check(os.RemoveAll(filepath.Join(cfg, "out")))
	var out []string
	step := func() { out = append(out, measure(0, strata, "apply", "-auto-approve", cfg)) }
	step()
	step()
	name := listed[len(listed)/2]
	var update genrpm.Spec
	for _, sp := range specs {
		if sp.Name == name {
			update = sp
		}
	}
	update.Release = "2"
	rpms := filepath.Join(cfg, "rpms")
	benchrun.Check(genrpm.Write(rpms, []genrpm.Spec{update}))
	step()
	benchrun.Check(os.Remove(filepath.Join(rpms, update.RPM().FileName())))
	return out
}

func run(strata, comps, cfg string, count int) {
	benchrun.Check(os.MkdirAll(cfg, 0o755))
	groups := filepath.Join(cfg, "groups.hcl")
	if _, err := os.Stat(groups); err != nil {
		benchrun.Run(strata, "import", "comps", "-out", groups, comps)
	}
	benchrun.Check(os.WriteFile(filepath.Join(cfg, "main.hcl"), []byte(benchrun.FedoraConfig(benchrun.FedoraVariants, "  closure = \"warn\"\n")), 0o644))
	specs, err := genrpm.ForConfig(cfg, "", genrpm.UniverseOptions{Size: 2000, Dist: "fc41", Tag: true})
	benchrun.Check(err)
	specs = append(specs, filler(count-len(specs))...)
	rpms := filepath.Join(cfg, "rpms")
	benchrun.Generate(rpms, specs)
	listed := listedNames(cfg, benchrun.FedoraVariants[0].Module)

	benchrun.Run(strata, "init", cfg)
	// The first plan reads every header (from the page cache) and writes
	// the package list the others read.
	benchrun.Check(os.RemoveAll(filepath.Join(cfg, ".strata", "cache", "sources")))
	first := measure(0, strata, "plan", cfg)
	var ours []string
	for i := 0; i < 3; i++ {
		ours = append(ours, measure(0, strata, "plan", cfg))
	}

	repo := filepath.Join(cfg, "repo")
	if _, err := os.Stat(filepath.Join(repo, "repodata")); err != nil {
		benchrun.Check(os.MkdirAll(repo, 0o755))
		benchrun.Run("createrepo_c", "-q", "--workers", "2", "--no-database", "-o", repo, rpms)
	}
	cache := filepath.Join(cfg, "dnf-cache")
	dnf := append(dnfArgs(repo, cache), "makecache")
	benchrun.Run("dnf", dnf...)
	var theirs []string
	for i := 0; i < 3; i++ {
		args := append(dnfArgs(repo, cache), append([]string{"--installroot=" + filepath.Join(cfg, "root"), "--setopt=install_weak_deps=False",
			"-C", "install", "--assumeno"}, listed...)...)
		theirs = append(theirs, measure(1, "dnf", args...)) // --assumeno: the transaction is refused
	}
	applied := applies(strata, cfg, specs, listed)
	fmt.Printf("%-8d %-17s %-52s %-52s %s\n", len(specs), first, strings.Join(ours, ", "), strings.Join(theirs, ", "), strings.Join(applied, "  "))
}

// measure runs a command that exits with want and formats its time and
// peak memory: the resident sets summed over its processes, then the
// pages they hold together, each once (benchrun.Peak).
func measure(want int, name string, args ...string) string {
	d, peak := benchrun.RunPeak(want, name, args...)
	return fmt.Sprintf("%.2fs %3.0f/%3.0fMB", d.Seconds(), peak.RSS, peak.Pages)
}

func dnfArgs(repo, cache string) []string {
	return []string{"-q", "--nogpgcheck", "--setopt=reposdir=/dev/null", "--releasever=1", "--setopt=cachedir=" + cache,
		"--setopt=module_platform_id=platform:f41", "--repofrompath=tag,file://" + repo, "--repo=tag"}
}

// listedNames are the packages a module's groups list that the universe
// holds.
func listedNames(cfg, module string) []string {
	layers, err := genrpm.ConfigLayers(cfg)
	benchrun.Check(err)
	seen := map[string]bool{}
	for _, l := range layers {
		if l.Name == "module."+module {
			for _, p := range l.Packages {
				seen[p] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// filler is n packages nobody lists, depending on each other as a
// distribution's libraries do: sonames, -devel packages requiring their
// library, capabilities with several providers, and an older version of
// every tenth package.
func filler(n int) []genrpm.Spec {
	var out []genrpm.Spec
	for i := 0; len(out) < n; i++ {
		name := fmt.Sprintf("lib%05d", i)
		s := genrpm.Spec{Name: name, Version: "2.0", Arch: "x86_64", Compress: "zstd", BuildTime: genrpm.DefaultBuildTime,
			Provides: []string{name + ".so.2()(64bit)", fmt.Sprintf("capability%03d", i%500)}}
		for k := 1; k <= 3 && i-k*7 >= 0; k++ {
			s.Requires = append(s.Requires, fmt.Sprintf("lib%05d.so.2()(64bit)", i-k*7))
		}
		out = append(out, s)
		if i%4 == 0 && len(out) < n {
			out = append(out, genrpm.Spec{Name: name + "-devel", Version: "2.0", Arch: "x86_64", Compress: "zstd",
				Requires: []string{name + " = 2.0-1", "/usr/bin/pkg-config"}})
		}
		if i%10 == 0 && len(out) < n {
			old := s
			old.Version, old.Requires = "1.0", nil
			out = append(out, old)
		}
		if i == 0 && len(out) < n {
			out = append(out, genrpm.Spec{Name: "pkgconf", Version: "2", Arch: "x86_64", Compress: "zstd",
				Files: []sdktest.File{{Path: "/usr/bin/pkg-config", Body: "pkgconf\n", Mode: 0o755}}})
		}
	}
	return out
}
