package command_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

// flipByte changes one byte of a package file at offset from its end
// (from its start when negative), keeping its size and its headers
// readable: rpm -K must then call it damaged.
func flipByte(t *testing.T, path string, at int64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := int64(len(data)) - at
	if at < 0 {
		i = -at
	}
	data[i] ^= 0x55
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(sdktest.NeedTool(t, "rpm"), "-K", "--nosignature", path).CombinedOutput(); err == nil {
		t.Fatalf("rpm -K finds %s sound:\n%s", path, out)
	}
}

// A package whose payload or header does not match the digests its
// headers record is refused naming the file and what failed: a small
// one when planning (its bytes are read whole then), a large one when
// the apply hashes it, in the same read; nothing reaches the store.
func TestDamagedPackagesAreRefused(t *testing.T) {
	specs := []genrpm.Spec{
		{Name: "small", Version: "1", Arch: "x86_64"},
		{Name: "large", Version: "1", Arch: "x86_64", Shape: "binary", Size: 4 << 20},
		{Name: "header", Version: "1", Arch: "x86_64"},
	}
	for _, tc := range []struct {
		pkg, when string
		at        int64
		want      string
	}{
		{"small", "plan", 20, "its payload digest does not match"},
		{"large", "apply", 20, "its payload digest does not match"},
		{"header", "plan", 0, "its header digest does not match"},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			p := newProject(t, map[string]string{"main.hcl": `
source "rpm_dir" "tag" {
  path = "./rpms"
}
artifact "yumrepo" "os" {
  packages = ["` + tc.pkg + `"]
}
`}, specs)
			p.ok("init")
			path := filepath.Join(p.path("rpms"), tc.pkg+"-1-1.x86_64.rpm")
			at := tc.at
			if at == 0 { // a letter of the description, in the header
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				at = -int64(bytes.Index(data, []byte("generated for strata")))
			}
			flipByte(t, path, at)
			if tc.when == "plan" {
				contains(t, "plan", p.fails(1, "plan"), "Damaged package", path, tc.want)
				return
			}
			p.ok("plan")
			contains(t, "apply", p.fails(1, "apply", "-auto-approve"), "artifact.yumrepo.os: FAILED", path, tc.want)
			if entries, _ := os.ReadDir(p.path(".strata", "store")); len(entries) != 0 {
				t.Errorf("the store holds %d entries", len(entries))
			}
			contains(t, "plan after the apply", p.fails(1, "plan"), "Damaged package", tc.want)
		})
	}
}
