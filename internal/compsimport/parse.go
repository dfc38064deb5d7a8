// Package compsimport turns a comps file (the XML that names a
// distribution's package groups) into strata's language: each group a
// group block, each environment a module of its groups.
package compsimport

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Comps is what a comps file holds that strata's language can say.
type Comps struct {
	Groups       []Group
	Environments []Environment
	// Warnings name what the file holds that is not imported.
	Warnings []string
}

// Group is one <group>.
type Group struct {
	ID, Name, Description string
	NameTranslations      map[string]string
	DescTranslations      map[string]string
	UserVisible           bool
	DisplayOrder          *int
	Mandatory, Default    []string
	Optional              []string
	// Conditional maps a package to the package that brings it in.
	Conditional map[string]string
	// Arches says which packages comps gives only for some
	// architectures: package → "aarch64,x86_64".
	Arches map[string]string
}

// Environment is one <environment>: groups always installed, and groups
// offered.
type Environment struct {
	ID, Name, Description string
	DisplayOrder          *int
	Groups, Options       []string
}

type text struct {
	Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Value string `xml:",chardata"`
}

type unknown struct {
	XMLName xml.Name
}

type xmlGroup struct {
	ID           string    `xml:"id"`
	Names        []text    `xml:"name"`
	Descriptions []text    `xml:"description"`
	Default      string    `xml:"default"`
	UserVisible  string    `xml:"uservisible"`
	DisplayOrder *int      `xml:"display_order"`
	LangOnly     string    `xml:"langonly"`
	Packages     []xmlReq  `xml:"packagelist>packagereq"`
	Unknown      []unknown `xml:",any"`
}

type xmlReq struct {
	Type     string `xml:"type,attr"`
	Requires string `xml:"requires,attr"`
	Arch     string `xml:"arch,attr"`
	Basearch string `xml:"basearchonly,attr"`
	Name     string `xml:",chardata"`
}

type xmlEnvironment struct {
	ID           string    `xml:"id"`
	Names        []text    `xml:"name"`
	Descriptions []text    `xml:"description"`
	DisplayOrder *int      `xml:"display_order"`
	Groups       []string  `xml:"grouplist>groupid"`
	Options      []string  `xml:"optionlist>groupid"`
	Unknown      []unknown `xml:",any"`
}

type xmlComps struct {
	XMLName      xml.Name         `xml:"comps"`
	Groups       []xmlGroup       `xml:"group"`
	Environments []xmlEnvironment `xml:"environment"`
	Categories   []struct{}       `xml:"category"`
	Langpacks    []struct{}       `xml:"langpacks"`
	Unknown      []unknown        `xml:",any"`
}

// Parse reads a comps file; name is how errors and warnings call it.
func Parse(r io.Reader, name string) (*Comps, error) {
	var x xmlComps
	if err := xml.NewDecoder(r).Decode(&x); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c := &Comps{}
	warn := func(format string, args ...any) {
		c.Warnings = append(c.Warnings, name+": "+fmt.Sprintf(format, args...))
	}
	for _, u := range x.Unknown {
		warn("unknown element <%s> in <comps>, not imported", u.XMLName.Local)
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
		if xg.ID == "" {
			return nil, fmt.Errorf("%s: a <group> has no <id>", name)
		}
		if seen[xg.ID] {
			return nil, fmt.Errorf("%s: group %q is given twice", name, xg.ID)
		}
		seen[xg.ID] = true
		for _, u := range xg.Unknown {
			warn("unknown element <%s> in group %q, not imported", u.XMLName.Local, xg.ID)
		}
		if strings.TrimSpace(xg.Default) == "true" {
			defaults = append(defaults, xg.ID)
		}
		g := Group{ID: xg.ID, UserVisible: xg.UserVisible != "false", DisplayOrder: xg.DisplayOrder,
			Conditional: map[string]string{}, Arches: map[string]string{}}
		g.Name, g.NameTranslations = translated(xg.Names)
		g.Description, g.DescTranslations = translated(xg.Descriptions)
		for _, p := range xg.Packages {
			pkg := strings.TrimSpace(p.Name)
			if p.Arch != "" {
				g.Arches[pkg] = p.Arch
			}
			switch p.Type {
			case "", "mandatory":
				g.Mandatory = append(g.Mandatory, pkg)
			case "default":
				g.Default = append(g.Default, pkg)
			case "optional":
				g.Optional = append(g.Optional, pkg)
			case "conditional":
				g.Conditional[pkg] = p.Requires
			default:
				warn("package %s of group %q has type %q, not imported", pkg, xg.ID, p.Type)
			}
		}
		c.Groups = append(c.Groups, g)
	}
	if len(defaults) > 0 {
		warn("<default>true</default> of %s not imported: a variant's modules say what is installed", strings.Join(defaults, ", "))
	}
	for _, xe := range x.Environments {
		for _, u := range xe.Unknown {
			warn("unknown element <%s> in environment %q, not imported", u.XMLName.Local, xe.ID)
		}
		e := Environment{ID: xe.ID, DisplayOrder: xe.DisplayOrder, Groups: xe.Groups, Options: xe.Options}
		e.Name, _ = translated(xe.Names)
		e.Description, _ = translated(xe.Descriptions)
		for _, id := range append(append([]string(nil), xe.Groups...), xe.Options...) {
			if !seen[id] {
				warn("environment %q names group %q, which the file does not define; it is left out of the module", xe.ID, id)
			}
		}
		c.Environments = append(c.Environments, e)
	}
	return c, nil
}

// translated is the untranslated text and the others by language.
func translated(texts []text) (string, map[string]string) {
	plain, by := "", map[string]string{}
	for _, t := range texts {
		if t.Lang == "" {
			plain = strings.TrimSpace(t.Value)
		} else {
			by[t.Lang] = strings.TrimSpace(t.Value)
		}
	}
	return plain, by
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
