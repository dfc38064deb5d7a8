package serve

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sync"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/internal/pluginpb"
	"github.com/strata-build/strata/sdk/internal/wire"
	"github.com/strata-build/strata/sdk/manifest"
	"github.com/zclconf/go-cty/cty"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// server answers the protocol by calling a sdk.Plugin.
type server struct {
	pluginpb.UnimplementedPluginServer
	impl *sdk.Plugin
}

func (s *server) typ(name string) (sdk.Type, error) {
	t, ok := s.impl.Types[name]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "plugin %s has no artifact type %q", s.impl.Name, name)
	}
	return t, nil
}

// configured is the named type and the configuration a request carries.
func (s *server) configured(name string, config []byte) (sdk.Type, cty.Value, error) {
	t, err := s.typ(name)
	if err != nil {
		return nil, cty.NilVal, err
	}
	cfg, err := wire.DecodeValue(config)
	if err != nil {
		return nil, cty.NilVal, status.Errorf(codes.InvalidArgument, "config: %v", err)
	}
	return t, cfg, nil
}

func (s *server) Info(context.Context, *pluginpb.Info_Request) (*pluginpb.Info_Response, error) {
	types := slices.Sorted(maps.Keys(s.impl.Types))
	return &pluginpb.Info_Response{Name: s.impl.Name, Version: s.impl.Version, Protocol: wire.ProtocolVersion, ArtifactTypes: types}, nil
}

func (s *server) Schema(_ context.Context, req *pluginpb.Schema_Request) (*pluginpb.Schema_Response, error) {
	t, err := s.typ(req.GetArtifactType())
	if err != nil {
		return nil, err
	}
	return wire.SchemaToProto(t.Schema())
}

func (s *server) Validate(ctx context.Context, req *pluginpb.Validate_Request) (*pluginpb.Validate_Response, error) {
	t, cfg, err := s.configured(req.GetArtifactType(), req.GetConfig())
	if err != nil {
		return nil, err
	}
	return &pluginpb.Validate_Response{Diagnostics: wire.DiagsToProto(t.Validate(ctx, cfg))}, nil
}

func (s *server) Plan(ctx context.Context, req *pluginpb.Plan_Request) (*pluginpb.Plan_Response, error) {
	t, cfg, err := s.configured(req.GetArtifactType(), req.GetConfig())
	if err != nil {
		return nil, err
	}
	inputs, err := wire.InputsFromProto(req.GetInputs())
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	resp, diags := t.Plan(ctx, &sdk.PlanRequest{
		Address: req.GetAddress(), Config: cfg, Packages: wire.PackagesFromProto(req.GetPackages()),
		Inputs: inputs, Compose: wire.ComposeFromProto(req.GetCompose()), Content: wire.ContentFromProto(req.GetContent()),
		ConfigDir: req.GetConfigDir(),
	})
	out := &pluginpb.Plan_Response{Diagnostics: wire.DiagsToProto(diags)}
	if resp != nil {
		if out.Outputs, err = wire.EncodeValue(resp.Outputs); err != nil {
			return nil, status.Errorf(codes.Internal, "planned outputs: %v", err)
		}
		out.KeyMaterial = resp.KeyMaterial
		out.Publish = resp.Publish
	}
	return out, nil
}

func (s *server) Publish(req *pluginpb.Publish_Request, stream pluginpb.Plugin_PublishServer) error {
	t, cfg, err := s.configured(req.GetArtifactType(), req.GetConfig())
	if err != nil {
		return err
	}
	pub, ok := t.(sdk.Publisher)
	if !ok {
		return status.Errorf(codes.Unimplemented, "artifact type %q of plugin %s publishes nothing", req.GetArtifactType(), s.impl.Name)
	}
	outputs, err := wire.DecodeValue(req.GetOutputs())
	if err != nil {
		return status.Errorf(codes.InvalidArgument, "outputs: %v", err)
	}
	rep := &streamReporter{stream: stream}
	resp, err := pub.Publish(stream.Context(), &sdk.PublishRequest{Address: req.GetAddress(), Config: cfg, Path: req.GetPath(), Outputs: outputs}, rep)
	result := &pluginpb.Build_Result{}
	if err == nil && resp != nil {
		result.Outputs, err = wire.EncodeValue(resp.Outputs)
	}
	if err != nil {
		result = &pluginpb.Build_Result{Error: err.Error()}
	}
	return rep.send(&pluginpb.Build_Event{Event: &pluginpb.Build_Event_Result{Result: result}})
}

func (s *server) Build(req *pluginpb.Build_Request, stream pluginpb.Plugin_BuildServer) error {
	t, cfg, err := s.configured(req.GetArtifactType(), req.GetConfig())
	if err != nil {
		return err
	}
	inputs, err := wire.InputsFromProto(req.GetInputs())
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	var previous *sdk.Input
	if req.GetPrevious() != nil {
		p, err := wire.InputsFromProto([]*pluginpb.Input{req.GetPrevious()})
		if err != nil {
			return status.Error(codes.InvalidArgument, err.Error())
		}
		previous = &p[0]
	}
	// The previous build's digests are gathered while the build runs.
	linked := make(chan manifest.Linked, 1)
	go func() {
		l := manifest.Linked{}
		if previous != nil {
			l.AddManifest(previous.Path, previous.Manifest)
		}
		linked <- l
	}()
	rep := &streamReporter{stream: stream}
	resp, err := t.Build(stream.Context(), &sdk.BuildRequest{
		Address: req.GetAddress(), Config: cfg, Packages: wire.PackagesFromProto(req.GetPackages()),
		Inputs: inputs, Compose: wire.ComposeFromProto(req.GetCompose()),
		OutputDir: req.GetOutputDir(), WorkDir: req.GetWorkDir(), CacheDir: req.GetCacheDir(), Timestamp: req.GetTimestamp(),
		Content: wire.ContentFromProto(req.GetContent()), Previous: previous, ConfigDir: req.GetConfigDir(),
		PoolPackages: req.GetPoolPackages(),
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
func finishBuild(dir string, resp *sdk.BuildResponse, linked manifest.Linked) (*pluginpb.Build_Result, error) {
	if resp == nil {
		resp = &sdk.BuildResponse{}
	}
	known := func(path string, _ fs.FileInfo) (string, bool) {
		sum, ok := resp.Known[path]
		return sum, ok
	}
	manifest, err := manifest.ScanLinked(dir, linked, known)
	if err != nil {
		return nil, fmt.Errorf("listing the output: %w", err)
	}
	for p := range resp.PackageFiles {
		if err := files.CheckRelPath(p); err != nil {
			return nil, fmt.Errorf("package file %q: %w", p, err)
		}
	}
	for _, f := range manifest {
		if _, ok := resp.PackageFiles[f.Path]; ok {
			return nil, fmt.Errorf("%s is both written and named as a package file", f.Path)
		}
	}
	outputs, err := wire.EncodeValue(resp.Outputs)
	if err != nil {
		return nil, fmt.Errorf("outputs: %w", err)
	}
	return &pluginpb.Build_Result{Outputs: outputs, Manifest: wire.ManifestToProto(manifest), Placements: wire.PlacementsToProto(resp.Placements),
		PackageFiles: resp.PackageFiles}, nil
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
