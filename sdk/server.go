package sdk

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/strata-build/strata/sdk/internal/pluginpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Handshake is the go-plugin handshake strata and its plugins share. The
// cookie only tells a plugin binary started by hand that it should not be.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "STRATA_PLUGIN_COOKIE",
	MagicCookieValue: "4c7a1b0f9e2d46b8a3c5e7f9d1b3a5c7",
}

// PluginKey names the one service in the go-plugin plugin set.
const PluginKey = "artifacts"

// maxMessage bounds gRPC messages: a build request of a large package
// universe carries tens of thousands of packages.
const maxMessage = 1 << 30

// Serve runs p as a plugin until strata disconnects. Call it from main.
// Logs written with hclog.Default (or to stderr) reach strata's log.
func Serve(p *Plugin) {
	if os.Getenv(Handshake.MagicCookieKey) != Handshake.MagicCookieValue {
		fmt.Fprintf(os.Stderr, "%s is a strata plugin; strata starts it, it is not run by hand.\n", os.Args[0])
		os.Exit(1)
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         PluginSet(p),
		GRPCServer:      newGRPCServer,
		Logger:          hclog.New(&hclog.LoggerOptions{Name: p.Name, Output: os.Stderr, JSONFormat: true, Level: hclog.Info}),
	})
}

// PluginSet is the go-plugin plugin set that serves p: Serve uses it, and
// tests pass it to go-plugin's in-process helpers (see package sdktest).
func PluginSet(p *Plugin) plugin.PluginSet {
	return plugin.PluginSet{PluginKey: &grpcPlugin{impl: p}}
}

func newGRPCServer(opts []grpc.ServerOption) *grpc.Server {
	opts = append(opts, grpc.MaxRecvMsgSize(maxMessage), grpc.MaxSendMsgSize(maxMessage))
	return grpc.NewServer(opts...)
}

// grpcPlugin binds a Plugin to go-plugin's gRPC transport, on both sides.
type grpcPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	impl *Plugin
}

func (g *grpcPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pluginpb.RegisterPluginServer(s, &server{impl: g.impl})
	return nil
}

func (g *grpcPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &Client{rpc: pluginpb.NewPluginClient(c)}, nil
}

// server answers the protocol by calling a Plugin.
type server struct {
	pluginpb.UnimplementedPluginServer
	impl *Plugin
}

func (s *server) typ(name string) (Type, error) {
	t, ok := s.impl.Types[name]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "plugin %s has no artifact type %q", s.impl.Name, name)
	}
	return t, nil
}

func (s *server) Info(context.Context, *pluginpb.Info_Request) (*pluginpb.Info_Response, error) {
	types := make([]string, 0, len(s.impl.Types))
	for name := range s.impl.Types {
		types = append(types, name)
	}
	sort.Strings(types)
	return &pluginpb.Info_Response{Name: s.impl.Name, Version: s.impl.Version, Protocol: ProtocolVersion, ArtifactTypes: types}, nil
}

func (s *server) Schema(_ context.Context, req *pluginpb.Schema_Request) (*pluginpb.Schema_Response, error) {
	t, err := s.typ(req.GetArtifactType())
	if err != nil {
		return nil, err
	}
	return schemaToProto(t.Schema())
}

func (s *server) Validate(ctx context.Context, req *pluginpb.Validate_Request) (*pluginpb.Validate_Response, error) {
	t, err := s.typ(req.GetArtifactType())
	if err != nil {
		return nil, err
	}
	cfg, err := decodeValue(req.GetConfig())
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "config: %v", err)
	}
	return &pluginpb.Validate_Response{Diagnostics: diagsToProto(t.Validate(ctx, cfg))}, nil
}

func (s *server) Plan(ctx context.Context, req *pluginpb.Plan_Request) (*pluginpb.Plan_Response, error) {
	t, err := s.typ(req.GetArtifactType())
	if err != nil {
		return nil, err
	}
	cfg, err := decodeValue(req.GetConfig())
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "config: %v", err)
	}
	inputs, err := inputsFromProto(req.GetInputs())
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	resp, diags := t.Plan(ctx, &PlanRequest{
		Address: req.GetAddress(), Config: cfg, Packages: packagesFromProto(req.GetPackages()),
		Inputs: inputs, Compose: composeFromProto(req.GetCompose()), Content: contentFromProto(req.GetContent()),
		ConfigDir: req.GetConfigDir(),
	})
	out := &pluginpb.Plan_Response{Diagnostics: diagsToProto(diags)}
	if resp != nil {
		if out.Outputs, err = encodeValue(resp.Outputs); err != nil {
			return nil, status.Errorf(codes.Internal, "planned outputs: %v", err)
		}
		out.KeyMaterial = resp.KeyMaterial
		out.Publish = resp.Publish
	}
	return out, nil
}

