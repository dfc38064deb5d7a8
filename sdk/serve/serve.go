// Package serve runs a plugin: a plugin binary's main function calls
// serve.Plugin with its sdk.Plugin.
package serve

import (
	"fmt"
	"os"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/internal/wire"
	"google.golang.org/grpc"
)

// Plugin runs p until strata disconnects. A plugin's main function calls
// it and nothing else. Logs written with hclog.Default (or to stderr)
// reach strata's log.
func Plugin(p *sdk.Plugin) {
	if os.Getenv(wire.Handshake.MagicCookieKey) != wire.Handshake.MagicCookieValue {
		fmt.Fprintf(os.Stderr, "%s is a strata plugin; strata starts it, it is not run by hand.\n", os.Args[0])
		os.Exit(1)
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: wire.Handshake,
		Plugins:         PluginSet(p),
		GRPCServer:      newGRPCServer,
		Logger:          hclog.New(&hclog.LoggerOptions{Name: p.Name, Output: os.Stderr, JSONFormat: true, Level: hclog.Info}),
	})
}

// PluginSet is the go-plugin plugin set that serves p: Plugin uses it,
// and tests pass it to go-plugin's in-process helpers (see package
// sdktest).
func PluginSet(p *sdk.Plugin) plugin.PluginSet {
	return plugin.PluginSet{wire.PluginKey: &wire.GRPCPlugin{Impl: &server{impl: p}}}
}

func newGRPCServer(opts []grpc.ServerOption) *grpc.Server {
	opts = append(opts, grpc.MaxRecvMsgSize(wire.MaxMessage), grpc.MaxSendMsgSize(wire.MaxMessage))
	return grpc.NewServer(opts...)
}
