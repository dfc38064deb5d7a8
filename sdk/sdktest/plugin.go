package sdktest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/hashicorp/go-plugin"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/host"
	"github.com/strata-build/strata/sdk/serve"
)

// Connect serves p in process over the real gRPC protocol and returns the
// host's client for it, as strata would see the plugin.
func Connect(t testing.TB, p *sdk.Plugin) *host.Client {
	t.Helper()
	client, server := plugin.TestPluginGRPCConn(t, false, serve.PluginSet(p))
	// The server stops first: closing the client first asks the server
	// to stop itself, which then raced with Stop inside go-plugin.
	t.Cleanup(func() {
		server.Stop()
		client.Close()
	})
	return host.FromConn(client.Conn)
}

// Recorder is an sdk.Reporter that keeps what it is told.
type Recorder struct {
	mu          sync.Mutex
	lines       []string
	done, total int64
}

// Progress records the latest progress.
func (r *Recorder) Progress(done, total int64, message string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done, r.total = done, total
}

// Log records a log line as "level: message".
func (r *Recorder) Log(level, message string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprintf("%s: %s", level, message))
}

// Lines returns the log lines recorded so far.
func (r *Recorder) Lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.lines...)
}

// LastProgress returns the latest progress reported.
func (r *Recorder) LastProgress() (done, total int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.done, r.total
}
