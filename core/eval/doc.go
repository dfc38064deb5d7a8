// Package eval evaluates a configuration: it builds the reference graph of
// its blocks (rejecting undeclared references and cycles), assigns
// variables, evaluates locals, sources, groups, modules, variants and the
// compose block in dependency order, and expands artifacts into instances
// with for_each and count. Artifact bodies are evaluated later, by the
// plan, against scopes this package builds.
package eval
