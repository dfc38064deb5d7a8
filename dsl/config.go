package dsl

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/zclconf/go-cty/cty"
)

// Config is a configuration directory as written.
type Config struct {
	// Dir is the configuration directory.
	Dir string
	// Files holds every parsed file, for printing diagnostics with their
	// source.
	Files map[string]*hcl.File
	// Compose is the compose block; nil when there is none.
	Compose *Block
	// Store is the store block (a shared store in a registry); nil when
	// there is none. Its one label is in Addr.Type.
	Store *Block
	// Executor is the executor block (where builds run); nil when there
	// is none. Its one label is in Addr.Type.
	Executor *Block
	// Blocks holds the variables, locals, sources, groups, modules and
	// variants by address.
	Blocks map[addrs.Block]*Block
	// Artifacts holds the artifact blocks by address.
	Artifacts map[addrs.Block]*Artifact
	// RequiredPlugins holds the version constraints of required_plugins.
	RequiredPlugins map[string]*RequiredPlugin
	// VarFiles are the variable files loaded automatically
	// (strata.vars.hcl, *.auto.vars.hcl), in the order they apply.
	VarFiles []string
}

// Block is a core-owned block. Its attributes are unevaluated
// expressions; a local is a Block whose one attribute is "value".
type Block struct {
	Addr  addrs.Block
	Attrs hcl.Attributes
	// Nested holds a module's lifecycle block.
	Nested map[string]*Block
	// DeclRange is the block's header (or a local's name) in its file.
	DeclRange hcl.Range
	// Type is a variable's type constraint (cty.DynamicPseudoType when it
	// has none).
	Type cty.Type
}

// Artifact is an artifact block. Meta holds the core-owned arguments;
// Body holds the rest, which is decoded with the package selection
// arguments and the plugin's schema once the plugin is known.
type Artifact struct {
	Addr      addrs.Block
	Meta      hcl.Attributes
	Body      hcl.Body
	DeclRange hcl.Range
}

// RequiredPlugin is one entry of required_plugins.
type RequiredPlugin struct {
	Name string
	// Version is a version constraint such as ">= 1.0, < 2".
	Version string
	Range   hcl.Range
}

// DeclRange returns where the block at a is declared.
func (c *Config) DeclRange(a addrs.Block) (hcl.Range, bool) {
	if a.Kind == addrs.Compose && c.Compose != nil {
		return c.Compose.DeclRange, true
	}
	if b, ok := c.Blocks[a]; ok {
		return b.DeclRange, true
	}
	if art, ok := c.Artifacts[a]; ok {
		return art.DeclRange, true
	}
	return hcl.Range{}, false
}
