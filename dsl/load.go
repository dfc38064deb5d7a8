package dsl

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/zclconf/go-cty/cty"
)

// Load parses every configuration file (*.hcl, except variable files and
// hidden files) of dir. It returns what it could read with the diagnostics
// of everything it could not; a nil Config means nothing was usable.
func Load(dir string) (*Config, hcl.Diagnostics) {
	files, varFiles, err := configFiles(dir)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the configuration directory", Detail: err.Error()}}
	}
	if len(files) == 0 {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No configuration files",
			Detail: fmt.Sprintf("%s holds no .hcl files. Write a configuration there, or give the directory that holds one.", dir)}}
	}
	sources := make([]Source, 0, len(files))
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read a configuration file", Detail: err.Error()}}
		}
		sources = append(sources, Source{Name: name, Bytes: src})
	}
	c, diags := Parse(dir, sources)
	c.VarFiles = varFiles
	return c, diags
}

// Source is one configuration file's name and content.
type Source struct {
	Name  string
	Bytes []byte
}

// Parse reads configuration files given as sources, in order.
func Parse(dir string, sources []Source) (*Config, hcl.Diagnostics) {
	parser := hclparse.NewParser()
	c := &Config{
		Dir: dir, Blocks: map[addrs.Block]*Block{}, Artifacts: map[addrs.Block]*Artifact{},
		RequiredPlugins: map[string]*RequiredPlugin{},
	}
	var diags hcl.Diagnostics
	size := 0
	for _, s := range sources {
		size += len(s.Bytes)
	}
	if size > MaxConfigSize {
		return c, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Configuration too large",
			Detail: fmt.Sprintf("The configuration files hold %d bytes; strata reads at most %d (MaxConfigSize), which bounds the memory a configuration can take. Split the product line into configurations of their own.", size, MaxConfigSize)}}
	}
	for _, s := range sources {
		if d := checkNesting(s.Bytes, s.Name); d != nil {
			diags = append(diags, d)
			continue
		}
		f, d := parser.ParseHCL(s.Bytes, s.Name)
		diags = append(diags, d...)
		if f == nil {
			continue
		}
		diags = append(diags, c.addFile(f)...)
	}
	c.Files = parser.Files()
	return c, diags
}

// configFiles lists the configuration files and the variable files that
// apply automatically, each sorted by name.
func configFiles(dir string) (config, vars []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".hcl") {
			continue
		}
		p := filepath.Join(dir, n)
		switch {
		case n == "strata.vars.hcl":
			vars = append([]string{p}, vars...)
		case strings.HasSuffix(n, ".auto.vars.hcl"):
			vars = append(vars, p)
		case strings.HasSuffix(n, ".vars.hcl"):
		default:
			config = append(config, p)
		}
	}
	sort.Strings(config)
	return config, vars, nil
}

func (c *Config) addFile(f *hcl.File) hcl.Diagnostics {
	content, diags := f.Body.Content(fileSchema)
	for _, b := range content.Blocks {
		switch b.Type {
		case "compose":
			diags = append(diags, c.addCompose(b)...)
		case "locals":
			diags = append(diags, c.addLocals(b)...)
		case "artifact":
			diags = append(diags, c.addArtifact(b)...)
		case "required_plugins":
			diags = append(diags, c.addRequiredPlugins(b)...)
		case "source":
			diags = append(diags, c.addSource(b)...)
		case "store":
			diags = append(diags, c.addSetting(b, &c.Store)...)
		case "executor":
			diags = append(diags, c.addSetting(b, &c.Executor)...)
		default:
			diags = append(diags, c.addBlock(b)...)
		}
	}
	return diags
}

var kinds = map[string]addrs.Kind{
	"variable": addrs.Variable, "group": addrs.Group, "module": addrs.Module, "variant": addrs.Variant,
}

func (c *Config) addBlock(b *hcl.Block) hcl.Diagnostics {
	addr := addrs.Block{Kind: kinds[b.Type], Name: b.Labels[0]}
	diags := checkName(b.Labels[0], b.LabelRanges[0])
	blk, d := decodeBlock(addr, b, bodySchemas[b.Type])
	diags = append(diags, d...)
	if b.Type == "variable" {
		diags = append(diags, setVariableType(blk)...)
	}
	return append(diags, c.put(blk)...)
}

func (c *Config) addSource(b *hcl.Block) hcl.Diagnostics {
	typ := b.Labels[0]
	schema, ok := sourceSchemas[typ]
	if !ok {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown source type",
			Detail:  fmt.Sprintf("There is no source type %q. strata reads \"rpm_dir\" (a directory tree of RPMs) and \"repo\" (a yum repository by path or URL).", typ),
			Subject: b.LabelRanges[0].Ptr()}}
	}
	addr := addrs.Block{Kind: addrs.Source, Type: typ, Name: b.Labels[1]}
	diags := checkName(b.Labels[1], b.LabelRanges[1])
	blk, d := decodeBlock(addr, b, schema)
	return append(append(diags, d...), c.put(blk)...)
}

// decodeBlock reads a block's attributes and nested blocks against schema.
func decodeBlock(addr addrs.Block, b *hcl.Block, schema *hcl.BodySchema) (*Block, hcl.Diagnostics) {
	content, diags := b.Body.Content(schema)
	blk := &Block{Addr: addr, Attrs: content.Attributes, DeclRange: b.DefRange, Nested: map[string]*Block{}, Type: cty.DynamicPseudoType}
	for _, nb := range content.Blocks {
		if prev, dup := blk.Nested[nb.Type]; dup {
			diags = append(diags, duplicate("a "+nb.Type+" block", nb.DefRange, prev.DeclRange))
			continue
		}
		inner, d := decodeBlock(addr, nb, bodySchemas[nb.Type])
		diags = append(diags, d...)
		blk.Nested[nb.Type] = inner
	}
	return blk, diags
}

