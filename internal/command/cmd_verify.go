package command

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-build/strata/core/compose"
	"github.com/strata-build/strata/core/store"
)

// runVerify hashes every store entry and the newest compose again, as
// ostree fsck does for a repository: the cheap check an apply makes of
// what it reuses (sizes and modification times) misses a file changed
// with its time put back.
func runVerify(c *cli, args []string) int {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print what was checked and every problem as JSON")
	outDir := fs.String("out-dir", "", "where the composes are (default: out/ beside the configuration)")
	dir, code, stop := c.parseDir(fs, args)
	if stop {
		return code
	}
	if _, err := os.Stat(filepath.Join(dir, ".strata")); err != nil {
		return c.errorf("%s has no .strata directory: nothing was applied there", dir)
	}
	st := &store.Store{Dir: filepath.Join(dir, ".strata")}
	keys, err := st.Keys()
	if err != nil {
		return c.errorf("%v", err)
	}
	var problems []string
	var storeBytes int64
	for _, k := range keys {
		n, err := st.VerifyEntry(k)
		storeBytes += n
		if err != nil {
			problems = append(problems, fmt.Sprintf("store entry %s: %v", k, err))
		}
	}
	out := *outDir
	if out == "" {
		out = filepath.Join(dir, "out")
	}
	result := map[string]any{"store": map[string]any{"entries": len(keys), "bytes": storeBytes}}
	if latest, err := os.Readlink(filepath.Join(out, "latest")); err == nil {
		checked, err := compose.Verify(filepath.Join(out, latest), st)
		if err != nil {
			return c.errorf("compose %s: %v", latest, err)
		}
		result["compose"] = map[string]any{"id": latest, "files": checked.Files, "bytes": checked.Bytes}
		for _, p := range checked.Problems {
			problems = append(problems, fmt.Sprintf("compose %s: %s", latest, p))
		}
		if !*asJSON {
			fmt.Fprintf(c.stdout, "Compose %s: %d files (%s) hashed again.\n", latest, checked.Files, megabytes(checked.Bytes))
		}
	}
	if *asJSON {
		result["problems"] = append([]string{}, problems...)
		c.printJSON(result)
	} else {
		fmt.Fprintf(c.stdout, "Store: %d entries (%s) hashed again.\n", len(keys), megabytes(storeBytes))
		for _, p := range problems {
			fmt.Fprintf(c.stdout, "  damaged: %s\n", p)
		}
		if len(problems) == 0 {
			fmt.Fprintln(c.stdout, "Everything matches what was built.")
		} else {
			fmt.Fprintf(c.stdout, "%d problems. The next apply builds every damaged store entry again and writes a new compose.\n", len(problems))
		}
	}
	if len(problems) > 0 {
		return exitError
	}
	return exitOK
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
