// Package apply carries out a plan: it walks the instances in dependency
// order, in parallel, and for each one that must be (re)built takes it
// from the store when the store already holds its key, or has its plugin
// build it into a fresh directory that is verified and moved into the
// store. A failure stops only the instances built from the failed one.
package apply
