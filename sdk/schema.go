package sdk

import "github.com/zclconf/go-cty/cty"

// Schema describes the body of an artifact block. The core owns the
// meta-arguments (for_each, count, depends_on, closure, timeout) and, when
// Packages is set, the package selection (variant, modules, packages); the
// rest of the body is decoded with Block.
type Schema struct {
	Description string
	// Packages says the type builds from packages: its blocks may select
	// them, and Plan and Build receive them resolved.
	Packages bool
	// Trees says the type also ships the source and debuginfo packages of
	// what it holds, in trees of their own: its blocks may then set
	// sources = true and debuginfo = true, and Plan and Build receive
	// those packages too, told apart by Package.Category.
	Trees bool
	Block Block
}

// Block is a set of attributes and nested blocks.
type Block struct {
	Attributes []Attribute
	Blocks     []NestedBlock
}

// Attribute is one argument of a block.
type Attribute struct {
	Name        string
	Type        cty.Type
	Required    bool
	Description string
}

// Nesting says how many times a nested block may appear.
type Nesting int

const (
	// NestingSingle allows the block at most once; its value is an object,
	// or null when absent.
	NestingSingle Nesting = iota
	// NestingList allows the block any number of times; its value is a
	// list of objects.
	NestingList
)

// NestedBlock is a block inside an artifact body, like boot { … }.
type NestedBlock struct {
	Name        string
	Nesting     Nesting
	Block       Block
	Required    bool
	Description string
}
