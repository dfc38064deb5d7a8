package dsl

import "github.com/hashicorp/hcl/v2"

// Top-level block types and their labels.
var fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "compose"},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "source", LabelNames: []string{"type", "name"}},
	{Type: "group", LabelNames: []string{"name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "variant", LabelNames: []string{"name"}},
	{Type: "artifact", LabelNames: []string{"type", "name"}},
	{Type: "required_plugins"},
	{Type: "store", LabelNames: []string{"type"}},
	{Type: "executor", LabelNames: []string{"type"}},
}}

func attrs(names ...string) []hcl.AttributeSchema {
	out := make([]hcl.AttributeSchema, len(names))
	for i, n := range names {
		out[i] = hcl.AttributeSchema{Name: n}
	}
	return out
}

// bodySchemas are the bodies of the core-owned blocks. Required
// attributes are checked when values are decoded, so that a missing one is
// reported with the others.
var bodySchemas = map[string]*hcl.BodySchema{
	"compose": {Attributes: attrs("name", "short", "version", "type", "label", "closure", "duplicates", "arches", "timestamp",
		"gather", "weak_deps", "greedy", "exclude", "sigkeys", "sources", "debuginfo")},
	"variable": {Attributes: attrs("default", "type", "description")},
	"group": {Attributes: attrs("id", "name", "description", "mandatory", "default", "optional", "conditional",
		"user_visible", "display_order", "name_translations", "description_translations")},
	"module": {
		Attributes: attrs("name", "stream", "version", "context", "summary", "description", "license",
			"groups", "packages", "requires", "profiles", "api", "gather"),
		Blocks: []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
	},
	"lifecycle": {Attributes: attrs("eol", "sla")},
	"store":     {Attributes: attrs("repository", "insecure")},
	"executor": {Attributes: attrs("address", "datacenters", "namespace", "node_pool", "region"),
		Blocks: []hcl.BlockHeaderSchema{{Type: "resources"}}},
	"resources": {Attributes: attrs("cpu", "memory")},
	"variant": {Attributes: attrs("name", "uid", "type", "modules", "packages", "arches", "exclude",
		"multilib", "multilib_whitelist", "multilib_blacklist")},
}

// sourceSchemas are the bodies of each source type.
var sourceSchemas = map[string]*hcl.BodySchema{
	"rpm_dir": {Attributes: []hcl.AttributeSchema{{Name: "path", Required: true}, {Name: "sigkeys"}}},
	"repo":    {Attributes: []hcl.AttributeSchema{{Name: "url", Required: true}, {Name: "sigkeys"}}},
}

// artifactMeta are the artifact arguments the core owns whatever the type.
var artifactMeta = &hcl.BodySchema{Attributes: attrs("for_each", "count", "depends_on", "closure", "timeout", "executor")}

// SelectionSchema holds the package selection arguments, owned by the core
// for types whose schema says they build from packages.
var SelectionSchema = &hcl.BodySchema{Attributes: attrs("variant", "modules", "packages", "arches",
	"gather", "weak_deps", "greedy", "exclude", "multilib", "multilib_whitelist", "multilib_blacklist",
	"sources", "debuginfo")}

// TreeAttributes are the selection arguments only types that ship source
// and debuginfo trees take (sdk.Schema.Trees).
var TreeAttributes = []string{"sources", "debuginfo"}
