package testutil

import (
	"testing"

	"github.com/strata-build/strata/internal/rig/cluster"
	"github.com/strata-build/strata/sdk/sdktest"
)

// FreePort returns a loopback port nothing listens on.
func FreePort(t testing.TB) int {
	t.Helper()
	p, err := cluster.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Registry is Debian's docker-registry, serving on 127.0.0.1 for a test.
type Registry struct {
	*cluster.Registry
}

// StartRegistry runs docker-registry on port with storage of its own
// until the test ends (or Stop).
func StartRegistry(t testing.TB, port int) *Registry {
	t.Helper()
	r := &Registry{cluster.NewRegistry(sdktest.NeedTool(t, "docker-registry"), t.TempDir(), port)}
	r.Start(t, false)
	t.Cleanup(r.Stop)
	return r
}

// Start starts the registry again after Stop, on the same storage;
// read-only, it refuses pushes.
func (r *Registry) Start(t testing.TB, readOnly bool) {
	t.Helper()
	if err := r.Registry.Start(readOnly); err != nil {
		t.Fatal(err)
	}
}
