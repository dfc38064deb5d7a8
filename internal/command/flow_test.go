package command_test

import (
	"os"
	"strings"
	"testing"
)

// A saved plan applies as planned, and is refused once an input moved.
func TestSavedPlan(t *testing.T) {
	p := probeProject(t, `
artifact "probe" "a" {
  modules = [module.m]
  message = var.message
}
variable "message" {
  default = "one"
}
`)
	p.ok("plan", "-var", "message=two", "-out", "two.plan")
	out := p.ok("apply", "two.plan")
	contains(t, "apply of a saved plan", out, "Apply complete! 1 built")
	contains(t, "the report", p.read("out", "latest", "compose", "probe", "a", "report.txt"), `message cty.StringVal("two")`)

	p.ok("plan", "-out", "one.plan") // back to the default message
	p.write(map[string]string{"extra.hcl": `group "h" {
  mandatory = ["gamma"]
}
`})
	p.ok("plan") // still fine: the new group is used by nothing
	// An input moves: the module gains a package.
	main := strings.Replace(p.read("main.hcl"), "groups = [group.g]", "groups = [group.g, group.h]", 1)
	p.write(map[string]string{"main.hcl": main})
	errOut := p.fails(1, "apply", "one.plan")
	contains(t, "apply of a stale plan", errOut, "the saved plan is stale", `artifact.probe.a: key`, "Run strata plan again")
}

// -target builds one artifact and what it is built from, and no compose.
func TestTarget(t *testing.T) {
	p := probeProject(t, `
artifact "probe" "base" {
  modules = [module.m]
  message = "base"
}
artifact "probe" "layer" {
  input = artifact.probe.base.digest
}
artifact "probe" "other" {
  message = "unrelated"
}
artifact "probe" "many" {
  for_each = { one = "1", two = "2" }
  message  = each.value
}
artifact "probe" "pick" {
  input = artifact.probe.many["two"].digest
}
`)
	changes := p.planJSON("-target", "artifact.probe.layer")
	if len(changes) != 2 || changes["artifact.probe.base"].Action != "build" || changes["artifact.probe.layer"].Action != "build" {
		t.Errorf("targeted plan: %+v", changes)
	}
	out := p.ok("apply", "-auto-approve", "-target", "artifact.probe.layer")
	contains(t, "targeted apply", out, "2 built", "No compose was written")
	if c := p.planJSON()["artifact.probe.other"]; c.Action != "build" {
		t.Errorf("other: %+v", c)
	}
	// Only the instance a target uses is planned, not its siblings.
	changes = p.planJSON("-target", "artifact.probe.pick")
	if len(changes) != 2 || changes[`artifact.probe.many["two"]`].Action != "build" {
		t.Errorf("targeted plan of pick: %+v", changes)
	}
	p.fails(1, "plan", "-target", "artifact.probe.nope")
	if errOut := p.fails(2, "plan", "-target", "module.m"); !strings.Contains(errOut, "not an artifact address") {
		t.Errorf("bad -target: %s", errOut)
	}
}

// Variables come from defaults, STRATA_VAR_, variable files and -var, in
// that order of precedence.
func TestVariables(t *testing.T) {
	p := probeProject(t, `
variable "message" {
  type    = string
  default = "from default"
}
variable "count" {
  type    = number
  default = 1
}
artifact "probe" "a" {
  message = "${var.message} x${var.count}"
  number  = var.count
}
`)
	report := func(args ...string) string {
		p.ok(append([]string{"apply", "-auto-approve"}, args...)...)
		return p.read("out", "latest", "compose", "probe", "a", "report.txt")
	}
	contains(t, "default", report(), `"from default x1"`)
	p.env = append(p.env, "STRATA_VAR_message=from env")
	contains(t, "environment", report(), `"from env x1"`)
	p.write(map[string]string{"strata.vars.hcl": "message = \"from file\"\ncount = 2\n"})
	contains(t, "strata.vars.hcl", report(), `"from file x2"`)
	p.write(map[string]string{"more.vars": "count = 3\n"})
	contains(t, "-var-file", report("-var-file", "more.vars"), `"from file x3"`)
	contains(t, "-var", report("-var-file", "more.vars", "-var", "message=from flag", "-var", "count=4"), `"from flag x4"`)
	errOut := p.fails(1, "plan", "-var", "count=many")
	contains(t, "a bad -var", errOut, "Invalid value for var.count")
	errOut = p.fails(1, "plan", "-var", "nope=1")
	contains(t, "an undeclared -var", errOut, "Value for undeclared variable")
	p.write(map[string]string{"strata.vars.hcl": "message = \"from file\"\nmesage = \"typo\"\n"})
	_, errOut, _ = p.run("plan")
	contains(t, "an undeclared variable in a file", errOut, "Warning: Value for undeclared variable", "strata.vars.hcl line 2", `declares no variable "mesage"`)
}

