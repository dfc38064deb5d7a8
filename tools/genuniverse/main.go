// Command genuniverse generates a package universe for a configuration,
// shaped as a build tag: one package for every name its groups, modules
// and variants list, mostly depending on what each module and the
// modules it requires list, and, with -tag (the default), packages
// nobody lists that gathering pulls in (-libs and -common subpackages,
// helpers providing files, three providers of a capability, one of them
// obsoleted, alternatives of a rich dependency) and dependencies that
// cross modules; realistic sizes and a dist tag.
// Packages described in a JSON file (as genrpms reads them) replace the
// generated ones by name: those that need real content.
//
//	go run ./tools/genuniverse -config examples/fedora -given examples/fedora/packages.json -out examples/fedora/rpms
//	go run ./tools/genuniverse ... -bump gnome-shell   # an update: one release newer
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/strata-build/strata/internal/rig/genrpm"
)

func main() {
	config := flag.String("config", "", "the configuration's directory")
	given := flag.String("given", "", "JSON file of packages written as given (optional)")
	out := flag.String("out", "", "directory to write the packages into")
	size := flag.Int("size", 24<<10, "median payload size in bytes")
	dist := flag.String("dist", "fc41", "dist tag ending each release")
	bump := flag.String("bump", "", "comma-separated names to generate one release newer")
	tag := flag.Bool("tag", true, "add what a build tag holds beside the listed packages (see the package comment)")
	flag.Parse()
	if *config == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: genuniverse -config DIR [-given FILE.json] [-size BYTES] [-bump NAME,...] -out DIR")
		os.Exit(2)
	}
	if err := run(*config, *given, *out, *size, *dist, *bump, *tag); err != nil {
		fmt.Fprintln(os.Stderr, "genuniverse:", err)
		os.Exit(1)
	}
}

func run(config, given, out string, size int, dist, bump string, tag bool) error {
	opt := genrpm.UniverseOptions{Size: size, Dist: dist, Bump: map[string]bool{}, Tag: tag}
	for _, name := range strings.Split(bump, ",") {
		if name != "" {
			opt.Bump[name] = true
		}
	}
	all, err := genrpm.ForConfig(config, given, opt)
	if err != nil {
		return err
	}
	for name := range opt.Bump {
		if !listed(all, name) {
			return fmt.Errorf("-bump %s: the configuration lists no such package", name)
		}
	}
	if err := genrpm.Write(out, all); err != nil {
		return err
	}
	fmt.Printf("genuniverse: wrote %d packages to %s\n", len(all), out)
	return nil
}

func listed(specs []genrpm.Spec, name string) bool {
	for _, s := range specs {
		if s.Name == name {
			return true
		}
	}
	return false
}
