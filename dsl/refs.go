package dsl

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/strata-build/strata/internal/addrs"
)

// Reference is one reference from an expression to a block.
type Reference struct {
	Subject addrs.Block
	// Traversal is the whole traversal, e.g. artifact.oci.base.digest.
	Traversal hcl.Traversal
	Range     hcl.Range
}

// Special roots that name no block.
const (
	RootEach  = "each"
	RootCount = "count"
)

var roots = map[string]addrs.Kind{
	"var": addrs.Variable, "local": addrs.Local, "group": addrs.Group, "module": addrs.Module,
	"variant": addrs.Variant, "source": addrs.Source, "artifact": addrs.Artifact, "compose": addrs.Compose,
}

// References returns the block references in exprs. each.* and count.*
// are not block references; they are returned in special, checked by the
// caller where they are allowed.
func References(exprs ...hcl.Expression) (refs []Reference, special []hcl.Traversal, diags hcl.Diagnostics) {
	for _, e := range exprs {
		for _, t := range e.Variables() {
			switch t.RootName() {
			case RootEach, RootCount:
				special = append(special, t)
				continue
			}
			ref, d := parseRef(t)
			diags = append(diags, d...)
			if !d.HasErrors() {
				refs = append(refs, ref)
			}
		}
	}
	return refs, special, diags
}

func parseRef(t hcl.Traversal) (Reference, hcl.Diagnostics) {
	kind, ok := roots[t.RootName()]
	if !ok {
		return Reference{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown reference",
			Detail: fmt.Sprintf("%q is not something a configuration can refer to. References start with var, local, group, module, variant, source, artifact, compose, each or count.",
				t.RootName()), Subject: t.SourceRange().Ptr()}}
	}
	ref := Reference{Subject: addrs.Block{Kind: kind}, Traversal: t, Range: t.SourceRange()}
	if kind == addrs.Compose {
		return ref, nil
	}
	steps := 2
	if kind == addrs.Source || kind == addrs.Artifact {
		steps = 3
	}
	var names []string
	for _, step := range t[1:] {
		if len(names) == steps-1 {
			break
		}
		a, ok := step.(hcl.TraverseAttr)
		if !ok {
			break
		}
		names = append(names, a.Name)
	}
	if len(names) < steps-1 {
		form := map[int]string{2: t.RootName() + ".NAME", 3: t.RootName() + ".TYPE.NAME"}[steps]
		return Reference{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid reference",
			Detail: fmt.Sprintf("A reference to a %s is written %s.", t.RootName(), form), Subject: t.SourceRange().Ptr()}}
	}
	if steps == 3 {
		ref.Subject.Type, ref.Subject.Name = names[0], names[1]
	} else {
		ref.Subject.Name = names[0]
	}
	return ref, nil
}

// BodyExpressions returns every attribute expression of a native-syntax
// body and its nested blocks, in source order: references in an
// artifact's plugin-owned body are found before its schema is known.
func BodyExpressions(body hcl.Body) []hcl.Expression {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		attrs, _ := body.JustAttributes()
		var out []hcl.Expression
		for _, a := range attrs {
			out = append(out, a.Expr)
		}
		return out
	}
	var attrs []*hclsyntax.Attribute
	for _, a := range sb.Attributes {
		attrs = append(attrs, a)
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].SrcRange.Start.Byte < attrs[j].SrcRange.Start.Byte })
	var out []hcl.Expression
	for _, a := range attrs {
		out = append(out, a.Expr)
	}
	for _, b := range sb.Blocks {
		out = append(out, BodyExpressions(b.Body)...)
	}
	return out
}

// Expressions returns the expressions of a core block, nested
// blocks included.
func (b *Block) Expressions() []hcl.Expression {
	var out []hcl.Expression
	for _, a := range sortedAttrs(b.Attrs) {
		if b.Addr.Kind == addrs.Variable && a.Name == "type" {
			continue // a type constraint, not an expression to evaluate
		}
		out = append(out, a.Expr)
	}
	for _, n := range b.Nested {
		out = append(out, n.Expressions()...)
	}
	return out
}

func sortedAttrs(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Range.Start.Byte < out[j].Range.Start.Byte })
	return out
}