func (s *server) Publish(req *pluginpb.Publish_Request, stream pluginpb.Plugin_PublishServer) error {
	t, err := s.typ(req.GetArtifactType())
	if err != nil {
		return err
	}
	pub, ok := t.(Publisher)
	if !ok {
		return status.Errorf(codes.Unimplemented, "artifact type %q of plugin %s publishes nothing", req.GetArtifactType(), s.impl.Name)
	}
	cfg, err := decodeValue(req.GetConfig())
	if err != nil {
		return status.Errorf(codes.InvalidArgument, "config: %v", err)
	}
	outputs, err := decodeValue(req.GetOutputs())
	if err != nil {
		return status.Errorf(codes.InvalidArgument, "outputs: %v", err)
	}
	rep := &streamReporter{stream: stream}
	resp, err := pub.Publish(stream.Context(), &PublishRequest{Address: req.GetAddress(), Config: cfg, Path: req.GetPath(), Outputs: outputs}, rep)
	result := &pluginpb.Build_Result{}
	if err == nil && resp != nil {
		result.Outputs, err = encodeValue(resp.Outputs)
	}
	if err != nil {
		result = &pluginpb.Build_Result{Error: err.Error()}
	}
	return rep.send(&pluginpb.Build_Event{Event: &pluginpb.Build_Event_Result{Result: result}})
}

func (s *server) Build(req *pluginpb.Build_Request, stream pluginpb.Plugin_BuildServer) error {
	t, err := s.typ(req.GetArtifactType())
	if err != nil {
		return err
	}
	cfg, err := decodeValue(req.GetConfig())
	if err != nil {
		return status.Errorf(codes.InvalidArgument, "config: %v", err)
	}
	inputs, err := inputsFromProto(req.GetInputs())
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	var previous *Input
	if req.GetPrevious() != nil {
		p, err := inputsFromProto([]*pluginpb.Input{req.GetPrevious()})
		if err != nil {
			return status.Error(codes.InvalidArgument, err.Error())
		}
		previous = &p[0]
	}
	// The previous build's digests are gathered while the build runs.
	linked := make(chan LinkedDigests, 1)
	go func() {
		l := LinkedDigests{}
		if previous != nil {
			l.AddManifest(previous.Path, previous.Manifest)
		}
		linked <- l
	}()
	rep := &streamReporter{stream: stream}
	resp, err := t.Build(stream.Context(), &BuildRequest{
		Address: req.GetAddress(), Config: cfg, Packages: packagesFromProto(req.GetPackages()),
		Inputs: inputs, Compose: composeFromProto(req.GetCompose()),
		OutputDir: req.GetOutputDir(), WorkDir: req.GetWorkDir(), CacheDir: req.GetCacheDir(), Timestamp: req.GetTimestamp(),
		Content: contentFromProto(req.GetContent()), Previous: previous, ConfigDir: req.GetConfigDir(),
	}, rep)
	result := &pluginpb.Build_Result{}
	if err == nil {
		result, err = finishBuild(req.GetOutputDir(), resp, <-linked)
	}
	if err != nil {
		result = &pluginpb.Build_Result{Error: err.Error()}
	}
	return rep.send(&pluginpb.Build_Event{Event: &pluginpb.Build_Event_Result{Result: result}})
}

// finishBuild lists what the build wrote and encodes its outputs. Files
// the response knows the digest of, or linked from the previous build
// (linked), are not hashed again.
func finishBuild(dir string, resp *BuildResponse, linked LinkedDigests) (*pluginpb.Build_Result, error) {
	if resp == nil {
		resp = &BuildResponse{}
	}
	known := func(path string, _ fs.FileInfo) (string, bool) {
		sum, ok := resp.Known[path]
		return sum, ok
	}
	manifest, err := ScanLinked(dir, linked, known)
	if err != nil {
		return nil, fmt.Errorf("listing the output: %w", err)
	}
	outputs, err := encodeValue(resp.Outputs)
	if err != nil {
		return nil, fmt.Errorf("outputs: %w", err)
	}
	return &pluginpb.Build_Result{Outputs: outputs, Manifest: manifestToProto(manifest), Placements: placementsToProto(resp.Placements)}, nil
}

// streamReporter sends progress and log events; gRPC streams allow one
// sender at a time.
type streamReporter struct {
	mu     sync.Mutex
	stream interface {
		Send(*pluginpb.Build_Event) error
	}
}

func (r *streamReporter) send(ev *pluginpb.Build_Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stream.Send(ev)
}

func (r *streamReporter) Progress(done, total int64, message string) {
	_ = r.send(&pluginpb.Build_Event{Event: &pluginpb.Build_Event_Progress{Progress: &pluginpb.Build_Progress{Done: done, Total: total, Message: message}}})
}

func (r *streamReporter) Log(level, message string) {
	_ = r.send(&pluginpb.Build_Event{Event: &pluginpb.Build_Event_Log{Log: &pluginpb.Build_Log{Level: level, Message: message}}})
}
