package addrs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Kind is the kind of a configuration block.
type Kind int

// Block kinds that can be referred to.
const (
	Compose Kind = iota
	Variable
	Local
	Source
	Group
	Module
	Variant
	Artifact
)

// prefixes are the first traversal step of each kind in expressions.
var prefixes = map[Kind]string{
	Compose: "compose", Variable: "var", Local: "local", Source: "source",
	Group: "group", Module: "module", Variant: "variant", Artifact: "artifact",
}

// Block addresses one block: module.gnome, artifact.oci.base,
// source.rpm_dir.everything, var.arches, compose.
type Block struct {
	Kind Kind
	Type string // artifact and source type
	Name string
}

func (b Block) String() string {
	switch {
	case b.Kind == Compose:
		return "compose"
	case b.Type != "":
		return prefixes[b.Kind] + "." + b.Type + "." + b.Name
	}
	return prefixes[b.Kind] + "." + b.Name
}

// Key distinguishes the instances of an artifact with for_each (a string)
// or count (an int). The zero Key is no key.
type Key struct {
	isInt bool
	str   string
	n     int
}

// NoKey is the key of an artifact without for_each or count.
var NoKey = Key{}

// StringKey is a for_each key.
func StringKey(s string) Key { return Key{str: s} }

// IntKey is a count index.
func IntKey(n int) Key { return Key{isInt: true, n: n} }

// IsNone reports whether k is NoKey.
func (k Key) IsNone() bool { return k == NoKey }

func (k Key) String() string {
	switch {
	case k.isInt:
		return "[" + strconv.Itoa(k.n) + "]"
	case k == NoKey:
		return ""
	}
	return "[" + strconv.Quote(k.str) + "]"
}

// Value returns the key as it appears to expressions: each.key or
// count.index.
func (k Key) Value() any {
	if k.isInt {
		return k.n
	}
	return k.str
}

// Instance addresses one instance of an artifact.
type Instance struct {
	Block
	Key Key
}

func (i Instance) String() string { return i.Block.String() + i.Key.String() }

// ParseInstance parses an artifact instance address as users write it:
// artifact.oci.base or artifact.yumrepo.os["server"] or artifact.x.y[0].
func ParseInstance(s string) (Instance, error) {
	expr, diags := hclsyntax.ParseExpression([]byte(s), "address", hcl.InitialPos)
	if diags.HasErrors() {
		return Instance{}, fmt.Errorf("%q is not an artifact address: %s", s, diags[0].Summary)
	}
	trav, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() || len(trav) < 3 || trav.RootName() != "artifact" {
		return Instance{}, fmt.Errorf("%q is not an artifact address like artifact.TYPE.NAME", s)
	}
	typ, ok1 := trav[1].(hcl.TraverseAttr)
	name, ok2 := trav[2].(hcl.TraverseAttr)
	if !ok1 || !ok2 || len(trav) > 4 {
		return Instance{}, fmt.Errorf("%q is not an artifact address like artifact.TYPE.NAME", s)
	}
	in := Instance{Block: Block{Kind: Artifact, Type: typ.Name, Name: name.Name}}
	if len(trav) == 4 {
		idx, ok := trav[3].(hcl.TraverseIndex)
		if !ok {
			return Instance{}, fmt.Errorf("%q: only an index may follow artifact.TYPE.NAME", s)
		}
		switch {
		case idx.Key.Type().FriendlyName() == "string":
			in.Key = StringKey(idx.Key.AsString())
		case idx.Key.Type().FriendlyName() == "number":
			n, _ := idx.Key.AsBigFloat().Int64()
			in.Key = IntKey(int(n))
		default:
			return Instance{}, fmt.Errorf("%q: an instance key is a string or a number", s)
		}
	}
	return in, nil
}

// Less orders instances for stable output.
func (i Instance) Less(j Instance) bool {
	if a, b := i.Block.String(), j.Block.String(); a != b {
		return a < b
	}
	if i.Key.isInt != j.Key.isInt {
		return !i.Key.isInt
	}
	if i.Key.isInt {
		return i.Key.n < j.Key.n
	}
	return strings.Compare(i.Key.str, j.Key.str) < 0
}
