// Package host is strata's side of the plugin protocol: it starts plugin
// binaries and calls them. Plugins never import it; they are served by
// package serve.
package host

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/internal/pluginpb"
	"github.com/strata-build/strata/sdk/internal/wire"
	"github.com/strata-build/strata/sdk/manifest"
	"github.com/zclconf/go-cty/cty"
	"google.golang.org/grpc"
)

// Client is the host's side of a connection to a plugin: strata calls a
// plugin through it.
type Client struct {
	rpc pluginpb.PluginClient
}

// ProtocolVersion is the version of the plugin protocol strata speaks. It
// refuses a plugin that speaks another.
const ProtocolVersion = wire.ProtocolVersion

// Info describes a running plugin.
type Info struct {
	Name     string
	Version  string
	Protocol int
	Types    []string
}

// FromConn is a Client over a gRPC connection to a plugin, such as one
// that go-plugin's in-process test helpers make (see package sdktest).
func FromConn(c *grpc.ClientConn) *Client {
	return &Client{rpc: pluginpb.NewPluginClient(c)}
}

// BuildResult is what a successful build returns to the host.
type BuildResult struct {
	Outputs    cty.Value
	Manifest   []manifest.File
	Placements []sdk.Placement
	// PackageFiles are the files the plugin left to strata to place:
	// output path to the sha256 of a package of the request. The
	// Manifest does not list them.
	PackageFiles map[string]string
}

// BuildError is a build the plugin itself reported as failed.
type BuildError struct{ Message string }

func (e *BuildError) Error() string { return e.Message }

// sdk.Info asks the plugin who it is.
func (c *Client) Info(ctx context.Context) (Info, error) {
	r, err := c.rpc.Info(ctx, &pluginpb.Info_Request{})
	if err != nil {
		return Info{}, err
	}
	return Info{Name: r.GetName(), Version: r.GetVersion(), Protocol: int(r.GetProtocol()), Types: r.GetArtifactTypes()}, nil
}

// sdk.Schema fetches the schema of one artifact type.
func (c *Client) Schema(ctx context.Context, typ string) (sdk.Schema, error) {
	r, err := c.rpc.Schema(ctx, &pluginpb.Schema_Request{ArtifactType: typ})
	if err != nil {
		return sdk.Schema{}, err
	}
	return wire.SchemaFromProto(r)
}

// Validate asks the plugin to check a configuration.
func (c *Client) Validate(ctx context.Context, typ string, config cty.Value) (sdk.Diagnostics, error) {
	cfg, err := wire.EncodeValue(config)
	if err != nil {
		return nil, fmt.Errorf("encoding the configuration: %w", err)
	}
	r, err := c.rpc.Validate(ctx, &pluginpb.Validate_Request{ArtifactType: typ, Config: cfg})
	if err != nil {
		return nil, err
	}
	return wire.DiagsFromProto(r.GetDiagnostics()), nil
}

// Plan asks the plugin to plan one artifact.
func (c *Client) Plan(ctx context.Context, typ string, req *sdk.PlanRequest) (*sdk.PlanResponse, sdk.Diagnostics, error) {
	cfg, err := wire.EncodeValue(req.Config)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding the configuration: %w", err)
	}
	inputs, err := wire.InputsToProto(req.Inputs)
	if err != nil {
		return nil, nil, err
	}
	r, err := c.rpc.Plan(ctx, &pluginpb.Plan_Request{
		ArtifactType: typ, Address: req.Address, Config: cfg, Packages: wire.PackagesToProto(req.Packages),
		Inputs: inputs, Compose: wire.ComposeToProto(req.Compose), Content: wire.ContentToProto(req.Content),
		ConfigDir: req.ConfigDir,
	})
	if err != nil {
		return nil, nil, err
	}
	outputs, err := wire.DecodeValue(r.GetOutputs())
	if err != nil {
		return nil, nil, fmt.Errorf("planned outputs: %w", err)
	}
	return &sdk.PlanResponse{Outputs: outputs, KeyMaterial: r.GetKeyMaterial(), Publish: r.GetPublish()}, wire.DiagsFromProto(r.GetDiagnostics()), nil
}

