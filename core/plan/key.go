package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"

	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

// KeyInput is everything an artifact's bytes may depend on. Two builds
// with equal KeyInputs give the same bytes; Key hashes it.
type KeyInput struct {
	Plugin        string `json:"plugin"`
	PluginVersion string `json:"plugin_version"`
	Protocol      int    `json:"protocol"`
	Type          string `json:"type"`
	// Config is the canonical body, with values that depend on other
	// artifacts unknown: those are covered by Inputs and by the text of
	// the expressions in ArtifactExprs.
	Config        json.RawMessage   `json:"config"`
	ArtifactExprs map[string]string `json:"artifact_exprs,omitempty"`
	// Packages are "arch NEVRA sha256", sorted.
	Packages []string `json:"packages"`
	// Pulled are the packages gathering pulled in and why, as
	// "arch NEVRA <- NEVRA requires REQUIREMENT", sorted: lineage records
	// it. Absent when nothing was pulled in, so such keys stay as they
	// were before gathering.
	Pulled []string `json:"pulled,omitempty"`
	// Content describes the modules and groups the packages come from.
	Content json.RawMessage `json:"content"`
	// Inputs are "address key" of upstream artifacts, sorted.
	Inputs      []string    `json:"inputs"`
	Timestamp   int64       `json:"timestamp"`
	Compose     sdk.Compose `json:"compose"`
	KeyMaterial []byte      `json:"key_material,omitempty"`
}

// Key is the cache key of an artifact: the sha256 of its KeyInput in
// canonical JSON.
func Key(in *KeyInput) string {
	sort.Strings(in.Packages)
	sort.Strings(in.Pulled)
	sort.Strings(in.Inputs)
	data, err := json.Marshal(in)
	if err != nil {
		panic("this is a bug in strata: a key input does not encode: " + err.Error())
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Canonical encodes a cty value as JSON with sorted keys and unknown
// values as {"$unknown":true}, so equal values encode equally.
func Canonical(v cty.Value) json.RawMessage {
	data, err := json.Marshal(canonical(v))
	if err != nil {
		panic("this is a bug in strata: a configuration does not encode: " + err.Error())
	}
	return data
}

func canonical(v cty.Value) any {
	v, _ = v.Unmark()
	switch {
	case v == cty.NilVal || v.IsNull():
		return nil
	case !v.IsKnown():
		return map[string]bool{"$unknown": true}
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Number:
		return v.AsBigFloat().Text('g', -1)
	case t == cty.Bool:
		return v.True()
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		out := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, canonical(e))
		}
		return out
	case t.IsMapType() || t.IsObjectType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out[k.AsString()] = canonical(e)
		}
		return out
	}
	return map[string]bool{"$unknown": true}
}
