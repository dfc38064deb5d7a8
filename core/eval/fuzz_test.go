package eval

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-build/strata/dsl"
)

// FuzzEvaluate feeds arbitrary text through the loader and the evaluator:
// any input gives diagnostics, never a panic.
func FuzzEvaluate(f *testing.F) {
	seeds, _ := filepath.Glob("../../examples/*/*.hcl")
	more, _ := filepath.Glob("../../internal/command/testdata/diagnostics/*/main.hcl")
	for _, p := range append(seeds, more...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`artifact "t" "a" {
  for_each = { for k in ["x", "y"] : k => upper(k) }
  depends_on = [artifact.t.b]
  closure = "warn"
}
artifact "t" "b" {
  count = length(var.v)
}
variable "v" {
  type    = list(number)
  default = [1, 2]
}
`))
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, diags := dsl.Parse(".", []dsl.Source{{Name: "main.hcl", Bytes: src}})
		if cfg == nil || diags.HasErrors() {
			return
		}
		r, _ := Evaluate(cfg, []dsl.VarSetting{{Name: "v", Raw: "[3]", From: "-var option"}})
		if r == nil {
			return
		}
		for _, inst := range r.Instances {
			_ = inst.Addr.String()
		}
	})
}
