package benchrun

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-build/strata/internal/rig/genrpm"
)

// Setup is what the comparison benchmarks' common flags give.
type Setup struct {
	// Strata is the strata binary, absolute.
	Strata string
	// Sets are the package sets, COUNTxSIZE.
	Sets []string
	// Dir holds generated packages and work.
	Dir string
}

// Flags parses -strata, -sets (default defaultSets) and -work, with any
// flags the benchmark defined before; cleanup removes a temporary work
// directory.
func Flags(defaultSets string) (Setup, func()) {
	strata := flag.String("strata", "bin/strata", "the strata binary")
	sets := flag.String("sets", defaultSets, "package sets: COUNTxSIZE, comma-separated")
	work := flag.String("work", "", "keep generated packages here between runs (default: a temporary directory)")
	flag.Parse()
	bin, err := filepath.Abs(*strata)
	Check(err)
	dir, cleanup := WorkDir(*work)
	return Setup{Strata: bin, Sets: strings.Split(*sets, ","), Dir: dir}, cleanup
}

// Generate writes specs into dir as packages, unless dir exists from an
// earlier run.
func Generate(dir string, specs []genrpm.Spec) {
	if _, err := os.Stat(dir); err == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "generating %d packages into %s...\n", len(specs), dir)
	Check(genrpm.Write(dir, specs))
}