// Build asks the plugin to build one artifact, passing its progress and
// log events to rep as they arrive.
func (c *Client) Build(ctx context.Context, typ string, req *sdk.BuildRequest, rep sdk.Reporter) (*BuildResult, error) {
	cfg, err := wire.EncodeValue(req.Config)
	if err != nil {
		return nil, fmt.Errorf("encoding the configuration: %w", err)
	}
	inputs, err := wire.InputsToProto(req.Inputs)
	if err != nil {
		return nil, err
	}
	var previous *pluginpb.Input
	if req.Previous != nil {
		p, err := wire.InputsToProto([]sdk.Input{*req.Previous})
		if err != nil {
			return nil, err
		}
		previous = p[0]
	}
	stream, err := c.rpc.Build(ctx, &pluginpb.Build_Request{
		ArtifactType: typ, Address: req.Address, Config: cfg, Packages: wire.PackagesToProto(req.Packages),
		Inputs: inputs, Compose: wire.ComposeToProto(req.Compose), OutputDir: req.OutputDir,
		WorkDir: req.WorkDir, CacheDir: req.CacheDir, Timestamp: req.Timestamp, Content: wire.ContentToProto(req.Content),
		ConfigDir: req.ConfigDir, PoolPackages: req.PoolPackages,
		Previous: previous,
	})
	if err != nil {
		return nil, err
	}
	res, err := receive(stream, rep)
	if err != nil {
		return nil, err
	}
	outputs, err := wire.DecodeValue(res.GetOutputs())
	if err != nil {
		return nil, fmt.Errorf("outputs: %w", err)
	}
	if len(res.GetPackageFiles()) > 0 && !req.PoolPackages {
		return nil, fmt.Errorf("the plugin named %d package files for strata to place, which this build did not allow", len(res.GetPackageFiles()))
	}
	return &BuildResult{Outputs: outputs, Manifest: wire.ManifestFromProto(res.GetManifest()),
		Placements: wire.PlacementsFromProto(res.GetPlacements()), PackageFiles: res.GetPackageFiles()}, nil
}

// Publish asks the plugin to publish a stored artifact, passing its
// progress and log events to rep as they arrive.
func (c *Client) Publish(ctx context.Context, typ string, req *sdk.PublishRequest, rep sdk.Reporter) (*sdk.PublishResponse, error) {
	cfg, err := wire.EncodeValue(req.Config)
	if err != nil {
		return nil, fmt.Errorf("encoding the configuration: %w", err)
	}
	outputs, err := wire.EncodeValue(req.Outputs)
	if err != nil {
		return nil, fmt.Errorf("encoding the outputs: %w", err)
	}
	stream, err := c.rpc.Publish(ctx, &pluginpb.Publish_Request{ArtifactType: typ, Address: req.Address, Config: cfg, Path: req.Path, Outputs: outputs})
	if err != nil {
		return nil, err
	}
	res, err := receive(stream, rep)
	if err != nil {
		return nil, err
	}
	published, err := wire.DecodeValue(res.GetOutputs())
	if err != nil {
		return nil, fmt.Errorf("outputs: %w", err)
	}
	return &sdk.PublishResponse{Outputs: published}, nil
}

// receive passes a build or publication's events to rep and returns its
// result; a result with an error is a *BuildError.
func receive(stream interface {
	Recv() (*pluginpb.Build_Event, error)
}, rep sdk.Reporter) (*pluginpb.Build_Result, error) {
	for {
		ev, err := stream.Recv()
		if err == io.EOF {
			return nil, errors.New("the plugin ended the call without a result")
		}
		if err != nil {
			return nil, err
		}
		switch e := ev.GetEvent().(type) {
		case *pluginpb.Build_Event_Progress:
			rep.Progress(e.Progress.GetDone(), e.Progress.GetTotal(), e.Progress.GetMessage())
		case *pluginpb.Build_Event_Log:
			rep.Log(e.Log.GetLevel(), e.Log.GetMessage())
		case *pluginpb.Build_Event_Result:
			if e.Result.GetError() != "" {
				return nil, &BuildError{Message: e.Result.GetError()}
			}
			return e.Result, nil
		}
	}
}
