package command_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk/sdktest"
)

// isoArtifact replaces the example's DVD with a bootable one.
const isoArtifact = `artifact "iso" "dvd" {
  repo      = artifact.yumrepo.os["server"]
  volume_id = "Minimal-S-dvd-x86_64-1"
  boot {
    tree = "boot"
  }
}
`

var exampleISO = regexp.MustCompile(`(?s)artifact "iso" "dvd" \{.*?\n\}\n`)

func isoConfig(t *testing.T, iso string) string {
	t.Helper()
	config := minimalConfig(t)
	if !exampleISO.MatchString(config) {
		t.Fatal("the example has no DVD to replace")
	}
	return exampleISO.ReplaceAllLiteralString(config, iso)
}

// An installer DVD through the command line: the boot tree, relative to
// the configuration, goes on the disc; the compose places the image and
// its CHECKSUM under Server/x86_64/iso and lists it in images.json and
// the lineage; a changed boot file rebuilds the disc alone; a bad volume
// id and a boot tree without isolinux's ldlinux.c32 are errors that say
// where.
func TestISO(t *testing.T) {
	sdktest.NeedTool(t, "isoinfo")
	p := newProject(t, map[string]string{
		"main.hcl":                   isoConfig(t, isoArtifact),
		"boot/isolinux/isolinux.bin": "not a real isolinux",
		"boot/isolinux/ldlinux.c32":  "not a real ldlinux",
		"boot/images/efiboot.img":    "not a real ESP",
	}, minimalSpecs(t))
	p.ok("init")
	p.ok("apply", "-auto-approve")
	name := "Minimal-Server-dvd-x86_64-1.iso"
	iso := p.path("out", "latest", "compose", "Server", "x86_64", "iso", name)
	if d := sdktest.Run(t, "isoinfo", "-d", "-i", iso); !strings.Contains(d, "Volume id: Minimal-S-dvd-x86_64-1") {
		t.Errorf("isoinfo -d:\n%s", d)
	}
	if l := sdktest.Run(t, "isoinfo", "-R", "-f", "-i", iso); !strings.Contains(l, "/repodata/repomd.xml") || !strings.Contains(l, "/images/efiboot.img") {
		t.Errorf("isoinfo -R -f:\n%s", l)
	}
	if c := p.read("out", "latest", "compose", "Server", "x86_64", "iso", "Minimal-Server-dvd-x86_64-1-CHECKSUM"); !strings.Contains(c, "SHA256 ("+name+") = ") {
		t.Errorf("CHECKSUM:\n%s", c)
	}

	var images struct {
		Payload struct {
			Images map[string]map[string][]map[string]any `json:"images"`
		} `json:"payload"`
	}
	if err := json.Unmarshal([]byte(p.read("out", "latest", "compose", "metadata", "images.json")), &images); err != nil {
		t.Fatal(err)
	}
	entries := images.Payload.Images["Server"]["x86_64"]
	fi, err := os.Stat(iso)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0]["path"] != "Server/x86_64/iso/"+name || entries[0]["volume_id"] != "Minimal-S-dvd-x86_64-1" ||
		entries[0]["bootable"] != true || entries[0]["size"] != float64(fi.Size()) || entries[0]["type"] != "dvd" {
		t.Errorf("images.json entries: %v", entries)
	}
	if ci := p.read("out", "latest", "compose", "metadata", "composeinfo.json"); !strings.Contains(ci, `"isos": {`) || !strings.Contains(ci, `"x86_64": "Server/x86_64/iso"`) {
		t.Errorf("composeinfo.json has no isos path:\n%s", ci)
	}
	var lineage struct {
		Payload struct {
			Artifacts map[string]struct {
				Inputs []struct{ Address string } `json:"inputs"`
			} `json:"artifacts"`
		} `json:"payload"`
	}
	if err := json.Unmarshal([]byte(p.read("out", "latest", "compose", "metadata", "lineage.json")), &lineage); err != nil {
		t.Fatal(err)
	}
	if in := lineage.Payload.Artifacts["artifact.iso.dvd"].Inputs; len(in) != 1 || in[0].Address != `artifact.yumrepo.os["server"]` {
		t.Errorf("lineage of the disc: inputs %+v", in)
	}

	if plan := p.ok("plan"); !strings.Contains(plan, "No changes.") {
		t.Errorf("plan after apply:\n%s", plan)
	}
	p.write(map[string]string{"boot/isolinux/isolinux.cfg": "DEFAULT linux\n"})
	changes := p.planJSON()
	for addr, c := range changes {
		if want := map[bool]string{true: "rebuild", false: "up_to_date"}[addr == "artifact.iso.dvd"]; c.Action != want {
			t.Errorf("after a boot file changed, %s: %s, want %s", addr, c.Action, want)
		}
	}

	p.write(map[string]string{"main.hcl": isoConfig(t, strings.Replace(isoArtifact, "Minimal-S-dvd-x86_64-1", "Minimal#1", 1))})
	if errOut := p.fails(1, "validate"); !strings.Contains(errOut, `has '#' at 7`) || !strings.Contains(errOut, "on main.hcl line") {
		t.Errorf("validate of a bad volume id:\n%s", errOut)
	}
	p.write(map[string]string{"main.hcl": isoConfig(t, isoArtifact)})
	if err := os.Remove(filepath.Join(p.dir, "boot", "isolinux", "ldlinux.c32")); err != nil {
		t.Fatal(err)
	}
	if errOut := p.fails(1, "plan"); !strings.Contains(errOut, "lacks isolinux/ldlinux.c32") || !strings.Contains(errOut, "on main.hcl line") {
		t.Errorf("plan with a boot tree lacking ldlinux.c32:\n%s", errOut)
	}
}
