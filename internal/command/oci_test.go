package command_test

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/strata-build/strata/internal/rig/testutil"
	"github.com/strata-build/strata/sdk/sdktest"
)

// Images through the command line: a base image and one layered on it,
// pushed to a registry. The registry is down at first: the apply fails
// naming it, keeps the build, and the plan says it still has to push;
// once the registry is up the next apply pushes without building, and
// skopeo reads from the registry the digest strata built.
func TestOCIPushRetried(t *testing.T) {
	skopeo := sdktest.NeedTool(t, "skopeo")
	port := testutil.FreePort(t)
	ref := fmt.Sprintf("127.0.0.1:%d/minimal/base:1", port)
	cfg := minimalConfig(t) + fmt.Sprintf(`
artifact "oci" "base" {
  modules  = [module.base-runtime]
  cmd      = ["/bin/bash"]
  push     = %q
  insecure = true
}

artifact "oci" "httpd" {
  base       = artifact.oci.base
  modules    = [module.web]
  entrypoint = ["/usr/sbin/httpd", "-DFOREGROUND"]
}
`, ref)
	p := newProject(t, map[string]string{"main.hcl": cfg}, minimalSpecs(t))
	p.ok("init")
	plan := p.ok("plan")
	if !strings.Contains(plan, "then push to "+ref+" (insecure)") || !strings.Contains(plan, "1 to publish.") {
		t.Fatalf("plan does not announce the push:\n%s", plan)
	}
	errOut := p.fails(1, "apply", "-auto-approve")
	if !strings.Contains(errOut, "pushing artifact.oci.base to "+ref) || !strings.Contains(errOut, "the next apply publishes it again") {
		t.Errorf("push failure:\n%s", errOut)
	}
	if plan := p.ok("plan"); !strings.Contains(plan, "> artifact.oci.base") || !strings.Contains(plan, "0 to build, 0 to rebuild, 7 up to date, 1 to publish.") {
		t.Fatalf("after a failed push, plan:\n%s", plan)
	}

	testutil.StartRegistry(t, port)
	out := p.ok("apply", "-auto-approve")
	if !strings.Contains(out, "0 built, 0 taken from the store, 1 published, 0 failed") {
		t.Errorf("apply after the registry came up:\n%s", out)
	}
	if plan := p.ok("plan"); !strings.Contains(plan, "No changes.") {
		t.Errorf("plan after the push:\n%s", plan)
	}
	var built struct {
		Outputs struct {
			Value struct {
				Digest string `json:"digest"`
			} `json:"value"`
		} `json:"outputs"`
	}
	show := p.ok("show", "-json", "artifact.oci.base")
	if err := json.Unmarshal([]byte(show), &built); err != nil || built.Outputs.Value.Digest == "" {
		t.Fatalf("show -json: %v\n%s", err, show)
	}
	inspect, err := exec.Command(skopeo, "inspect", "--tls-verify=false", "docker://"+ref).CombinedOutput()
	if err != nil {
		t.Fatalf("skopeo inspect: %v\n%s", err, inspect)
	}
	if !strings.Contains(string(inspect), `"Digest": "`+built.Outputs.Value.Digest+`"`) {
		t.Errorf("the registry holds another image than strata built (%s):\n%s", built.Outputs.Value.Digest, inspect)
	}
	lineage := p.read("out", "latest", "compose", "metadata", "lineage.json")
	if !strings.Contains(lineage, `"pushed": "127.0.0.1:`) || !strings.Contains(lineage, built.Outputs.Value.Digest) {
		t.Errorf("lineage does not record the push:\n%s", lineage)
	}
	if out := p.ok("apply", "-auto-approve"); !strings.Contains(out, "Nothing changed") {
		t.Errorf("a second apply after the push:\n%s", out)
	}
	layout := "oci:" + p.path("out", "latest", "compose", "oci", "httpd", "layout") + ":latest"
	if inspect, err := exec.Command(skopeo, "inspect", layout).CombinedOutput(); err != nil || !strings.Contains(string(inspect), `"Layers"`) {
		t.Errorf("the layered image in the compose: %v\n%s", err, inspect)
	}
}