func setVariableType(blk *Block) hcl.Diagnostics {
	attr, ok := blk.Attrs["type"]
	if !ok {
		return nil
	}
	t, diags := typeexpr.TypeConstraint(attr.Expr)
	if !diags.HasErrors() {
		blk.Type = t
	}
	return diags
}

func (c *Config) addCompose(b *hcl.Block) hcl.Diagnostics {
	blk, diags := decodeBlock(addrs.Block{Kind: addrs.Compose}, b, bodySchemas["compose"])
	if c.Compose != nil {
		return append(diags, duplicate("a compose block", b.DefRange, c.Compose.DeclRange))
	}
	c.Compose = blk
	return diags
}

// settingBlocks are the blocks of settings a configuration has at most
// one of, by block type: the one type strata knows of each, and an
// example of it for the message when another is written.
var settingBlocks = map[string]struct{ typ, example string }{
	"store":    {"oci", `strata shares its store through an OCI registry: store "oci" { repository = "registry.example.com/strata/fedora" }`},
	"executor": {"nomad", `strata builds locally, or on a Nomad cluster: executor "nomad" { address = "http://127.0.0.1:4646" }`},
}

// addSetting adds a store or executor block into *slot.
func (c *Config) addSetting(b *hcl.Block, slot **Block) hcl.Diagnostics {
	known := settingBlocks[b.Type]
	if typ := b.Labels[0]; typ != known.typ {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown " + b.Type + " type",
			Detail: fmt.Sprintf("There is no %s type %q. %s.", b.Type, typ, known.example), Subject: b.LabelRanges[0].Ptr()}}
	}
	blk, diags := decodeBlock(addrs.Block{Type: b.Labels[0]}, b, bodySchemas[b.Type])
	if *slot != nil {
		return append(diags, duplicate("a "+b.Type+" block", b.DefRange, (*slot).DeclRange))
	}
	*slot = blk
	return diags
}

func (c *Config) addLocals(b *hcl.Block) hcl.Diagnostics {
	attrs, diags := b.Body.JustAttributes()
	for name, attr := range attrs {
		diags = append(diags, checkName(name, attr.NameRange)...)
		blk := &Block{
			Addr: addrs.Block{Kind: addrs.Local, Name: name}, DeclRange: attr.NameRange,
			Attrs: hcl.Attributes{"value": attr}, Type: cty.DynamicPseudoType,
		}
		diags = append(diags, c.put(blk)...)
	}
	return diags
}

func (c *Config) addArtifact(b *hcl.Block) hcl.Diagnostics {
	addr := addrs.Block{Kind: addrs.Artifact, Type: b.Labels[0], Name: b.Labels[1]}
	diags := checkName(b.Labels[0], b.LabelRanges[0])
	diags = append(diags, checkName(b.Labels[1], b.LabelRanges[1])...)
	content, rest, d := b.Body.PartialContent(artifactMeta)
	diags = append(diags, d...)
	if prev, dup := c.Artifacts[addr]; dup {
		return append(diags, duplicate(addr.String(), b.DefRange, prev.DeclRange))
	}
	if _, ok := content.Attributes["for_each"]; ok {
		if _, both := content.Attributes["count"]; both {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid combination of count and for_each",
				Detail: "An artifact may use count or for_each, not both.", Subject: content.Attributes["count"].NameRange.Ptr()})
		}
	}
	c.Artifacts[addr] = &Artifact{Addr: addr, Meta: content.Attributes, Body: rest, DeclRange: b.DefRange}
	return diags
}

func (c *Config) addRequiredPlugins(b *hcl.Block) hcl.Diagnostics {
	attrs, diags := b.Body.JustAttributes()
	for name, attr := range attrs {
		v, d := attr.Expr.Value(nil)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		rp := &RequiredPlugin{Name: name, Range: attr.Range}
		switch {
		case v.Type() == cty.String:
			rp.Version = v.AsString()
		case v.Type().IsObjectType() && v.Type().HasAttribute("version") && v.GetAttr("version").Type() == cty.String:
			rp.Version = v.GetAttr("version").AsString()
		default:
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid plugin requirement",
				Detail: fmt.Sprintf(`Write the requirement for %s as %s = { version = ">= 1.0" }.`, name, name), Subject: attr.Expr.Range().Ptr()})
			continue
		}
		if prev, dup := c.RequiredPlugins[name]; dup {
			diags = append(diags, duplicate("a requirement for plugin "+name, attr.Range, prev.Range))
			continue
		}
		c.RequiredPlugins[name] = rp
	}
	return diags
}

func (c *Config) put(blk *Block) hcl.Diagnostics {
	if prev, dup := c.Blocks[blk.Addr]; dup {
		return hcl.Diagnostics{duplicate(blk.Addr.String(), blk.DeclRange, prev.DeclRange)}
	}
	c.Blocks[blk.Addr] = blk
	return nil
}

func duplicate(what string, at, prev hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate declaration",
		Detail:  fmt.Sprintf("%s is already declared at %s. Each may be declared once; rename or remove one.", what, prev),
		Subject: at.Ptr()}
}

// checkName refuses names that cannot be referred to in expressions.
func checkName(name string, r hcl.Range) hcl.Diagnostics {
	if hclsyntax.ValidIdentifier(name) {
		return nil
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid name",
		Detail:  fmt.Sprintf("%q is not a valid name: a name starts with a letter or underscore and holds letters, digits, underscores and dashes.", name),
		Subject: r.Ptr()}}
}
