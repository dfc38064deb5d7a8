package dsl

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Functions are the functions expressions may call: cty's standard
// library, under the names Terraform users know.
func Functions() map[string]function.Function {
	return map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc,
		"log": stdlib.LogFunc, "max": stdlib.MaxFunc, "min": stdlib.MinFunc, "pow": stdlib.PowFunc,
		"signum": stdlib.SignumFunc, "parseint": stdlib.ParseIntFunc,

		"chomp": stdlib.ChompFunc, "format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
		"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc,
		"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "replace": stdlib.ReplaceFunc,
		"regex_replace": stdlib.RegexReplaceFunc, "split": stdlib.SplitFunc, "strlen": stdlib.StrlenFunc,
		"strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc, "title": stdlib.TitleFunc,
		"trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc,
		"trimspace": stdlib.TrimSpaceFunc, "upper": stdlib.UpperFunc,

		"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc,
		"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
		"concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc, "distinct": stdlib.DistinctFunc,
		"element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc, "index": stdlib.IndexFunc,
		"keys": stdlib.KeysFunc, "length": stdlib.LengthFunc, "lookup": stdlib.LookupFunc,
		"merge": stdlib.MergeFunc, "range": stdlib.RangeFunc, "reverse": stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc, "setproduct": stdlib.SetProductFunc,
		"setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
		"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "values": stdlib.ValuesFunc,
		"zipmap": stdlib.ZipmapFunc,

		"csvdecode": stdlib.CSVDecodeFunc, "jsondecode": stdlib.JSONDecodeFunc,
		"jsonencode": stdlib.JSONEncodeFunc, "formatdate": stdlib.FormatDateFunc,
		"timeadd": stdlib.TimeAddFunc,

		"tobool": stdlib.MakeToFunc(cty.Bool), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tostring": stdlib.MakeToFunc(cty.String),
		"tolist":   uniformTo(cty.List),
		"toset":    uniformTo(cty.Set),
		"tomap":    stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	}
}

// uniformTo is cty's tolist or toset, made linear for a tuple whose
// elements are all of one type (a list written in the configuration):
// cty unifies a tuple's element types by sorting them, which takes
// minutes for toset(var.flavors) over 100,000 strings.
func uniformTo(collection func(cty.Type) cty.Type) function.Function {
	general := stdlib.MakeToFunc(collection(cty.DynamicPseudoType))
	return function.New(&function.Spec{
		Description: general.Description(),
		Params:      general.Params(),
		Type: func(args []cty.Value) (cty.Type, error) {
			if ety, ok := uniformElements(args[0]); ok {
				return collection(ety), nil
			}
			return general.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
			if _, ok := uniformElements(args[0]); ok {
				v, marks := args[0].Unmark()
				out, err := convert.Convert(v, ret)
				return out.WithMarks(marks), err
			}
			return general.Call(args)
		},
	})
}

// uniformElements returns the element type of a tuple whose elements are
// all of that one type, without marks inside.
func uniformElements(v cty.Value) (cty.Type, bool) {
	t := v.Type()
	if inner, _ := v.Unmark(); !t.IsTupleType() || inner.ContainsMarked() {
		return cty.NilType, false
	}
	etys := t.TupleElementTypes()
	if len(etys) == 0 || etys[0] == cty.DynamicPseudoType {
		return cty.NilType, false
	}
	for _, ety := range etys[1:] {
		if !ety.Equals(etys[0]) {
			return cty.NilType, false
		}
	}
	return etys[0], true
}
