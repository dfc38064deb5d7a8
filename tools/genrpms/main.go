// Command genrpms generates the RPM packages an example or a benchmark
// composes from, described in a JSON file:
//
//	go run ./tools/genrpms -spec examples/minimal/packages.json -out examples/minimal/rpms
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/strata-build/strata/internal/rig/genrpm"
)

func main() {
	spec := flag.String("spec", "", "JSON file listing the packages")
	out := flag.String("out", "", "directory to write the packages into")
	flag.Parse()
	if *spec == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: genrpms -spec FILE.json -out DIR")
		os.Exit(2)
	}
	specs, err := genrpm.ReadSpecs(*spec)
	if err == nil {
		err = genrpm.Write(*out, specs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genrpms:", err)
		os.Exit(1)
	}
	fmt.Printf("genrpms: wrote %d packages to %s\n", len(specs), *out)
}
