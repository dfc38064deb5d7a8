package wire

import (
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/internal/pluginpb"
)

func ContentToProto(c sdk.Content) *pluginpb.Content {
	out := &pluginpb.Content{}
	for _, g := range c.Groups {
		pg := &pluginpb.Group{
			Id: g.ID, Name: g.Name, Description: g.Description, Mandatory: g.Mandatory, Default: g.Default,
			Optional: g.Optional, Conditional: g.Conditional, UserVisible: g.UserVisible,
			NameTranslations: g.NameTranslations, DescriptionTranslations: g.DescriptionTranslations,
		}
		if g.DisplayOrder != nil {
			pg.DisplayOrder, pg.HasDisplayOrder = *g.DisplayOrder, true
		}
		out.Groups = append(out.Groups, pg)
	}
	for _, m := range c.Modules {
		pm := &pluginpb.Module{
			Id: m.ID, Name: m.Name, Stream: m.Stream, Version: m.Version, Context: m.Context,
			Summary: m.Summary, Description: m.Description, License: m.License, Groups: m.Groups,
			Requires: m.Requires, Api: m.API, Eol: m.EOL, Sla: m.SLA, Profiles: map[string]*pluginpb.Strings{},
		}
		for k, v := range m.Profiles {
			pm.Profiles[k] = &pluginpb.Strings{Values: v}
		}
		out.Modules = append(out.Modules, pm)
	}
	if v := c.Variant; v != nil {
		out.Variant = &pluginpb.Variant{Id: v.ID, Uid: v.UID, Name: v.Name, Type: v.Type, Arches: v.Arches}
	}
	return out
}

func ContentFromProto(c *pluginpb.Content) sdk.Content {
	var out sdk.Content
	for _, g := range c.GetGroups() {
		sg := sdk.Group{
			ID: g.GetId(), Name: g.GetName(), Description: g.GetDescription(), Mandatory: g.GetMandatory(),
			Default: g.GetDefault(), Optional: g.GetOptional(), Conditional: g.GetConditional(),
			UserVisible: g.GetUserVisible(), NameTranslations: g.GetNameTranslations(),
			DescriptionTranslations: g.GetDescriptionTranslations(),
		}
		if g.GetHasDisplayOrder() {
			n := g.GetDisplayOrder()
			sg.DisplayOrder = &n
		}
		out.Groups = append(out.Groups, sg)
	}
	for _, m := range c.GetModules() {
		sm := sdk.Module{
			ID: m.GetId(), Name: m.GetName(), Stream: m.GetStream(), Version: m.GetVersion(), Context: m.GetContext(),
			Summary: m.GetSummary(), Description: m.GetDescription(), License: m.GetLicense(), Groups: m.GetGroups(),
			Requires: m.GetRequires(), API: m.GetApi(), EOL: m.GetEol(), SLA: m.GetSla(), Profiles: map[string][]string{},
		}
		for k, v := range m.GetProfiles() {
			sm.Profiles[k] = v.GetValues()
		}
		out.Modules = append(out.Modules, sm)
	}
	if v := c.GetVariant(); v != nil && v.GetId() != "" {
		out.Variant = &sdk.Variant{ID: v.GetId(), UID: v.GetUid(), Name: v.GetName(), Type: v.GetType(), Arches: v.GetArches()}
	}
	return out
}

func PlacementsToProto(ps []sdk.Placement) []*pluginpb.Placement {
	out := make([]*pluginpb.Placement, len(ps))
	for i, p := range ps {
		pp := &pluginpb.Placement{Path: p.Path, ComposePath: p.ComposePath, Kind: p.Kind, Variant: p.Variant, Arch: p.Arch, Category: p.Category}
		for _, r := range p.RPMs {
			pp.Rpms = append(pp.Rpms, &pluginpb.PlacedRPM{Nevra: r.NEVRA, SrpmNevra: r.SRPMNEVRA, Path: r.Path})
		}
		if im := p.Image; im != nil {
			pp.Image = &pluginpb.Image{Type: im.Type, Format: im.Format, Bootable: im.Bootable, VolumeId: im.VolumeID,
				ImplantMd5: im.ImplantMD5, Sha256: im.SHA256, Size: im.Size, DiscNumber: int32(im.DiscNumber),
				DiscCount: int32(im.DiscCount), Subvariant: im.Subvariant, Mtime: im.MTime}
		}
		out[i] = pp
	}
	return out
}

func PlacementsFromProto(ps []*pluginpb.Placement) []sdk.Placement {
	out := make([]sdk.Placement, len(ps))
	for i, p := range ps {
		sp := sdk.Placement{Path: p.GetPath(), ComposePath: p.GetComposePath(), Kind: p.GetKind(), Variant: p.GetVariant(), Arch: p.GetArch(), Category: p.GetCategory()}
		for _, r := range p.GetRpms() {
			sp.RPMs = append(sp.RPMs, sdk.PlacedRPM{NEVRA: r.GetNevra(), SRPMNEVRA: r.GetSrpmNevra(), Path: r.GetPath()})
		}
		if im := p.GetImage(); im != nil {
			sp.Image = &sdk.Image{Type: im.GetType(), Format: im.GetFormat(), Bootable: im.GetBootable(), VolumeID: im.GetVolumeId(),
				ImplantMD5: im.GetImplantMd5(), SHA256: im.GetSha256(), Size: im.GetSize(), DiscNumber: int(im.GetDiscNumber()),
				DiscCount: int(im.GetDiscCount()), Subvariant: im.GetSubvariant(), MTime: im.GetMtime()}
		}
		out[i] = sp
	}
	return out
}