// An artifact built on another gets its outputs and packages; a change
// upstream rebuilds both, with the input as the downstream's reason.
func TestLayeredArtifacts(t *testing.T) {
	p := probeProject(t, `
variable "base_message" {
  default = "v1"
}
artifact "probe" "base" {
  modules = [module.m]
  message = var.base_message
}
artifact "probe" "layer" {
  packages = ["gamma"]
  input    = "${artifact.probe.base.digest}/${artifact.probe.base.message}"
}
artifact "probe" "after" {
  depends_on = [artifact.probe.base]
}
`)
	p.ok("apply", "-auto-approve")
	layer := p.read("out", "latest", "compose", "probe", "layer", "report.txt")
	contains(t, "the layer's report", layer, "input artifact.probe.base ", "packages=2", `input-value cty.StringVal("`)
	contains(t, "the layer's report", layer, `/v1")`)
	contains(t, "depends_on", p.read("out", "latest", "compose", "probe", "after", "report.txt"), "input artifact.probe.base ")
	changes := p.planJSON("-var", "base_message=v2")
	if c := changes["artifact.probe.base"]; c.Action != "rebuild" || !strings.Contains(strings.Join(c.Reasons, ";"), `attribute message: "v1" → "v2"`) {
		t.Errorf("base: %+v", c)
	}
	if c := changes["artifact.probe.layer"]; c.Action != "rebuild" || !strings.HasPrefix(strings.Join(c.Reasons, ";"), "input artifact.probe.base changed") {
		t.Errorf("layer: %+v", c)
	}
	p.ok("apply", "-auto-approve", "-var", "base_message=v2")
	contains(t, "the rebuilt layer", p.read("out", "latest", "compose", "probe", "layer", "report.txt"), `/v2")`)
	// The layer's closure counts the base's packages: gamma needs beta.
	if _, err := os.Stat(p.path("out")); err != nil {
		t.Fatal(err)
	}
}

// One failure stops only what is built from it: independent artifacts are
// built, dependents are skipped and reported once, and the compose is
// marked incomplete.
func TestFailureIsolation(t *testing.T) {
	p := probeProject(t, `
artifact "probe" "bad" {
  behavior = "fail"
}
artifact "probe" "child" {
  input = artifact.probe.bad.digest
}
artifact "probe" "grandchild" {
  input = artifact.probe.child.digest
}
artifact "probe" "fine" {
  message = "independent"
}
`)
	out, errOut, code := p.run("apply", "-auto-approve")
	if code != 1 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	contains(t, "apply output", out, "1 built, 0 taken from the store, 1 failed, 2 skipped")
	contains(t, "apply stderr", errOut, "artifact.probe.bad: FAILED: probe asked to fail",
		"artifact.probe.child: skipped, because artifact.probe.bad failed",
		"artifact.probe.grandchild: skipped, because artifact.probe.bad failed")
	if n := strings.Count(errOut, "artifact.probe.child: skipped"); n != 1 {
		t.Errorf("child reported skipped %d times", n)
	}
	if s := strings.TrimSpace(p.read("out", "latest", "STATUS")); s != "FINISHED_INCOMPLETE" {
		t.Errorf("STATUS = %s", s)
	}
	if c := p.planJSON()["artifact.probe.fine"]; c.Action != "up_to_date" {
		t.Errorf("fine: %+v", c)
	}
}
