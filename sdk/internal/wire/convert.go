package wire

import (
	"fmt"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/internal/pluginpb"
	"github.com/strata-build/strata/sdk/manifest"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"github.com/zclconf/go-cty/cty/msgpack"
)

// EncodeValue encodes a cty value with its type. cty.NilVal encodes as
// nothing.
func EncodeValue(v cty.Value) ([]byte, error) {
	if v == cty.NilVal {
		return nil, nil
	}
	v, _ = v.UnmarkDeep()
	return msgpack.Marshal(v, cty.DynamicPseudoType)
}

// DecodeValue decodes what EncodeValue wrote; nothing decodes as
// cty.NilVal.
func DecodeValue(b []byte) (cty.Value, error) {
	if len(b) == 0 {
		return cty.NilVal, nil
	}
	return msgpack.Unmarshal(b, cty.DynamicPseudoType)
}

func SchemaToProto(s sdk.Schema) (*pluginpb.Schema_Response, error) {
	b, err := blockToProto(s.Block)
	if err != nil {
		return nil, err
	}
	return &pluginpb.Schema_Response{Description: s.Description, Packages: s.Packages, Trees: s.Trees, Block: b}, nil
}

func blockToProto(b sdk.Block) (*pluginpb.Schema_Block, error) {
	out := &pluginpb.Schema_Block{}
	for _, a := range b.Attributes {
		t, err := ctyjson.MarshalType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", a.Name, err)
		}
		out.Attributes = append(out.Attributes, &pluginpb.Schema_Attribute{
			Name: a.Name, Type: t, Required: a.Required, Description: a.Description,
		})
	}
	for _, nb := range b.Blocks {
		inner, err := blockToProto(nb.Block)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", nb.Name, err)
		}
		out.Blocks = append(out.Blocks, &pluginpb.Schema_NestedBlock{
			Name: nb.Name, Nesting: pluginpb.Schema_NestedBlock_Nesting(nb.Nesting),
			Block: inner, Required: nb.Required, Description: nb.Description,
		})
	}
	return out, nil
}

func SchemaFromProto(r *pluginpb.Schema_Response) (sdk.Schema, error) {
	b, err := blockFromProto(r.GetBlock())
	return sdk.Schema{Description: r.GetDescription(), Packages: r.GetPackages(), Trees: r.GetTrees(), Block: b}, err
}

func blockFromProto(b *pluginpb.Schema_Block) (sdk.Block, error) {
	var out sdk.Block
	for _, a := range b.GetAttributes() {
		t, err := ctyjson.UnmarshalType(a.GetType())
		if err != nil {
			return sdk.Block{}, fmt.Errorf("attribute %s: bad type: %w", a.GetName(), err)
		}
		out.Attributes = append(out.Attributes, sdk.Attribute{
			Name: a.GetName(), Type: t, Required: a.GetRequired(), Description: a.GetDescription(),
		})
	}
	for _, nb := range b.GetBlocks() {
		inner, err := blockFromProto(nb.GetBlock())
		if err != nil {
			return sdk.Block{}, fmt.Errorf("block %s: %w", nb.GetName(), err)
		}
		out.Blocks = append(out.Blocks, sdk.NestedBlock{
			Name: nb.GetName(), Nesting: sdk.Nesting(nb.GetNesting()), Block: inner,
			Required: nb.GetRequired(), Description: nb.GetDescription(),
		})
	}
	return out, nil
}

func DiagsToProto(ds sdk.Diagnostics) []*pluginpb.Diagnostic {
	out := make([]*pluginpb.Diagnostic, 0, len(ds))
	for _, d := range ds {
		pd := &pluginpb.Diagnostic{Severity: pluginpb.Diagnostic_Severity(d.Severity), Summary: d.Summary, Detail: d.Detail}
		if len(d.Path) > 0 {
			pd.Attribute = pathToProto(d.Path)
		}
		out = append(out, pd)
	}
	return out
}

func DiagsFromProto(pds []*pluginpb.Diagnostic) sdk.Diagnostics {
	var out sdk.Diagnostics
	for _, pd := range pds {
		sev := sdk.Severity(pd.GetSeverity())
		if sev != sdk.Warning {
			sev = sdk.Error
		}
		out = append(out, sdk.Diagnostic{Severity: sev, Summary: pd.GetSummary(), Detail: pd.GetDetail(), Path: pathFromProto(pd.GetAttribute())})
	}
	return out
}

