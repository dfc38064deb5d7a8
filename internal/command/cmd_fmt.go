package command

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// exitUnformatted is fmt -check's exit code when a file would change, as
// in terraform fmt -check.
const exitUnformatted = 3

func runFmt(c *cli, args []string) int {
	fs := c.flags()
	check := fs.Bool("check", false, "change nothing; list the files that are not formatted and exit 3 if any")
	if code, stop := c.parse(fs, args); stop {
		return code
	}
	targets := fs.Args()
	if len(targets) == 0 {
		targets = []string{"."}
	}
	var files []string
	for _, t := range targets {
		st, err := os.Stat(t)
		if err != nil {
			return c.errorf("%v", err)
		}
		if !st.IsDir() {
			files = append(files, t)
			continue
		}
		matches, _ := filepath.Glob(filepath.Join(t, "*.hcl"))
		for _, m := range matches {
			if !strings.HasPrefix(filepath.Base(m), ".") {
				files = append(files, m)
			}
		}
	}
	sort.Strings(files)
	c.files = map[string]*hcl.File{}
	changed := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return c.errorf("%v", err)
		}
		parsed, diags := hclsyntax.ParseConfig(src, f, hcl.InitialPos)
		c.files[f] = parsed
		if diags.HasErrors() {
			c.diagnose(diags)
			return exitError
		}
		out := hclwrite.Format(src)
		if bytes.Equal(out, src) {
			continue
		}
		changed++
		fmt.Fprintln(c.stdout, f)
		if !*check {
			if err := os.WriteFile(f, out, 0o644); err != nil {
				return c.errorf("%v", err)
			}
		}
	}
	if *check && changed > 0 {
		return exitUnformatted
	}
	return exitOK
}
