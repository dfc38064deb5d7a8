package command_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

const ostreeArtifact = `
artifact "ostree" "host" {
  modules = [module.base-runtime, module.web]
  ref     = "minimal/1/x86_64/host"
}
`

// An ostree commit through the command line: the first apply commits, a
// changed package makes the next apply commit on top of it (the ref's
// history has both), the compose tree holds a repository ostree reads,
// and a ref ostree would reject is an error at its line.
func TestOstreeHistory(t *testing.T) {
	sdktest.NeedTool(t, "ostree")
	specs := minimalSpecs(t)
	p := newProject(t, map[string]string{"main.hcl": minimalConfig(t) + ostreeArtifact}, specs)
	p.ok("init")
	p.ok("apply", "-auto-approve")
	repo := p.path("out", "latest", "compose", "ostree", "host", "repo")
	sdktest.Run(t, "ostree", "fsck", "--repo="+repo)
	first := strings.TrimSpace(sdktest.Run(t, "ostree", "rev-parse", "--repo="+repo, "minimal/1/x86_64/host"))

	for i, s := range specs {
		if s.Name == "iputils" {
			if err := os.Remove(filepath.Join(p.dir, "rpms", s.RPM().FileName())); err != nil {
				t.Fatal(err)
			}
			specs[i].Release = "2"
			if err := genrpm.Write(p.path("rpms"), specs[i:i+1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if plan := p.ok("plan"); !strings.Contains(plan, "artifact.ostree.host") {
		t.Fatalf("plan after iputils changed:\n%s", plan)
	}
	p.ok("apply", "-auto-approve")
	repo = p.path("out", "latest", "compose", "ostree", "host", "repo")
	sdktest.Run(t, "ostree", "fsck", "--repo="+repo)
	log := sdktest.Run(t, "ostree", "log", "--repo="+repo, "minimal/1/x86_64/host")
	if strings.Count(log, "commit ") != 2 || !strings.Contains(log, "commit "+first) {
		t.Errorf("ostree log after the second apply, want two commits ending in %s:\n%s", first, log)
	}
	if !strings.Contains(p.read("out", "latest", "compose", "metadata", "lineage.json"), `"artifact.ostree.host"`) {
		t.Error("lineage.json does not list the commit")
	}
	if plan := p.ok("plan"); !strings.Contains(plan, "No changes.") {
		t.Errorf("plan after the second apply:\n%s", plan)
	}

	p.write(map[string]string{"main.hcl": minimalConfig(t) + strings.Replace(ostreeArtifact, "minimal/1/x86_64/host", "minimal//host", 1)})
	if errOut := p.fails(1, "validate"); !strings.Contains(errOut, `invalid ref "minimal//host"`) || !strings.Contains(errOut, `in artifact "ostree" "host"`) {
		t.Errorf("validate of a bad ref:\n%s", errOut)
	}
}
