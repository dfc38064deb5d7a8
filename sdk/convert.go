package sdk

import (
	"fmt"

	"github.com/strata-build/strata/sdk/internal/pluginpb"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"github.com/zclconf/go-cty/cty/msgpack"
)

// encodeValue encodes a cty value with its type. cty.NilVal encodes as
// nothing.
func encodeValue(v cty.Value) ([]byte, error) {
	if v == cty.NilVal {
		return nil, nil
	}
	v, _ = v.UnmarkDeep()
	return msgpack.Marshal(v, cty.DynamicPseudoType)
}

// decodeValue decodes what encodeValue wrote; nothing decodes as
// cty.NilVal.
func decodeValue(b []byte) (cty.Value, error) {
	if len(b) == 0 {
		return cty.NilVal, nil
	}
	return msgpack.Unmarshal(b, cty.DynamicPseudoType)
}

func schemaToProto(s Schema) (*pluginpb.Schema_Response, error) {
	b, err := blockToProto(s.Block)
	if err != nil {
		return nil, err
	}
	return &pluginpb.Schema_Response{Description: s.Description, Packages: s.Packages, Trees: s.Trees, Block: b}, nil
}

func blockToProto(b Block) (*pluginpb.Schema_Block, error) {
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

func schemaFromProto(r *pluginpb.Schema_Response) (Schema, error) {
	b, err := blockFromProto(r.GetBlock())
	return Schema{Description: r.GetDescription(), Packages: r.GetPackages(), Trees: r.GetTrees(), Block: b}, err
}

func blockFromProto(b *pluginpb.Schema_Block) (Block, error) {
	var out Block
	for _, a := range b.GetAttributes() {
		t, err := ctyjson.UnmarshalType(a.GetType())
		if err != nil {
			return Block{}, fmt.Errorf("attribute %s: bad type: %w", a.GetName(), err)
		}
		out.Attributes = append(out.Attributes, Attribute{
			Name: a.GetName(), Type: t, Required: a.GetRequired(), Description: a.GetDescription(),
		})
	}
	for _, nb := range b.GetBlocks() {
		inner, err := blockFromProto(nb.GetBlock())
		if err != nil {
			return Block{}, fmt.Errorf("block %s: %w", nb.GetName(), err)
		}
		out.Blocks = append(out.Blocks, NestedBlock{
			Name: nb.GetName(), Nesting: Nesting(nb.GetNesting()), Block: inner,
			Required: nb.GetRequired(), Description: nb.GetDescription(),
		})
	}
	return out, nil
}

func diagsToProto(ds Diagnostics) []*pluginpb.Diagnostic {
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

func diagsFromProto(pds []*pluginpb.Diagnostic) Diagnostics {
	var out Diagnostics
	for _, pd := range pds {
		sev := Severity(pd.GetSeverity())
		if sev != Warning {
			sev = Error
		}
		out = append(out, Diagnostic{Severity: sev, Summary: pd.GetSummary(), Detail: pd.GetDetail(), Path: pathFromProto(pd.GetAttribute())})
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

func packagesToProto(ps []Package) []*pluginpb.Package {
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

func packagesFromProto(ps []*pluginpb.Package) []Package {
	out := make([]Package, len(ps))
	for i, p := range ps {
		out[i] = Package{
			Name: p.GetName(), Epoch: p.GetEpoch(), Version: p.GetVersion(), Release: p.GetRelease(),
			Arch: p.GetArch(), Path: p.GetPath(), SHA256: p.GetSha256(), Size: p.GetSize(),
			TargetArch: p.GetTargetArch(), BuildTime: p.GetBuildTime(), Modules: p.GetModules(), Scriptlets: p.GetScriptlets(), Category: p.GetCategory(),
		}
	}
	return out
}

func inputsToProto(in []Input) ([]*pluginpb.Input, error) {
	out := make([]*pluginpb.Input, len(in))
	for i, x := range in {
		o, err := encodeValue(x.Outputs)
		if err != nil {
			return nil, fmt.Errorf("outputs of %s: %w", x.Address, err)
		}
		out[i] = &pluginpb.Input{Address: x.Address, Type: x.Type, Key: x.Key, Path: x.Path, Outputs: o, Packages: packagesToProto(x.Packages),
			Manifest: manifestToProto(x.Manifest)}
	}
	return out, nil
}

func inputsFromProto(in []*pluginpb.Input) ([]Input, error) {
	out := make([]Input, len(in))
	for i, x := range in {
		o, err := decodeValue(x.GetOutputs())
		if err != nil {
			return nil, fmt.Errorf("outputs of %s: %w", x.GetAddress(), err)
		}
		out[i] = Input{Address: x.GetAddress(), Type: x.GetType(), Key: x.GetKey(), Path: x.GetPath(), Outputs: o, Packages: packagesFromProto(x.GetPackages()),
			Manifest: manifestFromProto(x.GetManifest())}
	}
	return out, nil
}

func composeToProto(c Compose) *pluginpb.Compose {
	return &pluginpb.Compose{Name: c.Name, Short: c.Short, Version: c.Version, Type: c.Type}
}

func composeFromProto(c *pluginpb.Compose) Compose {
	return Compose{Name: c.GetName(), Short: c.GetShort(), Version: c.GetVersion(), Type: c.GetType()}
}

func manifestToProto(m []ManifestFile) []*pluginpb.Build_File {
	out := make([]*pluginpb.Build_File, len(m))
	for i, f := range m {
		out[i] = &pluginpb.Build_File{Path: f.Path, Size: f.Size, Sha256: f.SHA256, Mode: f.Mode, Link: f.Link}
	}
	return out
}

func manifestFromProto(m []*pluginpb.Build_File) []ManifestFile {
	out := make([]ManifestFile, len(m))
	for i, f := range m {
		out[i] = ManifestFile{Path: f.GetPath(), Size: f.GetSize(), SHA256: f.GetSha256(), Mode: f.GetMode(), Link: f.GetLink()}
	}
	return out
}
