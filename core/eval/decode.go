package eval

import (
	"encoding/hex"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/sdk/files"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/gocty"
)

// decoder evaluates the attributes of one block into Go values,
// collecting diagnostics that point at each attribute.
type decoder struct {
	attrs hcl.Attributes
	ctx   *hcl.EvalContext
	what  string // "module.gnome", for messages
	// block is where the block is declared, for what is missing from it.
	block *hcl.Range
	diags hcl.Diagnostics
}

// value evaluates an attribute converted to t; ok is false when it is
// absent, null or invalid.
func (d *decoder) value(name string, t cty.Type) (cty.Value, bool) {
	attr, present := d.attrs[name]
	if !present {
		return cty.NilVal, false
	}
	v, diags := attr.Expr.Value(d.ctx)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	v, _ = v.UnmarkDeep()
	if !v.IsWhollyKnown() {
		return cty.NilVal, false // it depends on a block that failed, which said so
	}
	cv, err := convert.Convert(v, t)
	if err != nil {
		d.errorf(attr, "Incorrect attribute value type", "Inappropriate value for %s: %s is required, got %s.", name, t.FriendlyName(), v.Type().FriendlyName())
		return cty.NilVal, false
	}
	return cv, !cv.IsNull()
}

func (d *decoder) errorf(attr *hcl.Attribute, summary, detail string, args ...any) {
	d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary,
		Detail: fmt.Sprintf(detail, args...), Subject: attr.Expr.Range().Ptr()})
}

// pathName decodes a string that becomes part of a file or directory
// name, checked as every such value is (checkPathName).
func (d *decoder) pathName(name, def string) string {
	s := d.str(name, def)
	if attr, ok := d.attrs[name]; ok {
		if diag := checkPathName(d.what+"'s "+name, s, attr.Expr.Range()); diag != nil {
			d.diags = append(d.diags, diag)
			return def
		}
	}
	return s
}

// checkPathName refuses a configuration value that strata makes into a
// file or directory name (a compose's short name and version, a
// variant's uid, a for_each key) unless it is one clean name: it would
// otherwise place files outside the directory meant for them. what
// names the value in the message; at is where it was set.
func checkPathName(what, s string, at hcl.Range) *hcl.Diagnostic {
	err := files.CheckName(s)
	if err == nil {
		return nil
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid name for a path",
		Detail:  fmt.Sprintf("%s becomes a directory or file name in the compose tree, so it must be one name without a slash, not \".\" or \"..\": %s.", what, err),
		Subject: at.Ptr()}
}

// sigkeys decodes signing key ids: 8 or 16 hex digits (as rpm and Pungi
// print them), or "" for unsigned packages.
func (d *decoder) sigkeys() []string {
	out := d.strs("sigkeys")
	for _, k := range out {
		if k == "" {
			continue
		}
		if _, err := hex.DecodeString(k); err != nil || len(k) != 8 && len(k) != 16 {
			d.errorf(d.attrs["sigkeys"], "Invalid key id in sigkeys", "%q is not a key id: write the 8 or 16 hex digits rpm -qp --qf '%%{SIGPGP:pgpsig}' prints, or \"\" to admit unsigned packages.", k)
		}
	}
	return out
}

// multilib decodes a list of multilib methods.
func (d *decoder) multilib() []string {
	out := d.strs("multilib")
	for _, m := range out {
		if !slices.Contains(multilibMethods, m) {
			d.errorf(d.attrs["multilib"], "Invalid multilib method", "multilib lists methods of %s, not %q.", quoteAll(multilibMethods), m)
		}
	}
	return out
}

// globs decodes a list of package name globs, as path.Match reads them.
func (d *decoder) globs(name string) []string {
	out := d.strs(name)
	for _, g := range out {
		if _, err := path.Match(g, ""); err != nil {
			d.errorf(d.attrs[name], "Invalid glob in "+name, "%q is not a glob: %s.", g, err)
		}
	}
	return out
}

func (d *decoder) str(name, def string) string {
	v, ok := d.value(name, cty.String)
	if !ok {
		return def
	}
	return v.AsString()
}

