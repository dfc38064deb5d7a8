// Package cluster runs the servers strata's shared store and executor
// talk to, on 127.0.0.1, for tests and benchmarks: Debian's
// docker-registry and a Nomad cluster. Each is stopped by its process id.
package cluster

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// FreePort returns a loopback port nothing listens on.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Registry is docker-registry serving one storage directory.
type Registry struct {
	Port int
	// Data is its storage directory: blobs under
	// docker/registry/v2/blobs/sha256/<first two hex digits>/<hex>/data.
	Data string
	bin  string
	cfg  string
	cmd  *exec.Cmd
}

// NewRegistry prepares a registry of the binary bin on port, keeping its
// files in dir; Start runs it.
func NewRegistry(bin, dir string, port int) *Registry {
	return &Registry{Port: port, Data: filepath.Join(dir, "data"), bin: bin, cfg: filepath.Join(dir, "config.yml")}
}

// Start runs the registry and waits until it answers; read-only, it
// serves what it holds and refuses pushes, as in maintenance.
func (r *Registry) Start(readOnly bool) error {
	cfg := fmt.Sprintf("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\n  maintenance:\n    readonly:\n      enabled: %v\nhttp:\n  addr: 127.0.0.1:%d\n",
		r.Data, readOnly, r.Port)
	if err := os.MkdirAll(filepath.Dir(r.cfg), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(r.cfg, []byte(cfg), 0o644); err != nil {
		return err
	}
	r.cmd = exec.Command(r.bin, "serve", r.cfg)
	if err := r.cmd.Start(); err != nil {
		return err
	}
	for i := 0; i < 100; i++ {
		if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/v2/", r.Port)); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	r.Stop()
	return fmt.Errorf("the registry did not start on port %d", r.Port)
}

// Stop stops the registry by its process id.
func (r *Registry) Stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		r.cmd.Process.Kill()
		r.cmd.Wait()
		r.cmd = nil
	}
}

// Blob is the file holding the blob with the hex sha256 digest.
func (r *Registry) Blob(digest string) string {
	return filepath.Join(r.Data, "docker", "registry", "v2", "blobs", "sha256", digest[:2], digest, "data")
}
