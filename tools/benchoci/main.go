// Command benchoci measures strata's oci artifact against the same tree
// through `tar | gzip -6`, in one run, and prints the payload throughput
// of both and their ratio; then the time of an apply that adds one
// package to an image layered on the big one (only the new layer is
// built). make bench runs it.
//
//	go run ./tools/benchoci -strata bin/strata -packages 2000 -size 100k
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/strata-build/strata/internal/rig/benchrun"
	"github.com/strata-build/strata/internal/rig/genrpm"
)

func main() {
	strata := flag.String("strata", "bin/strata", "the strata binary")
	count := flag.Int("packages", 2000, "packages in the base image")
	size := flag.String("size", "100k", "payload bytes per package (k for thousands)")
	work := flag.String("work", "", "keep generated packages here between runs (default: a temporary directory)")
	flag.Parse()
	bin, err := filepath.Abs(*strata)
	benchrun.Check(err)
	bytes, err := strconv.Atoi(strings.TrimSuffix(*size, "k"))
	benchrun.Check(err)
	if strings.HasSuffix(*size, "k") {
		bytes *= 1000
	}
	dir, cleanup := benchrun.WorkDir(*work)
	defer cleanup()
	set := fmt.Sprintf("%dx%s", *count, *size)
	rpms := filepath.Join(dir, set, "rpms")
	base, extra := genrpm.Binaries("bench", *count, bytes), genrpm.Binaries("extra", 2, bytes)
	if _, err := os.Stat(rpms); err != nil {
		fmt.Fprintf(os.Stderr, "generating %d packages of about %d bytes...\n", *count, bytes)
		benchrun.Check(genrpm.Write(rpms, append(base, extra...)))
	}
	r := measure(bin, filepath.Join(dir, set), rpms, base, extra)
	mb := float64(r.payload) / 1e6
	fmt.Printf("%-10s | %7s | %8s %7s %5s | %8s %7s | %6s | %8s %8s %6s\n", "set", "payload",
		"strata", "MB/s", "MB", "tar|gz-6", "MB/s", "speed", "layered", "add one", "/base")
	fmt.Printf("%-10s | %5.0fMB | %7.2fs %7.1f %5.0f | %7.2fs %7.1f | %5.2fx | %7.2fs %7.2fs %5.2fx\n", set, mb,
		r.strata.Seconds(), mb/r.strata.Seconds(), r.strataMB, r.gzip.Seconds(), mb/r.gzip.Seconds(),
		r.gzip.Seconds()/r.strata.Seconds(), r.layered.Seconds(), r.addOne.Seconds(), r.addOne.Seconds()/r.strata.Seconds())
}

type result struct {
	payload                       int64
	strata, gzip, layered, addOne time.Duration
	strataMB                      float64
}

// measure builds the base image cold, compresses the same tree with tar
// and gzip -6 cold, then builds an image layered on the base and adds one
// package to it.
func measure(strata, dir, rpms string, base, extra []genrpm.Spec) result {
	var r result
	cfg := filepath.Join(dir, "strata")
	os.RemoveAll(cfg)
	benchrun.Check(os.MkdirAll(cfg, 0o755))
	writeConfig(cfg, rpms, base, nil)
	benchrun.Run(strata, "init", cfg)
	benchrun.DropCaches()
	r.strata, r.strataMB = benchrun.Run(strata, "apply", "-auto-approve", cfg)

	tree := filepath.Join(dir, "tree")
	os.RemoveAll(tree)
	benchrun.Check(os.MkdirAll(tree, 0o755))
	benchrun.Run("tar", "-xzf", layerBlob(strata, cfg), "-C", tree, "--numeric-owner")
	r.payload = benchrun.TreeBytes(tree)
	benchrun.DropCaches()
	r.gzip, _ = benchrun.Run("sh", "-c", fmt.Sprintf("tar -C %q -cf - . | gzip -6 > %q", tree, filepath.Join(dir, "tree.tar.gz")))
	os.RemoveAll(tree)

	writeConfig(cfg, rpms, base, extra[:1])
	r.layered, _ = benchrun.Run(strata, "apply", "-auto-approve", cfg)
	writeConfig(cfg, rpms, base, extra)
	r.addOne, _ = benchrun.Run(strata, "apply", "-auto-approve", cfg)
	return r
}

// writeConfig writes a configuration with an image of the base packages
// and, when layered names packages, an image of those on top of it.
func writeConfig(cfg, rpms string, base, layered []genrpm.Spec) {
	text := benchrun.Header("all", rpms) + fmt.Sprintf(`artifact "oci" "base" {
  packages = [%s]
}
`, benchrun.Quoted(genrpm.Names(base)))
	if len(layered) > 0 {
		text += fmt.Sprintf(`artifact "oci" "app" {
  base     = artifact.oci.base
  packages = [%s]
}
`, benchrun.Quoted(genrpm.Names(layered)))
	}
	benchrun.Check(os.WriteFile(filepath.Join(cfg, "main.hcl"), []byte(text), 0o644))
}

// layerBlob is the path of the base image's one layer, found through
// strata show and the image layout.
func layerBlob(strata, cfg string) string {
	var shown struct {
		Path    string `json:"path"`
		Outputs struct {
			Value struct {
				Layout string `json:"layout"`
			} `json:"value"`
		} `json:"outputs"`
	}
	benchrun.Check(json.Unmarshal(benchrun.Output(strata, "show", "-json", "artifact.oci.base", cfg), &shown))
	layout := filepath.Join(shown.Path, shown.Outputs.Value.Layout)
	var index struct {
		Manifests []struct{ Digest string } `json:"manifests"`
	}
	var manifest struct {
		Layers []struct{ Digest string } `json:"layers"`
	}
	benchrun.Check(json.Unmarshal(readBlob(layout, "index.json"), &index))
	if len(index.Manifests) != 1 {
		benchrun.Check(fmt.Errorf("%s: want one manifest, found %d", layout, len(index.Manifests)))
	}
	benchrun.Check(json.Unmarshal(readBlob(layout, blobPath(index.Manifests[0].Digest)), &manifest))
	if len(manifest.Layers) != 1 {
		benchrun.Check(fmt.Errorf("%s: want one layer, found %d", layout, len(manifest.Layers)))
	}
	return filepath.Join(layout, blobPath(manifest.Layers[0].Digest))
}

func blobPath(digest string) string {
	return filepath.Join("blobs", strings.Replace(digest, ":", "/", 1))
}

func readBlob(layout, rel string) []byte {
	data, err := os.ReadFile(filepath.Join(layout, rel))
	benchrun.Check(err)
	return data
}
