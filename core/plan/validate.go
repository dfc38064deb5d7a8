package plan

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/eval"
	"github.com/strata-build/strata/internal/addrs"
)

// Validate checks a configuration without reading any package: the
// language, references, variables, and every artifact body against its
// plugin's schema and validation.
func Validate(opts Options) hcl.Diagnostics {
	r, diags := eval.Evaluate(opts.Config, opts.Vars)
	if diags.HasErrors() {
		return diags
	}
	p := &Plan{Opts: opts, Eval: r, Nodes: map[addrs.Instance]*Node{}}
	for _, inst := range r.Instances {
		dec, d := p.decode(inst)
		diags = append(diags, d...)
		if dec != nil {
			diags = append(diags, p.validate(dec)...)
		}
	}
	return dedupe(diags)
}
