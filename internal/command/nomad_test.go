package command_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/strata-build/strata/internal/rig/testutil"
	"github.com/strata-build/strata/sdk/files"
)

// examples/fedora built on a Nomad cluster of three nodes, through a
// shared store: every artifact is a Nomad job, the compose is the one a
// local apply writes (its lineage adds where each entry was built), the
// plan afterwards is empty, and a fresh checkout on the same registry
// plans everything up to date and builds nothing.
func TestNomadExecutor(t *testing.T) {
	reg := testutil.StartRegistry(t, testutil.FreePort(t))
	cluster := testutil.StartNomad(t, 3)
	local, _ := fedoraExample(t)
	local.ok("init")
	local.ok("apply", "-auto-approve")

	settings := remoteStore(reg.Port) + fmt.Sprintf("\nexecutor \"nomad\" {\n  address = %q\n}\n", cluster.Address)
	p, _ := fedoraExample(t)
	p.write(map[string]string{"cluster.hcl": settings})
	p.ok("init")
	out, stderr, code := p.run("apply", "-auto-approve", "-parallelism", "16")
	if code != 0 {
		t.Fatalf("apply on Nomad: exit %d\n%s\n%s", code, out, stderr)
	}
	n := len(p.planJSON())
	contains(t, "apply on Nomad", out, fmt.Sprintf("Apply complete! %d built", n))
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
	if diff := treeDiff(t, local.path("out", "latest"), p.path("out", "latest"), "compose/metadata/lineage.json"); diff != "" {
		t.Errorf("the compose built on Nomad differs from the local one: %s", diff)
	}
	lineage := p.read("out", "latest", "compose", "metadata", "lineage.json")
	if got := strings.Count(lineage, `"built_on": "nomad node `); got != n {
		t.Errorf("lineage.json says where %d of %d entries were built", got, n)
	}
	plan := p.ok("plan")
	contains(t, "plan after the apply on Nomad", plan, fmt.Sprintf("Plan: 0 to build, 0 to rebuild, %d up to date.", n))

	q, _ := fedoraExample(t)
	q.write(map[string]string{"cluster.hcl": settings})
	q.ok("init")
	contains(t, "fresh checkout's plan", q.ok("plan"), fmt.Sprintf("Plan: 0 to build, 0 to rebuild, %d up to date, %d to fetch.", n, n))
	contains(t, "fresh checkout's apply", q.ok("apply", "-auto-approve"),
		fmt.Sprintf("Apply complete! 0 built, %d taken from the store (%d fetched from the remote store)", n, n))
	if len(testutil.Jobs(t, cluster)) != len(jobs) {
		t.Error("the fresh checkout submitted jobs")
	}
}

// treeDiff names the first file that differs between two trees (content,
// or presence), skipping those named.
func treeDiff(t *testing.T, a, b string, skip ...string) string {
	t.Helper()
	list := func(root string) map[string]string {
		root, _ = filepath.EvalSymlinks(root)
		out := map[string]string{}
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if slices.Contains(skip, rel) {
				return nil
			}
			if d.Type()&os.ModeSymlink != 0 {
				target, _ := os.Readlink(p)
				out[rel] = "-> " + target
				return nil
			}
			out[rel] = sha256File(t, p)
			return nil
		})
		return out
	}
	la, lb := list(a), list(b)
	for rel, sum := range la {
		if lb[rel] != sum {
			return rel
		}
	}
	for rel := range lb {
		if _, ok := la[rel]; !ok {
			return rel
		}
	}
	if len(la) == 0 {
		return "no files"
	}
	return ""
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

artifact "probe" "here" {
  executor = "local"
  message  = "built on the machine that applies"
}
`)
	bg := startUntil(t, p, "sleeping", "apply", "-auto-approve")
	apply, stdout, stderr := bg.cmd, &bg.stdout, &bg.stderr
	pids := workerPIDs(t)
	if len(pids) != 1 {
		t.Fatalf("%d strata worker processes run", len(pids))
	}
	syscall.Kill(pids[0], syscall.SIGKILL)
	if err := apply.Wait(); err != nil {
		t.Fatalf("apply after the allocation was killed: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	contains(t, "apply after the allocation was killed", stdout.String(), "Apply complete! 2 built")
	p.ok("verify")
	contains(t, "plan after it", p.ok("plan"), "Plan: 0 to build, 0 to rebuild, 2 up to date.")
	for _, meta := range testutil.Jobs(t, cluster) {
		if meta["strata.address"] == "artifact.probe.here" {
			t.Error(`artifact.probe.here, executor = "local", was built on Nomad`)
		}
	}
	if !strings.Contains(stderr.String(), "artifact.probe.here: built in") {
		t.Errorf("artifact.probe.here was not built:\n%s", stderr.String())
	}

	// The probe's binary, tampered with in the registry.
	sum, err := files.SHA256(filepath.Join(binDir, "strata-plugin-probe"))
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
