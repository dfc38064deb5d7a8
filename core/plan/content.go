package plan

import (
	"maps"
	"slices"
	"time"

	"github.com/strata-build/strata/sdk"
)

// Content describes a node's modules, their groups and its variant for
// its plugin.
func (p *Plan) Content(n *Node) sdk.Content {
	var c sdk.Content
	groups := map[string]bool{}
	for _, id := range n.Set.Modules {
		m := p.Eval.Modules[id]
		sm := sdk.Module{
			ID: m.ID, Name: m.Name, Stream: m.Stream, Version: m.Version, Context: m.Context,
			Summary: m.Summary, Description: m.Description, License: m.License, Groups: m.Groups,
			Profiles: m.Profiles, API: m.API, SLA: m.SLA,
		}
		if m.EOL != nil {
			sm.EOL = m.EOL.Format(time.DateOnly)
		}
		for _, r := range m.Requires {
			req := p.Eval.Modules[r]
			sm.Requires = append(sm.Requires, req.Name+":"+req.Stream)
		}
		c.Modules = append(c.Modules, sm)
		for _, g := range m.Groups {
			groups[g] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(groups)) {
		g := p.Eval.Groups[id]
		c.Groups = append(c.Groups, sdk.Group{
			ID: g.ID, Name: g.Name, Description: g.Description, Mandatory: g.Mandatory, Default: g.Default,
			Optional: g.Optional, Conditional: g.Conditional, UserVisible: g.UserVisible, DisplayOrder: g.DisplayOrder,
			NameTranslations: g.NameTranslations, DescriptionTranslations: g.DescriptionTranslations,
		})
	}
	if n.Variant != "" {
		v := p.Eval.Variants[n.Variant]
		c.Variant = &sdk.Variant{ID: v.ID, UID: v.UID, Name: v.Name, Type: v.Type, Arches: n.Set.Arches}
	}
	return c
}
