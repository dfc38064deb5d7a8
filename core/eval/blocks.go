package eval

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/arch"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/strata-build/strata/sdk/files"
	"github.com/zclconf/go-cty/cty"
)

// Closure policies.
var closurePolicies = []string{"error", "warn", "off"}

// productmd compose types.
var composeTypes = []string{"production", "test", "ci", "nightly"}

func decodeCompose(b *dsl.Block, ctx *hcl.EvalContext) (*Compose, cty.Value, hcl.Diagnostics) {
	d := &decoder{attrs: b.Attrs, ctx: ctx, what: "The compose block", block: b.DeclRange.Ptr()}
	d.required("name", "version")
	c := &Compose{
		Name: d.str("name", ""), Version: d.pathName("version", ""), Label: d.str("label", ""),
		Type:       d.oneOf("type", "production", composeTypes...),
		Closure:    d.oneOf("closure", "error", closurePolicies...),
		Duplicates: d.oneOf("duplicates", "warn", "warn", "error"),
		Arches:     d.strs("arches"), Range: b.DeclRange,
	}
	c.Gather = Gather{Method: d.oneOf("gather", "deps", gatherMethods...), WeakDeps: d.bool("weak_deps", false),
		Greedy: d.oneOf("greedy", "none", greedyModes...), Exclude: d.globs("exclude"),
		Sources: d.bool("sources", false), Debuginfo: d.bool("debuginfo", false)}
	c.SigKeys = d.sigkeys()
	c.Short = d.pathName("short", c.Name)
	if name := b.Attrs["name"]; b.Attrs["short"] == nil && name != nil {
		if diag := checkPathName("The compose's name, which is its short name when short is not set,", c.Short, name.Expr.Range()); diag != nil {
			d.diags = append(d.diags, diag)
		}
	}
	if len(c.Arches) == 0 {
		c.Arches = []string{arch.Host()}
	}
	if ts, ok := d.int("timestamp"); ok {
		c.Timestamp = &ts
	}
	for _, a := range c.Arches {
		if !arch.Known(a) {
			d.errorf(b.Attrs["arches"], "Unknown architecture", "%q is not an architecture strata knows (%s).", a, strings.Join(arch.Names(), ", "))
		}
	}
	shortAttr := b.Attrs["short"]
	if shortAttr == nil {
		shortAttr = b.Attrs["name"]
	}
	if strings.ContainsAny(c.Short, "- /") && shortAttr != nil {
		d.errorf(shortAttr, "Invalid short name", "The short name %q (the name when short is not set) goes into the compose id <short>-<version>-<date>.<respin>, so it may not contain '-', '/' or spaces.", c.Short)
	}
	// The compose id adds a date, a type suffix and a respin (at most 17
	// bytes) and must stay one file name.
	if n := len(c.Short) + len(c.Version) + 2 + 17; n > files.MaxName && b.Attrs["version"] != nil {
		d.errorf(b.Attrs["version"], "Compose id too long", "The compose id <short>-<version>-<date><type>.<respin> would be about %d bytes; a directory name holds at most %d.", n, files.MaxName)
	}
	return c, composeValue(c), d.diags
}

func composeValue(c *Compose) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"name": cty.StringVal(c.Name), "short": cty.StringVal(c.Short), "version": cty.StringVal(c.Version),
		"type": cty.StringVal(c.Type), "label": cty.StringVal(c.Label), "closure": cty.StringVal(c.Closure),
		"arches": strList(c.Arches),
	})
}

// DefaultCompose is the compose of a configuration without a compose block.
func DefaultCompose() *Compose {
	c := &Compose{Name: "Compose", Short: "Compose", Version: "1", Type: "production", Closure: "error", Duplicates: "warn", Arches: []string{arch.Host()},
		Gather: Gather{Method: "deps", Greedy: "none"}}
	return c
}

func decodeSource(b *dsl.Block, ctx *hcl.EvalContext) (*Source, cty.Value, hcl.Diagnostics) {
	d := &decoder{attrs: b.Attrs, ctx: ctx, what: b.Addr.String(), block: b.DeclRange.Ptr()}
	s := &Source{Type: b.Addr.Type, Name: b.Addr.Name, Range: b.DeclRange, SigKeys: d.sigkeys()}
	if b.Addr.Type == "rpm_dir" {
		s.Location = d.str("path", "")
	} else {
		s.Location = d.str("url", "")
	}
	return s, cty.ObjectVal(map[string]cty.Value{
		"address": cty.StringVal(b.Addr.String()), "type": cty.StringVal(s.Type),
		"name": cty.StringVal(s.Name), "location": cty.StringVal(s.Location),
	}), d.diags
}

func decodeGroup(b *dsl.Block, ctx *hcl.EvalContext) (*Group, cty.Value, hcl.Diagnostics) {
	d := &decoder{attrs: b.Attrs, ctx: ctx, what: b.Addr.String(), block: b.DeclRange.Ptr()}
	g := &Group{
		ID: d.str("id", b.Addr.Name), Name: d.str("name", b.Addr.Name), Description: d.str("description", ""),
		Mandatory: d.strs("mandatory"), Default: d.strs("default"), Optional: d.strs("optional"),
		Conditional: d.strMap("conditional"), UserVisible: d.bool("user_visible", true),
		NameTranslations: d.strMap("name_translations"), DescriptionTranslations: d.strMap("description_translations"),
		Range: b.DeclRange,
	}
	if n, ok := d.int("display_order"); ok {
		g.DisplayOrder = &n
	}
	return g, cty.ObjectVal(map[string]cty.Value{
		"address": cty.StringVal(b.Addr.String()), "id": cty.StringVal(g.ID), "name": cty.StringVal(g.Name),
		"description": cty.StringVal(g.Description), "mandatory": strList(g.Mandatory),
		"default": strList(g.Default), "optional": strList(g.Optional), "packages": strList(g.Packages()),
		"conditional": strMap(g.Conditional), "user_visible": cty.BoolVal(g.UserVisible),
		"display_order": intOrNull(g.DisplayOrder), "name_translations": strMap(g.NameTranslations),
		"description_translations": strMap(g.DescriptionTranslations),
	}), d.diags
}

