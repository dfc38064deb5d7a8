package command

import (
	"context"
	"fmt"
)

func runPlan(c *cli, args []string) int {
	fs := c.flags()
	var pf planFlags
	pf.register(fs)
	out := fs.String("out", "", "save the plan to this file, for strata apply FILE")
	dir, code, stop := c.parseDir(fs, args)
	if stop {
		return code
	}
	if !c.parseTargets(&pf) {
		return exitUsage
	}
	s, diags := c.makePlan(context.Background(), dir, &pf, nil)
	defer s.close()
	if pf.json {
		if diags.HasErrors() {
			s.plan = nil
		}
		c.printJSON(planJSON(s.plan, diags))
	} else {
		c.diagnose(diags)
	}
	if diags.HasErrors() || s.plan == nil {
		return exitError
	}
	if !pf.json {
		c.printPlan(s.plan)
	}
	if *out != "" {
		if err := s.plan.Save(*out); err != nil {
			return c.errorf("saving the plan: %v", err)
		}
		if !pf.json {
			fmt.Fprintf(c.stdout, "\nSaved the plan to %s. To build exactly this, run: strata apply %s\n", *out, *out)
		}
	}
	return exitOK
}
