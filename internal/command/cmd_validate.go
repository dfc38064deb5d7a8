package command

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/plan"
	"github.com/strata-build/strata/dsl"
)

// count counts error or warning diagnostics.
func count(diags hcl.Diagnostics, errors bool) int {
	n := 0
	for _, d := range diags {
		if (d.Severity == hcl.DiagError) == errors {
			n++
		}
	}
	return n
}

func runValidate(c *cli, args []string) int {
	fs := c.flags()
	var vf varFlags
	vf.register(fs)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	dir, code, stop := c.parseDir(fs, args)
	if stop {
		return code
	}
	cfg, diags := dsl.Load(dir)
	if cfg != nil {
		c.files = cfg.Files
		settings, d := vf.settings(cfg)
		diags = append(diags, d...)
		if !diags.HasErrors() {
			mgr, ok := c.manager(dir)
			if !ok {
				return exitError
			}
			defer mgr.Close()
			diags = append(diags, plan.Validate(plan.Options{Config: cfg, Vars: settings, Plugins: mgr})...)
		}
	}
	if *asJSON {
		c.printJSON(map[string]any{"valid": !diags.HasErrors(), "error_count": count(diags, true),
			"warning_count": count(diags, false), "diagnostics": jsonDiags(diags)})
	} else {
		c.diagnose(diags)
		if !diags.HasErrors() {
			fmt.Fprintln(c.stdout, "Success! The configuration is valid.")
		}
	}
	if diags.HasErrors() {
		return exitError
	}
	return exitOK
}
