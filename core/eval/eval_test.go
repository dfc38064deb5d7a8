package eval

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/dsl"
)

func evaluate(t *testing.T, src string, settings ...dsl.VarSetting) *Result {
	t.Helper()
	cfg, diags := dsl.Parse(".", []dsl.Source{{Name: "main.hcl", Bytes: []byte(src)}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	r, diags := Evaluate(cfg, settings)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return r
}

func TestEvaluate(t *testing.T) {
	r := evaluate(t, `
compose {
  name    = upper(local.name)
  version = format("%d", var.release)
  arches  = ["x86_64", "aarch64"]
  type    = "nightly"
}
variable "release" {
  type    = number
  default = 41
}
locals {
  name  = "fedora"
  pkgs  = [for p in ["bash", "zsh"] : p]
}
group "core" {
  mandatory = local.pkgs
  default   = concat(["vim"], ["nano"])
  conditional = { "a" = "b" }
}
module "base" {
  stream   = "f${var.release}"
  version  = 20261125
  groups   = [group.core]
  profiles = { default = ["bash"] }
  lifecycle {
    eol = "2027-05-01"
  }
}
module "gnome" {
  groups   = ["group.core"]
  requires = [module.base]
}
variant "ws" {
  name    = "Workstation"
  modules = [module.base, module.gnome]
  arches  = ["x86_64"]
}
artifact "t" "each" {
  for_each = { ws = variant.ws, b = variant.ws }
  closure  = "warn"
  timeout  = "90m"
}
artifact "t" "counted" {
  count = 3
}
artifact "t" "set" {
  for_each = toset(["x", "y"])
}
`, dsl.VarSetting{Name: "release", Raw: "42", From: "-var option"})
	if r.Compose.Name != "FEDORA" || r.Compose.Version != "42" || r.Compose.Type != "nightly" || r.Compose.Closure != "error" {
		t.Errorf("compose: %+v", r.Compose)
	}
	if m := r.Modules["base"]; m.Stream != "f42" || m.Version != 20261125 || m.EOL.Format(time.DateOnly) != "2027-05-01" || !cmp.Equal(m.Groups, []string{"core"}) {
		t.Errorf("module base: %+v", m)
	}
	if m := r.Modules["gnome"]; !cmp.Equal(m.Groups, []string{"core"}) || !cmp.Equal(m.Requires, []string{"base"}) || m.Stream != "default" {
		t.Errorf("module gnome: %+v", m)
	}
	if g := r.Groups["core"]; !cmp.Equal(g.Packages(), []string{"bash", "zsh", "vim", "nano", "a"}) || g.Name != "core" {
		t.Errorf("group: %+v", g)
	}
	if v := r.Variants["ws"]; !cmp.Equal(v.Modules, []string{"base", "gnome"}) || v.Name != "Workstation" {
		t.Errorf("variant: %+v", v)
	}
	var got []string
	for _, inst := range r.Instances {
		got = append(got, inst.Addr.String())
		if inst.Addr.Name == "each" && (inst.Closure != "warn" || inst.Timeout != 90*time.Minute || inst.Repetition.Value.GetAttr("name").AsString() != "Workstation") {
			t.Errorf("%s: %+v", inst.Addr, inst)
		}
	}
	sort.Strings(got)
	want := []string{`artifact.t.counted[0]`, `artifact.t.counted[1]`, `artifact.t.counted[2]`, `artifact.t.each["b"]`, `artifact.t.each["ws"]`, `artifact.t.set["x"]`, `artifact.t.set["y"]`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
}

func TestEvaluateRejects(t *testing.T) {
	for _, src := range []string{
		`module "m" { groups = ["group.nope"] }`,
		`variant "v" { modules = ["module.nope"] }`,
		`compose {
  name = "x"
  version = "1"
  arches = ["vax"]
}`,
		`compose {
  name = "x"
  version = "1"
  short = "has-dash"
}`,
		`artifact "t" "a" { count = -1 }`,
		`artifact "t" "a" { timeout = "soon" }`,
		`artifact "t" "a" { closure = "maybe" }`,
		`artifact "t" "a" { depends_on = ["artifact.t.b"] }`,
	} {
		cfg, diags := dsl.Parse(".", []dsl.Source{{Name: "main.hcl", Bytes: []byte(src)}})
		if diags.HasErrors() {
			t.Errorf("%s: does not parse: %s", src, diags)
			continue
		}
		if _, diags := Evaluate(cfg, nil); !diags.HasErrors() {
			t.Errorf("%s: evaluated without error", src)
		}
	}
}

// Every value that becomes a file or directory name is refused, where it
// was set, unless it is one clean name.
func TestEvaluateRefusesPathNames(t *testing.T) {
	for _, tc := range []struct {
		src  string
		line int
		vars []dsl.VarSetting
	}{
		{src: "compose {\n  name = \"x\"\n  version = \"1/../../../x\"\n}", line: 3},
		{src: "compose {\n  name = \"x\"\n  version = null\n}", line: 3},
		{src: "compose {\n  name = \"x\"\n  version = \"..\"\n}", line: 3},
		{src: "compose {\n  name = \"x\"\n  short = \"..\"\n  version = \"1\"\n}", line: 3},
		{src: "compose {\n  name = \"../x\"\n  version = \"1\"\n}", line: 2},
		{src: "compose {\n  name = \"x\"\n  version = \"" + strings.Repeat("9", 250) + "\"\n}", line: 3},
		{src: "variant \"v\" {\n  uid = \"../../v\"\n}", line: 2},
		{src: "artifact \"t\" \"a\" {\n  for_each = toset([\"ok\", \"../../../victim\"])\n}", line: 2},
		{src: "artifact \"t\" \"a\" {\n  for_each = { \"..\" = 1 }\n}", line: 2},
		{src: "artifact \"t\" \"a\" {\n  for_each = toset([\"" + strings.Repeat("k", 256) + "\"])\n}", line: 2},
		{src: "variable \"flavors\" {}\nartifact \"t\" \"a\" {\n  for_each = toset(var.flavors)\n}", line: 3,
			vars: []dsl.VarSetting{{Name: "flavors", Raw: `["../../../../tmp/victim"]`}}},
	} {
		cfg, diags := dsl.Parse(".", []dsl.Source{{Name: "main.hcl", Bytes: []byte(tc.src)}})
		if diags.HasErrors() {
			t.Errorf("%s: does not parse: %s", tc.src, diags)
			continue
		}
		_, diags = Evaluate(cfg, tc.vars)
		if !diags.HasErrors() {
			t.Errorf("%s: evaluated without error", tc.src)
			continue
		}
		d := diags.Errs()[0].(*hcl.Diagnostic)
		if d.Subject == nil || d.Subject.Start.Line != tc.line {
			t.Errorf("%s: %s at %v, want line %d", tc.src, d.Summary, d.Subject, tc.line)
		}
	}
}
