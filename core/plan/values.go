package plan

import (
	"encoding/json"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// BuildConfig evaluates a node's body with the real values of its
// inputs, which must be built: this is the configuration its plugin
// builds with.
func (p *Plan) BuildConfig(n *Node) (cty.Value, hcl.Diagnostics) {
	ctx := p.Eval.ArtifactContext(n.Inst, p.builtValue)
	v, diags := decodeBody(n.Rest, n.Schema, ctx)
	v, _ = v.UnmarkDeep()
	return v, diags
}

// builtValue is the value of an artifact block from the state.
func (p *Plan) builtValue(b addrs.Block) cty.Value {
	var insts []addrs.Instance
	for _, i := range p.Eval.Instances {
		if i.Addr.Block == b {
			insts = append(insts, i.Addr)
		}
	}
	return blockValue(p.Opts.Config.Artifacts[b].Meta, insts, p.InstanceValue)
}

// InstanceValue is the value of a built instance: its outputs with its
// address, type, name, key and the path of its files. Unknown when it is
// not built.
func (p *Plan) InstanceValue(a addrs.Instance) cty.Value {
	st, ok := p.State.Get(a.String())
	if !ok {
		return cty.DynamicVal
	}
	e, err := p.Opts.Store.Read(st.Key)
	if err != nil {
		return cty.DynamicVal
	}
	return Value(a, e, p.Opts.Store.FilesPath(st.Key))
}

// Value assembles an instance's value from its store entry.
func Value(a addrs.Instance, e *store.Entry, path string) cty.Value {
	attrs := map[string]cty.Value{}
	if outputs, err := DecodeOutputs(e.Outputs); err == nil && outputs.Type().IsObjectType() && !outputs.IsNull() {
		for k, v := range outputs.AsValueMap() {
			attrs[k] = v
		}
	}
	attrs["address"] = cty.StringVal(a.String())
	attrs["type"] = cty.StringVal(a.Type)
	attrs["name"] = cty.StringVal(a.Name)
	attrs["key"] = cty.StringVal(e.Key)
	attrs["path"] = cty.StringVal(path)
	return cty.ObjectVal(attrs)
}

// EncodeOutputs encodes outputs as cty JSON with their type.
func EncodeOutputs(v cty.Value) (json.RawMessage, error) {
	if v == cty.NilVal {
		v = cty.EmptyObjectVal
	}
	return ctyjson.Marshal(v, cty.DynamicPseudoType)
}

// DecodeOutputs decodes what EncodeOutputs wrote.
func DecodeOutputs(raw json.RawMessage) (cty.Value, error) {
	if len(raw) == 0 {
		return cty.EmptyObjectVal, nil
	}
	return ctyjson.Unmarshal(raw, cty.DynamicPseudoType)
}
