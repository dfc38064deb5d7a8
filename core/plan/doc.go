// Package plan decides what an apply must build. For every artifact
// instance it evaluates the body against the plugin's schema, resolves its
// packages, checks their closure and lifecycles, asks the plugin to
// validate and plan, and computes the cache key (Key, the one place that
// defines an artifact's identity). Comparing keys with the state gives
// each instance its action: build, rebuild with reasons, or up to date.
package plan
