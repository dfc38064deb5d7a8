package pkgset

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// isGlob reports whether a listed package is a glob ("*", "python3-*"),
// as Pungi's additional_packages take them: no package name holds one of
// these characters.
func isGlob(text string) bool {
	return strings.ContainsAny(text, "*?[")
}

// expandGlobs replaces each glob a module, variant or artifact lists
// with the names it matches, in byte order, taken as group members are:
// a name built only for other architectures is left out without a word.
// Debuginfo and debugsource packages are never matched (debuginfo = true
// ships them in their own tree), nor source packages. A glob that
// matches no name is an error. A group's members are names as comps
// holds them, never globs.
func (u *Universe) expandGlobs(specs []Spec) ([]Spec, hcl.Diagnostics) {
	glob := func(s Spec) bool { return !s.Member && isGlob(s.Text) }
	if !slices.ContainsFunc(specs, glob) {
		return specs, nil
	}
	var diags hcl.Diagnostics
	out := make([]Spec, 0, len(specs))
	for _, s := range specs {
		if !glob(s) {
			out = append(out, s)
			continue
		}
		before := len(out)
		u.eachName(func(name string) {
			if ok, _ := path.Match(s.Text, name); ok && !IsDebug(name) {
				out = append(out, Spec{Text: name, Module: s.Module, Member: true, Range: s.Range})
			}
		})
		if len(out) == before {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Package not found",
				Detail:  fmt.Sprintf("No source holds a package whose name matches %q.", s.Text),
				Subject: s.Range.Ptr()})
		}
	}
	return out, diags
}

// eachName calls fn with each name a binary package has, once, in byte
// order.
func (u *Universe) eachName(fn func(name string)) {
	for _, s := range u.nameSpans {
		for _, p := range u.Packages[s.start:s.end] {
			if p.Arch != "src" {
				fn(p.Name)
				break
			}
		}
	}
}
