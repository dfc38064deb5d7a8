package dsl

import (
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// VarEnvPrefix starts the environment variables that set variables:
// STRATA_VAR_arches sets var.arches.
const VarEnvPrefix = "STRATA_VAR_"

// VarSetting is one value given to a variable from outside the
// configuration. Settings apply in order; a later one wins.
type VarSetting struct {
	Name string
	// Raw is text from -var or the environment. It is taken literally for
	// a string variable and parsed as an expression otherwise, as Terraform
	// does.
	Raw string
	// Expr is an expression from a variable file.
	Expr  hcl.Expression
	Range hcl.Range
	// From says where the setting came from, for messages.
	From string
}

// VarSettings collects settings in increasing precedence: the
// environment, then variable files, then -var flags (each NAME=VALUE).
func VarSettings(env, files, flags []string) ([]VarSetting, hcl.Diagnostics) {
	var out []VarSetting
	var diags hcl.Diagnostics
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(k, VarEnvPrefix) && len(k) > len(VarEnvPrefix) {
			out = append(out, VarSetting{Name: k[len(VarEnvPrefix):], Raw: v, From: "environment variable " + k})
		}
	}
	for _, f := range files {
		s, d := varFile(f)
		out = append(out, s...)
		diags = append(diags, d...)
	}
	for _, kv := range flags {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid -var option",
				Detail: fmt.Sprintf("The option -var %q must be NAME=VALUE, as in -var 'arches=[\"x86_64\"]'.", kv)})
			continue
		}
		out = append(out, VarSetting{Name: k, Raw: v, From: "-var option"})
	}
	return out, diags
}

func varFile(path string) ([]VarSetting, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read variable file", Detail: err.Error()}}
	}
	if d := checkNesting(src, path); d != nil {
		return nil, hcl.Diagnostics{d}
	}
	f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	attrs, diags := f.Body.JustAttributes()
	var out []VarSetting
	for _, a := range sortedAttrs(attrs) {
		out = append(out, VarSetting{Name: a.Name, Expr: a.Expr, Range: a.Range, From: path})
	}
	return out, diags
}

// Value converts the setting to the variable's type.
func (s VarSetting) Value(t cty.Type) (cty.Value, hcl.Diagnostics) {
	var v cty.Value
	var diags hcl.Diagnostics
	switch {
	case s.Expr != nil:
		v, diags = s.Expr.Value(&hcl.EvalContext{Functions: Functions()})
	case t == cty.String || t == cty.DynamicPseudoType:
		v = cty.StringVal(s.Raw)
	default:
		if d := checkNesting([]byte(s.Raw), s.From); d != nil {
			return cty.NilVal, hcl.Diagnostics{d}
		}
		expr, d := hclsyntax.ParseExpression([]byte(s.Raw), s.From, hcl.InitialPos)
		if d.HasErrors() {
			return cty.NilVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid value for var." + s.Name,
				Detail: fmt.Sprintf("The value from the %s is not a valid expression: %s.", s.From, d[0].Detail)}}
		}
		v, diags = expr.Value(&hcl.EvalContext{Functions: Functions()})
		if diags.HasErrors() {
			return cty.NilVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid value for var." + s.Name,
				Detail: fmt.Sprintf("%q from the %s is not a %s: %s.", s.Raw, s.From, t.FriendlyName(), strings.TrimSuffix(diags[0].Detail, "."))}}
		}
	}
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	cv, err := convert.Convert(v, t)
	if err != nil {
		return cty.NilVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid value for var." + s.Name,
			Detail: fmt.Sprintf("The value from the %s is not a %s: %s.", s.From, t.FriendlyName(), err), Subject: s.rangePtr()}}
	}
	return cv, nil
}

func (s VarSetting) rangePtr() *hcl.Range {
	if s.Expr == nil {
		return nil
	}
	return s.Range.Ptr()
}
