package sdk

import (
	"context"

	"github.com/zclconf/go-cty/cty"
)

// Plugin is what a plugin binary serves.
type Plugin struct {
	// Name identifies the plugin, e.g. "tarball".
	Name string
	// Version is the plugin's semantic version. It is part of every cache
	// key, so a new version rebuilds the artifacts it made.
	Version string
	// Types maps artifact type names to their implementations.
	Types map[string]Type
}

// Type builds one artifact type.
type Type interface {
	// Schema describes the body of an artifact block of this type.
	Schema() Schema
	// Validate checks a configuration. Values that depend on other
	// artifacts may be unknown.
	Validate(ctx context.Context, config cty.Value) Diagnostics
	// Plan predicts the artifact's outputs (unknown where only a build can
	// tell) and returns any material, beyond configuration and inputs, that
	// the result depends on.
	Plan(ctx context.Context, req *PlanRequest) (*PlanResponse, Diagnostics)
	// Build writes the artifact into req.OutputDir.
	Build(ctx context.Context, req *BuildRequest, r Reporter) (*BuildResponse, error)
}

// Publisher is implemented by a Type whose artifacts are sent somewhere
// after they are built and stored, such as an image pushed to a registry.
// A failed publication leaves the artifact stored, and the next apply
// publishes it again.
type Publisher interface {
	Publish(ctx context.Context, req *PublishRequest, r Reporter) (*PublishResponse, error)
}

// Reporter carries a build's progress and log lines to strata while the
// build runs. It is safe for concurrent use.
type Reporter interface {
	// Progress reports that done of total units are finished.
	Progress(done, total int64, message string)
	// Log records a line at level "debug", "info", "warn" or "error".
	Log(level, message string)
}
