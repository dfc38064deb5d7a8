package testutil

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/strata-build/strata/sdk/sdktest"
)

// FreePort returns a loopback port nothing listens on.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Registry is Debian's docker-registry, serving on 127.0.0.1.
type Registry struct {
	Port int
	// Data is its storage directory: blobs under
	// docker/registry/v2/blobs/sha256/<first two hex digits>/<hex>/data.
	Data string
	cmd  *exec.Cmd
	cfg  string
}

// StartRegistry runs docker-registry on port with storage of its own
// until the test ends (or Stop).
func StartRegistry(t testing.TB, port int) *Registry {
	t.Helper()
	dir := t.TempDir()
	r := &Registry{Port: port, Data: filepath.Join(dir, "data"), cfg: filepath.Join(dir, "config.yml")}
	r.Start(t, false)
	t.Cleanup(r.Stop)
	return r
}

// Start starts the registry again after Stop, on the same storage;
// read-only, it serves what it holds and refuses pushes, as in
// maintenance.
func (r *Registry) Start(t testing.TB, readOnly bool) {
	t.Helper()
	cfg := fmt.Sprintf("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\n  maintenance:\n    readonly:\n      enabled: %v\nhttp:\n  addr: 127.0.0.1:%d\n",
		r.Data, readOnly, r.Port)
	if err := os.WriteFile(r.cfg, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	r.cmd = exec.Command(sdktest.NeedTool(t, "docker-registry"), "serve", r.cfg)
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/v2/", r.Port)); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the registry did not start")
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
