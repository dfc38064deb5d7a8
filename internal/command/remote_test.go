package command_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/internal/rig/testutil"
)

// remoteStore is the store block of a registry's repository.
func remoteStore(port int) string {
	return fmt.Sprintf("\nstore \"oci\" {\n  repository = \"127.0.0.1:%d/strata/minimal\"\n  insecure   = true\n}\n", port)
}

// tags lists the tags of the test repository.
func tags(t *testing.T, port int) map[string]bool {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/v2/strata/minimal/tags/list", port))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct{ Tags []string }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, tag := range list.Tags {
		out[tag] = true
	}
	return out
}

// A shared store in a registry: an apply pushes every entry it builds;
// a fresh checkout of the same configuration plans everything up to date
// ("in the remote store") and applies without building, into a compose
// identical to the first. A registry that refuses pushes fails the apply
// naming it, keeps the builds, and the next apply pushes them without
// building; one that is down leaves the plan to the local store.
func TestRemoteStore(t *testing.T) {
	reg := testutil.StartRegistry(t, testutil.FreePort(t))
	cfg := minimalConfig(t) + remoteStore(reg.Port)
	specs := minimalSpecs(t)
	p := newProject(t, map[string]string{"main.hcl": cfg}, specs)
	p.ok("init")
	contains(t, "first apply", p.ok("apply", "-auto-approve"), "Apply complete! 5 built, 0 taken from the store, 5 pushed to the remote store")
	pushed := tags(t, reg.Port)
	for addr, c := range p.planJSON() {
		if !pushed[c.Key] {
			t.Errorf("%s (%s) was not pushed", addr, c.Key)
		}
	}

	q := newProject(t, map[string]string{"main.hcl": cfg}, specs)
	q.ok("init")
	plan := q.ok("plan")
	contains(t, "fresh checkout's plan", plan, "(up to date, in the remote store)", "Plan: 0 to build, 0 to rebuild, 5 up to date, 5 to fetch.")
	contains(t, "fresh checkout's apply", q.ok("apply", "-auto-approve"), "Apply complete! 0 built, 5 taken from the store (5 fetched from the remote store)")
	for _, f := range []string{"compose/metadata/rpms.json", "compose/metadata/composeinfo.json", "compose/Server/x86_64/os/repodata/repomd.xml",
		"compose/metadata/lineage.json"} {
		if p.read("out", "latest", f) != q.read("out", "latest", f) {
			t.Errorf("%s differs between the building checkout and the fetching one", f)
		}
	}
	if sha256File(t, p.path(serverTarball)) != sha256File(t, q.path(serverTarball)) {
		t.Error("the fetched tarball differs from the built one")
	}
	contains(t, "plan after fetching", q.ok("plan"), "Plan: 0 to build, 0 to rebuild, 5 up to date.")

	// A change builds one artifact; the registry, read-only, refuses it.
	reg.Stop()
	reg.Start(t, true)
	changed := strings.Replace(cfg, "  variant  = each.value\n}\n\n# An installer", "  variant  = each.value\n  compression = \"gzip\"\n}\n\n# An installer", 1)
	if changed == cfg {
		t.Fatal("the minimal example's repositories are no longer where the test changes them")
	}
	p.write(map[string]string{"main.hcl": changed})
	out := p.fails(1, "apply", "-auto-approve")
	contains(t, "apply with pushes refused", out, "127.0.0.1:", "strata/minimal", "the build is kept in the local store; the next apply pushes it")
	reg.Stop()
	reg.Start(t, false)
	contains(t, "plan once the registry takes pushes", p.ok("plan"), "not yet in the remote store: pushed there")
	contains(t, "apply once the registry takes pushes", p.ok("apply", "-auto-approve"), "Apply complete! 0 built, 0 taken from the store, 3 pushed to the remote store")
	contains(t, "plan after the push", p.ok("plan"), "Plan: 0 to build, 0 to rebuild, 5 up to date.")

	// Down: the plan is the local store's, with a warning naming it.
	reg.Stop()
	r := newProject(t, map[string]string{"main.hcl": cfg}, specs)
	r.ok("init")
	_, stderr, code := r.run("plan")
	if code != 0 {
		t.Fatalf("plan with the registry down: exit %d\n%s", code, stderr)
	}
	contains(t, "plan with the registry down", stderr, "The remote store cannot be reached", fmt.Sprintf("127.0.0.1:%d/strata/minimal", reg.Port))
}

// A store or executor block that cannot be used, or an executor
// meta-argument, is refused with where it is written.
func TestStoreBlockErrors(t *testing.T) {
	for _, tc := range []struct{ block, want string }{
		{`store "s3" { repository = "x" }`, `There is no store type "s3"`},
		{`store "oci" {}`, `The store block needs the argument "repository"`},
		{`store "oci" { repository = "Not A Repo!" }`, "Invalid repository"},
		{`store "oci" { repository = module.m }`, "it may refer only to variables and locals"},
		{`store "oci" { repository = var.nope }`, "Reference to undeclared var"},
		{"store \"oci\" { repository = \"a/b\" }\nstore \"oci\" { repository = \"c/d\" }", "Duplicate"},
		{`executor "k8s" {}`, `There is no executor type "k8s"`},
		{`executor "nomad" { datacenters = "dc1" }`, "datacenters"},
		{"source \"rpm_dir\" \"s\" { path = \"./rpms\" }\nartifact \"yumrepo\" \"r\" {\n  executor = \"remote\"\n}", `executor must be one of "local", "nomad", not "remote"`},
	} {
		p := newProject(t, map[string]string{"main.hcl": "compose {\n  name    = \"S\"\n  version = \"1\"\n}\n" + tc.block + "\n"}, nil)
		contains(t, tc.block, p.fails(1, "validate"), tc.want, "main.hcl")
	}
}

// The registry stopped in the middle of an apply: the build running then
// is kept in the local store, the apply fails naming the registry, the
// compose written before is intact, and the next apply, the registry
// back, pushes it without building.
func TestRemoteStoreStoppedMidApply(t *testing.T) {
	reg := testutil.StartRegistry(t, testutil.FreePort(t))
	p := probeProject(t, strings.Replace(remoteStore(reg.Port), "minimal", "probe", 1)+`
artifact "probe" "quick" {
  message = "built before the registry stops"
}
`)
	p.ok("apply", "-auto-approve")
	before, err := filepath.EvalSymlinks(p.path("out", "latest"))
	if err != nil {
		t.Fatal(err)
	}
	p.write(map[string]string{"slow.hcl": "artifact \"probe\" \"slow\" {\n  behavior = \"sleep:3s\"\n}\n"})
	apply := startUntil(t, p, "sleeping", "apply", "-auto-approve")
	reg.Stop()
	if err := apply.cmd.Wait(); err == nil {
		t.Fatalf("the apply succeeded with the registry stopped:\n%s", apply.stdout.String())
	}
	contains(t, "apply with the registry stopped", apply.stderr.String(), fmt.Sprintf("127.0.0.1:%d/strata/probe", reg.Port),
		"the build is kept in the local store; the next apply pushes it")
	if status, err := os.ReadFile(filepath.Join(before, "STATUS")); err != nil || strings.TrimSpace(string(status)) != "FINISHED" {
		t.Errorf("the compose written before: %q %v", status, err)
	}
	p.ok("verify")
	reg.Start(t, false)
	contains(t, "apply with the registry back", p.ok("apply", "-auto-approve"), "Apply complete! 0 built", "1 pushed to the remote store")
}
