package sdk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/strata-build/strata/sdk/internal/pluginpb"
	"github.com/zclconf/go-cty/cty"
	"google.golang.org/grpc"
)

// Client is the host's side of a connection to a plugin: strata calls a
// plugin through it.
type Client struct {
	rpc pluginpb.PluginClient
}

// BuildResult is what a successful build returns to the host.
type BuildResult struct {
	Outputs    cty.Value
	Manifest   []ManifestFile
	Placements []Placement
}

// BuildError is a build the plugin itself reported as failed.
type BuildError struct{ Message string }

func (e *BuildError) Error() string { return e.Message }

// Info asks the plugin who it is.
func (c *Client) Info(ctx context.Context) (Info, error) {
	r, err := c.rpc.Info(ctx, &pluginpb.Info_Request{})
	if err != nil {
		return Info{}, err
	}
	return Info{Name: r.GetName(), Version: r.GetVersion(), Protocol: int(r.GetProtocol()), Types: r.GetArtifactTypes()}, nil
}

// Schema fetches the schema of one artifact type.
func (c *Client) Schema(ctx context.Context, typ string) (Schema, error) {
	r, err := c.rpc.Schema(ctx, &pluginpb.Schema_Request{ArtifactType: typ})
	if err != nil {
		return Schema{}, err
	}
	return schemaFromProto(r)
}

// Validate asks the plugin to check a configuration.
func (c *Client) Validate(ctx context.Context, typ string, config cty.Value) (Diagnostics, error) {
	cfg, err := encodeValue(config)
	if err != nil {
		return nil, fmt.Errorf("encoding the configuration: %w", err)
	}
	r, err := c.rpc.Validate(ctx, &pluginpb.Validate_Request{ArtifactType: typ, Config: cfg})
	if err != nil {
		return nil, err
	}
	return diagsFromProto(r.GetDiagnostics()), nil
}

// Plan asks the plugin to plan one artifact.
func (c *Client) Plan(ctx context.Context, typ string, req *PlanRequest) (*PlanResponse, Diagnostics, error) {
	cfg, err := encodeValue(req.Config)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding the configuration: %w", err)
	}
	inputs, err := inputsToProto(req.Inputs)
	if err != nil {
		return nil, nil, err
	}
	r, err := c.rpc.Plan(ctx, &pluginpb.Plan_Request{
		ArtifactType: typ, Address: req.Address, Config: cfg, Packages: packagesToProto(req.Packages),
		Inputs: inputs, Compose: composeToProto(req.Compose), Content: contentToProto(req.Content),
		ConfigDir: req.ConfigDir,
	})
	if err != nil {
		return nil, nil, err
	}
	outputs, err := decodeValue(r.GetOutputs())
	if err != nil {
		return nil, nil, fmt.Errorf("planned outputs: %w", err)
	}
	return &PlanResponse{Outputs: outputs, KeyMaterial: r.GetKeyMaterial(), Publish: r.GetPublish()}, diagsFromProto(r.GetDiagnostics()), nil
}

// Build asks the plugin to build one artifact, passing its progress and
// log events to rep as they arrive.
func (c *Client) Build(ctx context.Context, typ string, req *BuildRequest, rep Reporter) (*BuildResult, error) {
	cfg, err := encodeValue(req.Config)
	if err != nil {
		return nil, fmt.Errorf("encoding the configuration: %w", err)
	}
	inputs, err := inputsToProto(req.Inputs)
	if err != nil {
		return nil, err
	}
	var previous *pluginpb.Input
	if req.Previous != nil {
		p, err := inputsToProto([]Input{*req.Previous})
		if err != nil {
			return nil, err
		}
		previous = p[0]
	}
	stream, err := c.rpc.Build(ctx, &pluginpb.Build_Request{
		ArtifactType: typ, Address: req.Address, Config: cfg, Packages: packagesToProto(req.Packages),
		Inputs: inputs, Compose: composeToProto(req.Compose), OutputDir: req.OutputDir,
		WorkDir: req.WorkDir, CacheDir: req.CacheDir, Timestamp: req.Timestamp, Content: contentToProto(req.Content),
		ConfigDir: req.ConfigDir,
		Previous:  previous,
	})
	if err != nil {
		return nil, err
	}
	res, err := receive(stream, rep)
	if err != nil {
		return nil, err
	}
	outputs, err := decodeValue(res.GetOutputs())
	if err != nil {
		return nil, fmt.Errorf("outputs: %w", err)
	}
	return &BuildResult{Outputs: outputs, Manifest: manifestFromProto(res.GetManifest()),
		Placements: placementsFromProto(res.GetPlacements())}, nil
}

// Publish asks the plugin to publish a stored artifact, passing its
// progress and log events to rep as they arrive.
func (c *Client) Publish(ctx context.Context, typ string, req *PublishRequest, rep Reporter) (*PublishResponse, error) {
	cfg, err := encodeValue(req.Config)
	if err != nil {
		return nil, fmt.Errorf("encoding the configuration: %w", err)
	}
	outputs, err := encodeValue(req.Outputs)
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
	published, err := decodeValue(res.GetOutputs())
	if err != nil {
		return nil, fmt.Errorf("outputs: %w", err)
	}
	return &PublishResponse{Outputs: published}, nil
}

// receive passes a build or publication's events to rep and returns its
// result; a result with an error is a *BuildError.
func receive(stream interface {
	Recv() (*pluginpb.Build_Event, error)
}, rep Reporter) (*pluginpb.Build_Result, error) {
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

// Process is a running plugin binary.
type Process struct {
	*Client
	pc *plugin.Client
}

// LaunchOptions tune how a plugin binary is started.
type LaunchOptions struct {
	// Logger receives the plugin's log lines.
	Logger hclog.Logger
	// Stderr receives whatever the plugin writes to stderr that is not a
	// log line, such as a panic's stack trace.
	Stderr io.Writer
	// StartTimeout bounds the handshake.
	StartTimeout time.Duration
}

// ErrProtocol is returned by Launch for a plugin that speaks another
// protocol version.
var ErrProtocol = errors.New("plugin protocol mismatch")

// Launch starts the plugin binary that cmd runs and connects to it.
func Launch(cmd *exec.Cmd, opts LaunchOptions) (*Process, error) {
	pc := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          plugin.PluginSet{PluginKey: &grpcPlugin{}},
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           opts.Logger,
		Stderr:           opts.Stderr,
		StartTimeout:     opts.StartTimeout,
		GRPCDialOptions: []grpc.DialOption{grpc.WithDefaultCallOptions(
			grpc.MaxCallRecvMsgSize(maxMessage), grpc.MaxCallSendMsgSize(maxMessage))},
	})
	rpc, err := pc.Client()
	if err != nil {
		pc.Kill()
		if strings.Contains(strings.ToLower(err.Error()), "incompatible api version") {
			return nil, fmt.Errorf("%w: %v", ErrProtocol, err)
		}
		return nil, err
	}
	raw, err := rpc.Dispense(PluginKey)
	if err != nil {
		pc.Kill()
		return nil, err
	}
	return &Process{Client: raw.(*Client), pc: pc}, nil
}

// Exited reports whether the plugin process has ended.
func (p *Process) Exited() bool { return p.pc.Exited() }

// Kill stops the plugin process.
func (p *Process) Kill() { p.pc.Kill() }
