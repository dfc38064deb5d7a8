package command_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

// A source with sigkeys takes only packages signed with those keys, the
// copy signed with the key listed first when there are several, and the
// plan names every package refused and why. rpms.json carries each
// package's key; rpmkeys, with the keys imported, finds the composed
// packages' signatures sound.
func TestSigKeys(t *testing.T) {
	first, err := genrpm.NewKey("first")
	if err != nil {
		t.Fatal(err)
	}
	second, err := genrpm.NewKey("second")
	if err != nil {
		t.Fatal(err)
	}
	other, err := genrpm.NewKey("other")
	if err != nil {
		t.Fatal(err)
	}
	short := func(k *genrpm.Key) string { return k.ID()[8:] }
	p := newProject(t, map[string]string{"main.hcl": `
source "rpm_dir" "tag" {
  path    = "./rpms"
  sigkeys = ["` + short(second) + `", "` + first.ID() + `"]
}
artifact "yumrepo" "os" {
  packages = ["signed", "dual"]
}
`}, []genrpm.Spec{
		{Name: "signed", Version: "1", Arch: "x86_64", Key: first},
		{Name: "unsigned", Version: "1", Arch: "x86_64"},
		{Name: "foreign", Version: "1", Arch: "x86_64", Key: other},
	})
	// One NEVRA twice, signed with each key, in directories of their own
	// as a build system keeps signed copies.
	for _, k := range []*genrpm.Key{first, second} {
		if err := genrpm.Write(p.path("rpms", short(k)), []genrpm.Spec{{Name: "dual", Version: "1", Arch: "x86_64", Key: k}}); err != nil {
			t.Fatal(err)
		}
	}
	p.ok("init")
	_, stderr, code := p.run("plan")
	if code != 0 {
		t.Fatalf("plan: %d\n%s", code, stderr)
	}
	contains(t, "plan", stderr, "Warning: Packages refused by sigkeys", "3 are refused",
		"unsigned-1-1.x86_64.rpm (unsigned)", "foreign-1-1.x86_64.rpm (signed with key "+short(other)+", not one of sigkeys)",
		filepath.Join(short(first), "dual-1-1.x86_64.rpm")+" (a copy signed with a key listed earlier is taken)")
	p.ok("apply", "-auto-approve")
	rpms := p.read("out", "latest", "compose", "metadata", "rpms.json")
	contains(t, "rpms.json", rpms, `"sigkey": "`+short(first)+`"`, `"sigkey": "`+short(second)+`"`)

	rpmkeys := sdktest.NeedTool(t, "rpmkeys")
	db := t.TempDir()
	for _, k := range []*genrpm.Key{first, second} {
		pub, err := k.ArmoredPublic()
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "key.asc")
		if err := os.WriteFile(file, []byte(pub), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(rpmkeys, "--dbpath", db, "--import", file).CombinedOutput(); err != nil {
			t.Fatalf("rpmkeys --import: %v\n%s", err, out)
		}
	}
	composed, _ := filepath.Glob(p.path("out", "latest", "compose", "*", "x86_64", "os", "Packages", "*", "*.rpm"))
	if len(composed) != 2 {
		t.Fatalf("composed packages: %v", composed)
	}
	for _, c := range composed {
		out, err := exec.Command(rpmkeys, "--dbpath", db, "-K", c).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "signatures OK") {
			t.Errorf("rpmkeys -K %s: %v\n%s", c, err, out)
		}
	}

	p.write(map[string]string{"main.hcl": `
source "rpm_dir" "tag" {
  path    = "./rpms"
  sigkeys = ["not-a-key"]
}
`})
	contains(t, "validate", p.fails(1, "validate"), "Invalid key id in sigkeys", `"not-a-key" is not a key id`)
}