// oneOf decodes a string that must be one of choices.
func (d *decoder) oneOf(name, def string, choices ...string) string {
	s := d.str(name, def)
	for _, c := range choices {
		if s == c {
			return s
		}
	}
	d.errorf(d.attrs[name], "Invalid value for "+name, "%s must be one of %s, not %q.", name, quoteAll(choices), s)
	return def
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// strs decodes a list of strings. Elements are converted one by one:
// cty's conversion of a whole tuple to a list unifies its element types
// in quadratic time, which a list of thousands of package names feels.
func (d *decoder) strs(name string) []string {
	v, ok := d.value(name, cty.DynamicPseudoType)
	if !ok {
		return nil
	}
	t := v.Type()
	if !(t.IsListType() || t.IsTupleType() || t.IsSetType()) {
		d.errorf(d.attrs[name], "Incorrect attribute value type", "Inappropriate value for %s: a list of strings is required, got %s.", name, t.FriendlyName())
		return nil
	}
	out := make([]string, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		s, err := convert.Convert(e, cty.String)
		if err != nil || s.IsNull() {
			d.errorf(d.attrs[name], "Incorrect attribute value type", "Inappropriate value for %s: every element must be a string, not %s.", name, e.Type().FriendlyName())
			return nil
		}
		out = append(out, s.AsString())
	}
	return out
}

func (d *decoder) strMap(name string) map[string]string {
	v, ok := d.value(name, cty.Map(cty.String))
	if !ok {
		return nil
	}
	out := map[string]string{}
	if err := gocty.FromCtyValue(v, &out); err != nil {
		d.errorf(d.attrs[name], "Invalid value for "+name, "%s must map strings to strings: %s.", name, err)
	}
	return out
}

func (d *decoder) listMap(name string) map[string][]string {
	v, ok := d.value(name, cty.Map(cty.List(cty.String)))
	if !ok {
		return nil
	}
	out := map[string][]string{}
	if err := gocty.FromCtyValue(v, &out); err != nil {
		d.errorf(d.attrs[name], "Invalid value for "+name, "%s must map names to lists of strings: %s.", name, err)
	}
	return out
}

func (d *decoder) int(name string) (int64, bool) {
	v, ok := d.value(name, cty.Number)
	if !ok {
		return 0, false
	}
	n, acc := v.AsBigFloat().Int64()
	if acc != 0 {
		d.errorf(d.attrs[name], "Invalid value for "+name, "%s must be a whole number.", name)
		return 0, false
	}
	return n, true
}

func (d *decoder) bool(name string, def bool) bool {
	v, ok := d.value(name, cty.Bool)
	if !ok {
		return def
	}
	return v.True()
}

func (d *decoder) required(names ...string) {
	for _, n := range names {
		if _, ok := d.attrs[n]; !ok {
			d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing required argument",
				Detail: fmt.Sprintf("%s needs the argument %q.", d.what, n), Subject: d.block})
		}
	}
}

// refs decodes a list of references to blocks of one kind, given as the
// blocks themselves (module.base) or as their addresses ("module.base"),
// into block names.
func (d *decoder) refs(name, prefix string) []string {
	attr, present := d.attrs[name]
	if !present {
		return nil
	}
	v, diags := attr.Expr.Value(d.ctx)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return nil
	}
	// Only the references' names are read: unmarking each level as it is
	// reached spares copying every block value whole.
	v, _ = v.Unmark()
	if v.IsNull() {
		return nil
	}
	if !v.CanIterateElements() || v.Type().IsMapType() || v.Type().IsObjectType() {
		v = cty.TupleVal([]cty.Value{v})
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		id, ok := refName(e, prefix)
		if !ok {
			d.errorf(attr, "Invalid reference in "+name, "%s must list %s blocks, as in [%s.NAME].", name, prefix, prefix)
			return nil
		}
		out = append(out, id)
	}
	return out
}

// refName extracts the name from a block value or an address string.
func refName(v cty.Value, prefix string) (string, bool) {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return "", false
	}
	if v.Type().IsObjectType() && v.Type().HasAttribute("address") {
		v, _ = v.GetAttr("address").Unmark()
	}
	if v.Type() != cty.String || !v.IsKnown() || v.IsNull() {
		return "", false
	}
	name, ok := strings.CutPrefix(v.AsString(), prefix+".")
	return name, ok && name != ""
}

func (d *decoder) specs(name string) []Spec {
	attr, present := d.attrs[name]
	if !present {
		return nil
	}
	var out []Spec
	for _, s := range d.strs(name) {
		if _, err := path.Match(s, ""); err != nil {
			d.errorf(attr, "Invalid glob in "+name, "%q is not a glob: %s.", s, err)
		}
		out = append(out, Spec{Text: s, Range: attr.Expr.Range()})
	}
	return out
}
