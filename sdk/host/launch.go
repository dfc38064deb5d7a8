package host

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/strata-build/strata/sdk/internal/pluginpb"
	"github.com/strata-build/strata/sdk/internal/wire"
	"google.golang.org/grpc"
)

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

// Handshake is the go-plugin handshake strata expects of a plugin. Tests
// serve a plugin with a changed copy to see a mismatch refused.
var Handshake = wire.Handshake

// Launch starts the plugin binary that cmd runs and connects to it.
func Launch(cmd *exec.Cmd, opts LaunchOptions) (*Process, error) {
	pc := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  wire.Handshake,
		Plugins:          plugin.PluginSet{wire.PluginKey: &wire.GRPCPlugin{}},
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           opts.Logger,
		Stderr:           opts.Stderr,
		StartTimeout:     opts.StartTimeout,
		GRPCDialOptions: []grpc.DialOption{grpc.WithDefaultCallOptions(
			grpc.MaxCallRecvMsgSize(wire.MaxMessage), grpc.MaxCallSendMsgSize(wire.MaxMessage))},
	})
	rpc, err := pc.Client()
	if err != nil {
		pc.Kill()
		if strings.Contains(strings.ToLower(err.Error()), "incompatible api version") {
			return nil, fmt.Errorf("%w: %v", ErrProtocol, err)
		}
		return nil, err
	}
	raw, err := rpc.Dispense(wire.PluginKey)
	if err != nil {
		pc.Kill()
		return nil, err
	}
	return &Process{Client: &Client{rpc: raw.(pluginpb.PluginClient)}, pc: pc}, nil
}

// Exited reports whether the plugin process has ended.
func (p *Process) Exited() bool { return p.pc.Exited() }

// Kill stops the plugin process.
func (p *Process) Kill() { p.pc.Kill() }
