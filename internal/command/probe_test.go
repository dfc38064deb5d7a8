package command_test

import (
	"strings"
	"testing"

	"github.com/strata-build/strata/internal/rig/genrpm"
)

// probeSpecs is a small closed package set.
var probeSpecs = []genrpm.Spec{
	{Name: "alpha", Version: "1.0", Release: "1", Provides: []string{"libalpha.so.1"}},
	{Name: "beta", Version: "2.0", Release: "1", Requires: []string{"libalpha.so.1"}},
	{Name: "gamma", Version: "3.0", Release: "1", Requires: []string{"beta >= 2"}},
}

const probeBase = `
source "rpm_dir" "pkgs" {
  path = "./rpms"
}

group "g" {
  mandatory = ["alpha", "beta"]
}

module "m" {
  groups = [group.g]
}
`

// probeProject is a project of probe artifacts over probeSpecs; body is
// appended to probeBase.
func probeProject(t *testing.T, body string) *project {
	t.Helper()
	p := newProject(t, map[string]string{"main.hcl": probeBase + body}, probeSpecs)
	p.ok("init")
	return p
}

// contains checks that text holds each of wants, whitespace aside:
// diagnostics are wrapped to the terminal's width.
func contains(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(text), " ")
	for _, w := range wants {
		if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}
