package command

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/strata-build/strata/internal/compsimport"
	"github.com/strata-build/strata/sdk/files"
)

// runImport turns another tool's description into the language: today a
// comps file into group blocks and modules.
func runImport(c *cli, args []string) int {
	fs := c.flags()
	out := fs.String("out", "", "write the blocks to this file instead of standard output (refused if it exists)")
	kind := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		kind, args = args[0], args[1:]
	}
	if code, stop := c.parse(fs, args); stop {
		return code
	}
	if kind != "comps" || fs.NArg() != 1 {
		fmt.Fprintf(c.stderr, "strata import: give what to import and the file: strata import comps [-out FILE] FILE.xml\n")
		return exitUsage
	}
	src := fs.Arg(0)
	data, err := os.ReadFile(src)
	if err != nil {
		return c.errorf("%v", err)
	}
	comps, err := compsimport.Parse(bytes.NewReader(data), src)
	if err != nil {
		return c.errorf("%v", err)
	}
	for _, w := range comps.Warnings {
		fmt.Fprintf(c.stderr, "Warning: %s\n", w)
	}
	text := comps.HCL(src)
	if *out == "" {
		_, err = c.stdout.Write(text)
	} else {
		err = files.WriteNew(*out, text)
	}
	if err != nil {
		return c.errorf("%v", err)
	}
	return exitOK
}
