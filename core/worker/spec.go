// Package worker runs one artifact build away from the machine that
// planned it (strata worker, in a Nomad job): from a Spec kept in the
// shared store, it fetches the packages, inputs and plugin binary the
// build needs by their digests, runs the plugin exactly as a local apply
// does, verifies the files against the manifest and pushes the entry to
// the shared store. The machine that applies trusts only that entry,
// which it fetches and verifies again.
package worker

import (
	"encoding/json"
	"time"

	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/sdk"
)

// Spec is one build, as a worker runs it. Packages and binaries are named
// by their sha256, as blobs of the shared store; input artifacts by
// their keys, as its entries.
type Spec struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Key     string `json:"key"`
	// Plugin is the lock file's record of the type's plugin; its SHA256
	// is plugins.BuiltinSum for a type strata carries, which the worker
	// (the strata binary with the sha256 Strata) runs itself.
	Plugin plugins.Locked `json:"plugin"`
	Strata string         `json:"strata"`
	// Config is the artifact's configuration, as plan.EncodeOutputs
	// writes a value.
	Config   json.RawMessage `json:"config"`
	Packages []sdk.Package   `json:"packages"`
	Inputs   []Input         `json:"inputs"`
	Compose  sdk.Compose     `json:"compose"`
	Content  sdk.Content     `json:"content"`
	// Timestamp is stamped into the artifact; Timeout bounds the build.
	Timestamp int64         `json:"timestamp"`
	Timeout   time.Duration `json:"timeout"`
	// KeyInput and Lineage go into the entry as the local apply would
	// write them, byte for byte (JSON would compact them as values).
	KeyInput string `json:"key_input"`
	Lineage  string `json:"lineage"`
}

// Input is an input artifact of a build.
type Input struct {
	Address  string          `json:"address"`
	Type     string          `json:"type"`
	Key      string          `json:"key"`
	Outputs  json.RawMessage `json:"outputs"`
	Packages []sdk.Package   `json:"packages"`
}

// Blobs lists the sha256 and size of every package the build reads, its
// own and its inputs', each once.
func (s *Spec) Blobs() map[string]int64 {
	out := map[string]int64{}
	for _, p := range s.Packages {
		out[p.SHA256] = p.Size
	}
	for _, in := range s.Inputs {
		for _, p := range in.Packages {
			out[p.SHA256] = p.Size
		}
	}
	return out
}
