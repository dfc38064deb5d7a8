package command_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/strata-build/strata/internal/testutil"
)

// The minimal example built on a Nomad cluster of three nodes, through a
// shared store: every artifact is a Nomad job, the compose is the one a
// local apply writes (the lineage says where each entry was built), the
// plan afterwards is empty, and a fresh checkout builds nothing.
func TestNomadExecutor(t *testing.T) {
	reg := testutil.StartRegistry(t, testutil.FreePort(t))
	cluster := testutil.StartNomad(t, 3)
	specs := minimalSpecs(t)
	local := newProject(t, map[string]string{"main.hcl": minimalConfig(t)}, specs)
	local.ok("init")
	local.ok("apply", "-auto-approve")

	cfg := minimalConfig(t) + remoteStore(reg.Port) + fmt.Sprintf("\nexecutor \"nomad\" {\n  address = %q\n}\n", cluster.Address)
	p := newProject(t, map[string]string{"main.hcl": cfg}, specs)
	p.ok("init")
	out, stderr, code := p.run("apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("apply on Nomad: exit %d\n%s\n%s", code, out, stderr)
	}
	contains(t, "apply on Nomad", out, "Apply complete! 5 built")
	contains(t, "apply on Nomad's progress", stderr, "building as Nomad job strata-")
	jobs := cluster.Jobs(t)
	built := map[string]bool{}
	for _, meta := range jobs {
		built[meta["strata.address"]] = true
	}
	for addr := range p.planJSON() {
		if !built[addr] {
			t.Errorf("%s was not built as a Nomad job (jobs: %v)", addr, jobs)
		}
	}
	for _, f := range []string{"compose/metadata/rpms.json", "compose/metadata/composeinfo.json", "compose/Server/x86_64/os/repodata/repomd.xml",
		"compose/metadata/images.json"} {
		if local.read("out", "latest", f) != p.read("out", "latest", f) {
			t.Errorf("%s differs between a local apply and one on Nomad", f)
		}
	}
	if sha256File(t, local.path(serverTarball)) != sha256File(t, p.path(serverTarball)) {
		t.Error("the tarball built on Nomad differs from the local one")
	}
	lineage := p.read("out", "latest", "compose", "metadata", "lineage.json")
	if strings.Count(lineage, `"built_on": "nomad node `) != 5 {
		t.Errorf("lineage.json does not say where each entry was built:\n%.2000s", lineage)
	}
	contains(t, "plan after the apply on Nomad", p.ok("plan"), "Plan: 0 to build, 0 to rebuild, 5 up to date.")

	q := newProject(t, map[string]string{"main.hcl": cfg}, specs)
	q.ok("init")
	contains(t, "fresh checkout on the same registry", q.ok("apply", "-auto-approve"), "Apply complete! 0 built, 5 taken from the store (5 fetched from the remote store)")
	if len(cluster.Jobs(t)) != len(jobs) {
		t.Error("the fresh checkout submitted jobs")
	}
}
