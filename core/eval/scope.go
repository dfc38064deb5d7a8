package eval

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/zclconf/go-cty/cty"
)

var functions = dsl.Functions()

// Repetition holds each.key and each.value, or count.index, of an
// artifact instance.
type Repetition struct {
	Key, Value cty.Value // for_each
	Index      cty.Value // count
}

// context builds the evaluation context for expressions with refs: only
// the values they refer to are in it. lookup returns a block's value.
func context(refs []dsl.Reference, lookup func(addrs.Block) cty.Value, rep *Repetition) *hcl.EvalContext {
	flat := map[string]map[string]cty.Value{}
	typed := map[string]map[string]map[string]cty.Value{}
	vars := map[string]cty.Value{}
	for _, r := range refs {
		v := lookup(r.Subject)
		root := r.Traversal.RootName()
		switch r.Subject.Kind {
		case addrs.Compose:
			vars[root] = v
		case addrs.Source, addrs.Artifact:
			if typed[root] == nil {
				typed[root] = map[string]map[string]cty.Value{}
			}
			if typed[root][r.Subject.Type] == nil {
				typed[root][r.Subject.Type] = map[string]cty.Value{}
			}
			typed[root][r.Subject.Type][r.Subject.Name] = v
		default:
			if flat[root] == nil {
				flat[root] = map[string]cty.Value{}
			}
			flat[root][r.Subject.Name] = v
		}
	}
	for root, m := range flat {
		vars[root] = cty.ObjectVal(m)
	}
	for root, types := range typed {
		obj := map[string]cty.Value{}
		for t, m := range types {
			obj[t] = cty.ObjectVal(m)
		}
		vars[root] = cty.ObjectVal(obj)
	}
	if rep != nil {
		if rep.Index != cty.NilVal {
			vars["count"] = cty.ObjectVal(map[string]cty.Value{"index": rep.Index})
		} else {
			vars["each"] = cty.ObjectVal(map[string]cty.Value{"key": rep.Key, "value": rep.Value})
		}
	}
	return &hcl.EvalContext{Variables: vars, Functions: functions}
}
