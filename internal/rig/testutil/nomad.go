package testutil

import (
	"os"
	"os/exec"
	"testing"

	"github.com/strata-build/strata/internal/rig/cluster"
)

// StartNomad starts a Nomad cluster of nodes nodes (a dev agent and
// clients) until the test ends.
func StartNomad(t testing.TB, nodes int) *cluster.Nomad {
	t.Helper()
	n, err := cluster.StartNomad(needNomad(t), t.TempDir(), nodes)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Stop)
	return n
}

// Jobs lists a cluster's jobs: their ids and meta.
func Jobs(t testing.TB, n *cluster.Nomad) map[string]map[string]string {
	t.Helper()
	jobs, err := n.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

// needNomad finds the nomad binary; without it the test is skipped, or
// fails under CI. Nomad is not a Debian package: make nomad builds it.
func needNomad(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("nomad"); err == nil {
		return p
	}
	what := "nomad is not installed (not a Debian package: make nomad builds it from the module proxy, and make test-deps puts it on the PATH)"
	if os.Getenv("CI") != "" {
		t.Fatalf("%s; .ci/run must provide it", what)
	}
	t.Skip(what)
	return ""
}
