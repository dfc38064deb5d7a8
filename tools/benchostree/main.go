// Command benchostree measures strata's ostree artifact against
// `ostree commit` of the same tree, in one run: strata commits the
// packages into an archive repository, the commit is checked out, and
// `ostree commit` writes that tree into a fresh archive repository, both
// cold. Both root trees must have the same checksum. Then one package
// changes and strata commits again on the first commit, three times
// over; the median is reported. make bench runs it.
//
//	go run ./tools/benchostree -strata bin/strata -sets 2000x250k,2000x100k
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strata-build/strata/internal/rig/benchrun"
	"github.com/strata-build/strata/internal/rig/genrpm"
)

const ref = "bench/x86_64/host"

// changes is how many times one package changes: the changed commit's
// time is their median, this machine being shared and noisy.
const changes = 3

func main() {
	setup, cleanup := benchrun.Flags("2000x250k,2000x100k")
	defer cleanup()
	fmt.Printf("%-10s | %7s | %8s %5s | %8s %5s | %6s | %8s %6s\n", "set", "tree",
		"strata", "MB", "ostree", "MB", "time", "1 chg*", "/full")
	for _, set := range setup.Sets {
		base, rpms := benchrun.BinarySet(setup.Dir, set)
		_, size := benchrun.ParseSet(set)
		// The first package, changed three times: one release newer each.
		var updates []string
		for rel := 2; rel <= 1+changes; rel++ {
			changed := base[0]
			changed.Release = strconv.Itoa(rel)
			changed.Files = genrpm.BinaryFiles(changed.Name, size+1000*rel)
			update := filepath.Join(setup.Dir, set, fmt.Sprintf("update-%d", rel))
			benchrun.Generate(update, []genrpm.Spec{changed})
			updates = append(updates, update)
		}
		r := measure(setup.Strata, filepath.Join(setup.Dir, set), rpms, updates, genrpm.Names(base))
		fmt.Printf("%-10s | %5.0fMB | %7.2fs %5.0f | %7.2fs %5.0f | %5.2fx | %7.2fs %5.2fx\n", set, float64(r.payload)/1e6,
			r.strata.Seconds(), r.strataMB, r.ostree.Seconds(), r.ostreeMB,
			r.strata.Seconds()/r.ostree.Seconds(), r.changed.Seconds(), r.changed.Seconds()/r.strata.Seconds())
	}
	fmt.Printf("* one package changed: the median of %d commits, each cold\n", changes)
}

type result struct {
	payload                 int64
	strata, ostree, changed time.Duration
	strataMB, ostreeMB      float64
}

// measure commits the packages with strata cold, checks the commit out
// and commits that tree with ostree cold, compares the two root trees,
// then commits again, cold, with one package changed, once for each
// update: the median of those is the changed commit's time.
func measure(strata, dir, rpms string, updates []string, names []string) result {
	var r result
	cfg := filepath.Join(dir, "strata")
	os.RemoveAll(cfg)
	benchrun.Check(os.MkdirAll(cfg, 0o755))
	writeConfig(cfg, names, rpms)
	benchrun.Run(strata, "init", cfg)
	benchrun.DropCaches()
	r.strata, r.strataMB = benchrun.Run(strata, "apply", "-auto-approve", cfg)
	ours := repoPath(strata, cfg)

	tree, theirs := filepath.Join(dir, "tree"), filepath.Join(dir, "ostree-repo")
	os.RemoveAll(tree)
	os.RemoveAll(theirs)
	checkout := []string{"--repo=" + ours, "checkout", ref, tree}
	if os.Geteuid() != 0 {
		checkout = append([]string{"--repo=" + ours, "checkout", "-U"}, ref, tree)
	}
	benchrun.Run("ostree", checkout...)
	r.payload = benchrun.TreeBytes(tree)
	benchrun.Run("ostree", "init", "--mode=archive", "--repo="+theirs)
	benchrun.DropCaches()
	r.ostree, r.ostreeMB = benchrun.Run("ostree", "commit", "--repo="+theirs, "--branch="+ref, "--tree=dir="+tree,
		"--owner-uid=0", "--owner-gid=0", "--timestamp=2025-01-01T00:00:00Z", "--subject=bench")
	a, b := rootTree(ours), rootTree(theirs)
	if !bytes.Equal(a, b) {
		benchrun.Check(fmt.Errorf("strata and ostree committed different trees:\n%s\n%s", a, b))
	}
	os.RemoveAll(tree)
	os.RemoveAll(theirs)

	var times []time.Duration
	for _, update := range updates {
		writeConfig(cfg, names, rpms, update)
		benchrun.DropCaches()
		t, _ := benchrun.Run(strata, "apply", "-auto-approve", cfg)
		times = append(times, t)
	}
	slices.Sort(times)
	r.changed = times[len(times)/2]
	return r
}

// writeConfig writes a configuration committing the named packages,
// taken from the newest build the sources hold.
func writeConfig(cfg string, names []string, sources ...string) {
	var text strings.Builder
	fmt.Fprintf(&text, "compose {\n  name    = \"Bench\"\n  version = \"1\"\n  closure = \"off\"\n}\n")
	for i, s := range sources {
		fmt.Fprintf(&text, "source \"rpm_dir\" \"s%d\" {\n  path = %q\n}\n", i, s)
	}
	fmt.Fprintf(&text, "artifact \"ostree\" \"host\" {\n  ref      = %q\n  packages = [%s]\n}\n", ref, benchrun.Quoted(names))
	benchrun.Check(os.WriteFile(filepath.Join(cfg, "main.hcl"), []byte(text.String()), 0o644))
}

// repoPath is the stored repository of the artifact, found through
// strata show.
func repoPath(strata, cfg string) string {
	var shown struct {
		Path    string `json:"path"`
		Outputs struct {
			Value struct {
				Repo string `json:"repo"`
			} `json:"value"`
		} `json:"outputs"`
	}
	benchrun.Check(json.Unmarshal(benchrun.Output(strata, "show", "-json", "artifact.ostree.host", cfg), &shown))
	return filepath.Join(shown.Path, shown.Outputs.Value.Repo)
}

// rootTree is what `ostree ls` prints of the root directory of the ref,
// with its dirtree and dirmeta checksums.
func rootTree(repo string) []byte {
	return benchrun.Output("ostree", "--repo="+repo, "ls", "-C", "-d", ref, "/")
}