func decodeModule(b *dsl.Block, ctx *hcl.EvalContext) (*Module, cty.Value, hcl.Diagnostics) {
	d := &decoder{attrs: b.Attrs, ctx: ctx, what: b.Addr.String(), block: b.DeclRange.Ptr()}
	m := &Module{
		ID: b.Addr.Name, Name: d.str("name", b.Addr.Name), Stream: d.str("stream", "default"),
		Context: d.str("context", ""), Summary: d.str("summary", ""), Description: d.str("description", ""),
		License: d.strs("license"), Groups: d.refs("groups", "group"), Packages: d.specs("packages"),
		Requires: d.refs("requires", "module"), Profiles: d.listMap("profiles"), API: d.strs("api"),
		Range: b.DeclRange,
	}
	m.Version, _ = d.int("version")
	m.NoGather = d.oneOf("gather", "deps", gatherMethods...) == "none"
	if lc := b.Nested["lifecycle"]; lc != nil {
		ld := &decoder{attrs: lc.Attrs, ctx: ctx, what: "The lifecycle of " + b.Addr.String()}
		if s := ld.str("eol", ""); s != "" {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				ld.errorf(lc.Attrs["eol"], "Invalid end-of-life date", "eol must be a date written YYYY-MM-DD, not %q.", s)
			} else {
				m.EOL, m.EOLRange = &t, lc.Attrs["eol"].Expr.Range()
			}
		}
		m.SLA = ld.str("sla", "")
		d.diags = append(d.diags, ld.diags...)
	}
	eol := cty.NullVal(cty.String)
	if m.EOL != nil {
		eol = cty.StringVal(m.EOL.Format(time.DateOnly))
	}
	specs := make([]string, len(m.Packages))
	for i, s := range m.Packages {
		specs[i] = s.Text
	}
	return m, cty.ObjectVal(map[string]cty.Value{
		"address": cty.StringVal(b.Addr.String()), "id": cty.StringVal(m.ID), "name": cty.StringVal(m.Name),
		"stream": cty.StringVal(m.Stream), "version": cty.NumberIntVal(m.Version), "context": cty.StringVal(m.Context),
		"summary": cty.StringVal(m.Summary), "description": cty.StringVal(m.Description),
		"license": strList(m.License), "groups": strList(prefixed("group", m.Groups)),
		"packages": strList(specs), "requires": strList(prefixed("module", m.Requires)),
		"profiles": listMap(m.Profiles), "api": strList(m.API), "eol": eol, "sla": cty.StringVal(m.SLA),
	}), d.diags
}

func decodeVariant(b *dsl.Block, ctx *hcl.EvalContext) (*Variant, cty.Value, hcl.Diagnostics) {
	d := &decoder{attrs: b.Attrs, ctx: ctx, what: b.Addr.String(), block: b.DeclRange.Ptr()}
	v := &Variant{
		ID: b.Addr.Name, Name: d.str("name", b.Addr.Name), UID: d.pathName("uid", b.Addr.Name),
		Type:    d.oneOf("type", "variant", "variant", "optional", "addon", "layered-product"),
		Modules: d.refs("modules", "module"), Packages: d.specs("packages"), Arches: d.strs("arches"),
		Exclude: d.globs("exclude"), Multilib: d.multilib(), MultilibWhitelist: d.globs("multilib_whitelist"),
		MultilibBlacklist: d.globs("multilib_blacklist"), Range: b.DeclRange,
	}
	specs := make([]string, len(v.Packages))
	for i, s := range v.Packages {
		specs[i] = s.Text
	}
	return v, cty.ObjectVal(map[string]cty.Value{
		"address": cty.StringVal(b.Addr.String()), "id": cty.StringVal(v.ID), "name": cty.StringVal(v.Name),
		"uid": cty.StringVal(v.UID), "type": cty.StringVal(v.Type), "modules": strList(prefixed("module", v.Modules)),
		"packages": strList(specs), "arches": strList(v.Arches),
	}), d.diags
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + "." + n
	}
	return out
}

func strList(s []string) cty.Value {
	if len(s) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(s))
	for i, x := range s {
		vals[i] = cty.StringVal(x)
	}
	return cty.ListVal(vals)
}

func strMap(m map[string]string) cty.Value {
	if len(m) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	vals := map[string]cty.Value{}
	for k, v := range m {
		vals[k] = cty.StringVal(v)
	}
	return cty.MapVal(vals)
}

func listMap(m map[string][]string) cty.Value {
	if len(m) == 0 {
		return cty.MapValEmpty(cty.List(cty.String))
	}
	vals := map[string]cty.Value{}
	for k, v := range m {
		vals[k] = strList(v)
	}
	return cty.MapVal(vals)
}

func intOrNull(n *int64) cty.Value {
	if n == nil {
		return cty.NullVal(cty.Number)
	}
	return cty.NumberIntVal(*n)
}

// checkNames verifies that names decoded from references exist.
func checkNames(kind string, names []string, known func(string) bool, at hcl.Range, what addrs.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, n := range names {
		if !known(n) {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Reference to undeclared " + kind,
				Detail: fmt.Sprintf("%s refers to %s.%s, which is not declared.", what, kind, n), Subject: at.Ptr()})
		}
	}
	return diags
}
