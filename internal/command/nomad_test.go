package command_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/strata-build/strata/internal/testutil"
	"github.com/strata-build/strata/sdk"
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
	jobs := testutil.Jobs(t, cluster)
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
	if len(testutil.Jobs(t, cluster)) != len(jobs) {
		t.Error("the fresh checkout submitted jobs")
	}
}

// workerPIDs lists the processes running strata worker.
func workerPIDs(t *testing.T) []int {
	t.Helper()
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		args := strings.Split(string(cmdline), "\x00")
		if len(args) > 2 && strings.HasSuffix(args[0], "strata") && args[1] == "worker" {
			out = append(out, pid)
		}
	}
	return out
}

// Faults on Nomad: a build's allocation killed in the middle is run
// again by Nomad and the apply completes with a verified entry; a plugin
// binary tampered with in the shared store is refused by the worker, and
// the failure names the job and allocation with the worker's last lines.
func TestNomadFaults(t *testing.T) {
	reg := testutil.StartRegistry(t, testutil.FreePort(t))
	cluster := testutil.StartNomad(t, 2)
	settings := remoteStore(reg.Port) + fmt.Sprintf("\nexecutor \"nomad\" {\n  address = %q\n}\n", cluster.Address)
	p := probeProject(t, settings+`
artifact "probe" "slow" {
  behavior = "sleep:5s"
}
`)
	apply := exec.Command(filepath.Join(binDir, "strata"), "apply", "-auto-approve")
	apply.Dir, apply.Env = p.dir, p.env
	var stdout, stderr syncBuffer
	apply.Stdout, apply.Stderr = &stdout, &stderr
	if err := apply.Start(); err != nil {
		t.Fatal(err)
	}
	defer apply.Process.Kill()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(stderr.String(), "sleeping") {
		if time.Now().After(deadline) {
			t.Fatalf("the build did not start:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	pids := workerPIDs(t)
	if len(pids) != 1 {
		t.Fatalf("%d strata worker processes run", len(pids))
	}
	syscall.Kill(pids[0], syscall.SIGKILL)
	if err := apply.Wait(); err != nil {
		t.Fatalf("apply after the allocation was killed: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	contains(t, "apply after the allocation was killed", stdout.String(), "Apply complete! 1 built")
	p.ok("verify")
	contains(t, "plan after it", p.ok("plan"), "Plan: 0 to build, 0 to rebuild, 1 up to date.")

	// The probe's binary, tampered with in the registry.
	sum, err := sdk.FileSHA256(filepath.Join(binDir, "strata-plugin-probe"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(reg.Blob(sum), []byte("#!/bin/sh\necho tampered\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	p.write(map[string]string{"main.hcl": probeBase + settings + "\nartifact \"probe\" \"other\" {\n  message = \"another build\"\n}\n"})
	out := p.fails(1, "apply", "-auto-approve")
	contains(t, "apply with a tampered plugin", out, "FAILED: Nomad job strata-", ", allocation ", "the plugin for probe", "sha256")
}