func pathToProto(p cty.Path) *pluginpb.AttributePath {
	out := &pluginpb.AttributePath{}
	for _, step := range p {
		s := &pluginpb.AttributePath_Step{}
		switch st := step.(type) {
		case cty.GetAttrStep:
			s.Selector = &pluginpb.AttributePath_Step_AttributeName{AttributeName: st.Name}
		case cty.IndexStep:
			if st.Key.Type() == cty.String && st.Key.IsKnown() && !st.Key.IsNull() {
				s.Selector = &pluginpb.AttributePath_Step_ElementKeyString{ElementKeyString: st.Key.AsString()}
			} else if st.Key.Type() == cty.Number && st.Key.IsKnown() && !st.Key.IsNull() {
				i, _ := st.Key.AsBigFloat().Int64()
				s.Selector = &pluginpb.AttributePath_Step_ElementKeyInt{ElementKeyInt: i}
			}
		}
		out.Steps = append(out.Steps, s)
	}
	return out
}

func pathFromProto(p *pluginpb.AttributePath) cty.Path {
	var out cty.Path
	for _, s := range p.GetSteps() {
		switch sel := s.GetSelector().(type) {
		case *pluginpb.AttributePath_Step_AttributeName:
			out = out.GetAttr(sel.AttributeName)
		case *pluginpb.AttributePath_Step_ElementKeyString:
			out = out.Index(cty.StringVal(sel.ElementKeyString))
		case *pluginpb.AttributePath_Step_ElementKeyInt:
			out = out.Index(cty.NumberIntVal(sel.ElementKeyInt))
		}
	}
	return out
}

func PackagesToProto(ps []sdk.Package) []*pluginpb.Package {
	out := make([]*pluginpb.Package, len(ps))
	for i, p := range ps {
		out[i] = &pluginpb.Package{
			Name: p.Name, Epoch: p.Epoch, Version: p.Version, Release: p.Release, Arch: p.Arch,
			Path: p.Path, Sha256: p.SHA256, Size: p.Size, TargetArch: p.TargetArch,
			BuildTime: p.BuildTime, Modules: p.Modules, Scriptlets: p.Scriptlets, Category: p.Category,
		}
	}
	return out
}

func PackagesFromProto(ps []*pluginpb.Package) []sdk.Package {
	out := make([]sdk.Package, len(ps))
	for i, p := range ps {
		out[i] = sdk.Package{
			Name: p.GetName(), Epoch: p.GetEpoch(), Version: p.GetVersion(), Release: p.GetRelease(),
			Arch: p.GetArch(), Path: p.GetPath(), SHA256: p.GetSha256(), Size: p.GetSize(),
			TargetArch: p.GetTargetArch(), BuildTime: p.GetBuildTime(), Modules: p.GetModules(), Scriptlets: p.GetScriptlets(), Category: p.GetCategory(),
		}
	}
	return out
}

func InputsToProto(in []sdk.Input) ([]*pluginpb.Input, error) {
	out := make([]*pluginpb.Input, len(in))
	for i, x := range in {
		o, err := EncodeValue(x.Outputs)
		if err != nil {
			return nil, fmt.Errorf("outputs of %s: %w", x.Address, err)
		}
		out[i] = &pluginpb.Input{Address: x.Address, Type: x.Type, Key: x.Key, Path: x.Path, Outputs: o, Packages: PackagesToProto(x.Packages),
			Manifest: ManifestToProto(x.Manifest)}
	}
	return out, nil
}

func InputsFromProto(in []*pluginpb.Input) ([]sdk.Input, error) {
	out := make([]sdk.Input, len(in))
	for i, x := range in {
		o, err := DecodeValue(x.GetOutputs())
		if err != nil {
			return nil, fmt.Errorf("outputs of %s: %w", x.GetAddress(), err)
		}
		out[i] = sdk.Input{Address: x.GetAddress(), Type: x.GetType(), Key: x.GetKey(), Path: x.GetPath(), Outputs: o, Packages: PackagesFromProto(x.GetPackages()),
			Manifest: ManifestFromProto(x.GetManifest())}
	}
	return out, nil
}

func ComposeToProto(c sdk.Compose) *pluginpb.Compose {
	return &pluginpb.Compose{Name: c.Name, Short: c.Short, Version: c.Version, Type: c.Type}
}

func ComposeFromProto(c *pluginpb.Compose) sdk.Compose {
	return sdk.Compose{Name: c.GetName(), Short: c.GetShort(), Version: c.GetVersion(), Type: c.GetType()}
}

func ManifestToProto(m []manifest.File) []*pluginpb.Build_File {
	out := make([]*pluginpb.Build_File, len(m))
	for i, f := range m {
		out[i] = &pluginpb.Build_File{Path: f.Path, Size: f.Size, Sha256: f.SHA256, Mode: f.Mode, Link: f.Link}
	}
	return out
}

func ManifestFromProto(m []*pluginpb.Build_File) []manifest.File {
	out := make([]manifest.File, len(m))
	for i, f := range m {
		out[i] = manifest.File{Path: f.GetPath(), Size: f.GetSize(), SHA256: f.GetSha256(), Mode: f.GetMode(), Link: f.GetLink()}
	}
	return out
}
