// Package compsimport turns a comps file (the XML that names a
// distribution's package groups, read by format/comps) into strata's
// language: each group a group block, each environment a module of its
// groups.
package compsimport

import (
	"fmt"
	"io"
	"strings"

	"github.com/strata-build/strata/format/comps"
)

// Comps is what a comps file holds that strata's language can say.
type Comps struct {
	Groups       []Group
	Environments []comps.Environment
	// Warnings name what the file holds that is not imported.
	Warnings []string
}

// Group is one <group>.
type Group struct {
	ID, Name, Description string
	NameTranslations      map[string]string
	DescTranslations      map[string]string
	UserVisible           bool
	DisplayOrder          *int64
	Mandatory, Default    []string
	Optional              []string
	// Conditional maps a package to the package that brings it in.
	Conditional map[string]string
	// Arches says which packages comps gives only for some
	// architectures: package → "aarch64,x86_64".
	Arches map[string]string
}

// Parse reads a comps file; name is how errors and warnings call it.
func Parse(r io.Reader, name string) (*Comps, error) {
	x, err := comps.Read(r, name)
	if err != nil {
		return nil, err
	}
	c := &Comps{}
	warn := func(format string, args ...any) {
		c.Warnings = append(c.Warnings, name+": "+fmt.Sprintf(format, args...))
	}
	for _, u := range x.Unknown {
		warn("unknown element <%s> in %s, not imported", u.Element, u.In)
	}
	if len(x.Categories) > 0 {
		warn("%d <category> elements not imported: strata writes a category per module", len(x.Categories))
	}
	if len(x.Langpacks) > 0 {
		warn("<langpacks> not imported: the language has no langpacks")
	}
	seen := map[string]bool{}
	var defaults []string
	for _, xg := range x.Groups {
		seen[xg.ID] = true
		if xg.Default {
			defaults = append(defaults, xg.ID)
		}
		g := Group{ID: xg.ID, Name: strings.TrimSpace(xg.Name), Description: strings.TrimSpace(xg.Description),
			NameTranslations: trimmed(xg.NameTranslations), DescTranslations: trimmed(xg.DescriptionTranslations), UserVisible: xg.UserVisible, DisplayOrder: xg.DisplayOrder,
			Conditional: map[string]string{}, Arches: map[string]string{}}
		for _, p := range xg.Packages {
			if p.Arch != "" {
				g.Arches[p.Name] = p.Arch
			}
			switch p.Type {
			case "mandatory":
				g.Mandatory = append(g.Mandatory, p.Name)
			case "default":
				g.Default = append(g.Default, p.Name)
			case "optional":
				g.Optional = append(g.Optional, p.Name)
			case "conditional":
				g.Conditional[p.Name] = p.Requires
			default:
				warn("package %s of group %q has type %q, not imported", p.Name, xg.ID, p.Type)
			}
		}
		c.Groups = append(c.Groups, g)
	}
	if len(defaults) > 0 {
		warn("<default>true</default> of %s not imported: a variant's modules say what is installed", strings.Join(defaults, ", "))
	}
	for _, e := range x.Environments {
		for _, id := range append(append([]string(nil), e.Groups...), e.Options...) {
			if !seen[id] {
				warn("environment %q names group %q, which the file does not define; it is left out of the module", e.ID, id)
			}
		}
		e.Name, e.Description = strings.TrimSpace(e.Name), strings.TrimSpace(e.Description)
		c.Environments = append(c.Environments, e)
	}
	return c, nil
}

// trimmed is texts without the white space around each.
func trimmed(texts map[string]string) map[string]string {
	out := make(map[string]string, len(texts))
	for lang, text := range texts {
		out[lang] = strings.TrimSpace(text)
	}
	return out
}
