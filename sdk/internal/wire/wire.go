// Package wire is the plugin protocol's transport, shared by the two
// sides: the go-plugin handshake, the gRPC binding and the conversions
// between the SDK's types and the protocol's messages
// (internal/pluginpb). Package serve is the plugin's side, package host
// strata's.
package wire

import (
	"context"

	"github.com/hashicorp/go-plugin"
	"github.com/strata-build/strata/sdk/internal/pluginpb"
	"google.golang.org/grpc"
)

// ProtocolVersion is the version of the plugin protocol. strata refuses a
// plugin that speaks another.
const ProtocolVersion = 1

// Handshake is the go-plugin handshake strata and its plugins share. The
// cookie only tells a plugin binary started by hand that it should not be.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "STRATA_PLUGIN_COOKIE",
	MagicCookieValue: "4c7a1b0f9e2d46b8a3c5e7f9d1b3a5c7",
}

// PluginKey names the one service in the go-plugin plugin set.
const PluginKey = "artifacts"

// MaxMessage bounds gRPC messages: a build request of a large package
// universe carries tens of thousands of packages.
const MaxMessage = 1 << 30

// GRPCPlugin binds the protocol to go-plugin's gRPC transport, on both
// sides: a plugin serves Impl; strata's side dispenses a
// pluginpb.PluginClient.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl pluginpb.PluginServer
}

// GRPCServer registers the plugin's server.
func (g *GRPCPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pluginpb.RegisterPluginServer(s, g.Impl)
	return nil
}

// GRPCClient returns the protocol's client over c.
func (g *GRPCPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return pluginpb.NewPluginClient(c), nil
}
