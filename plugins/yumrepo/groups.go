package yumrepo

import (
	"maps"
	"slices"
	"sort"

	"github.com/strata-build/strata/format/comps"
	"github.com/strata-build/strata/sdk"
)

// compsFor describes the artifact's groups for one repository: each group
// with the packages the repository holds, a category per module holding
// its groups, and an environment for the variant holding them all.
func compsFor(c sdk.Content, present map[string]bool) comps.Comps {
	var out comps.Comps
	for _, g := range c.Groups {
		cg := comps.Group{
			ID: g.ID, Name: g.Name, Description: g.Description, UserVisible: g.UserVisible,
			DisplayOrder: g.DisplayOrder, NameTranslations: g.NameTranslations,
			DescriptionTranslations: g.DescriptionTranslations,
		}
		for _, l := range []struct {
			typ   string
			names []string
		}{{"mandatory", g.Mandatory}, {"default", g.Default}, {"optional", g.Optional}} {
			for _, n := range l.names {
				if present[n] {
					cg.Packages = append(cg.Packages, comps.PackageReq{Name: n, Type: l.typ})
				}
			}
		}
		conditional := slices.Sorted(maps.Keys(g.Conditional))
		for _, n := range conditional {
			if present[n] {
				cg.Packages = append(cg.Packages, comps.PackageReq{Name: n, Type: "conditional", Requires: g.Conditional[n]})
			}
		}
		out.Groups = append(out.Groups, cg)
	}
	var all []string
	for _, m := range c.Modules {
		if len(m.Groups) == 0 {
			continue
		}
		name := m.Summary
		if name == "" {
			name = m.Name
		}
		out.Categories = append(out.Categories, comps.Category{ID: m.Name, Name: name, Description: m.Description, Groups: m.Groups})
		all = append(all, m.Groups...)
	}
	if v := c.Variant; v != nil && len(all) > 0 {
		sort.Strings(all)
		out.Environments = append(out.Environments, comps.Environment{ID: v.ID, Name: v.Name, Groups: dedupe(all)})
	}
	return out
}

func dedupe(sorted []string) []string {
	var out []string
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
