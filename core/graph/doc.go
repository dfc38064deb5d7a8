// Package graph is a directed acyclic graph of comparable nodes: the
// reference graph of a configuration and the build graph of a plan. It
// finds cycles (every one, each with all its nodes), orders nodes so that
// dependencies come first, and walks the graph in parallel.
package graph
