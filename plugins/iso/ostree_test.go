package iso

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// An ostree installer carries the commit's repository, which ostree
// reads from the extracted disc (fsck, the ref at the commit), and a
// kickstart whose ostreesetup installs the ref from the disc.
func TestOstreeInstaller(t *testing.T) {
	sdktest.NeedTool(t, "ostree")
	const branch = "test/41/x86_64/host"
	commit := buildCommit(t, testPackages(t), branch)
	res, out, err := buildISO(t, "artifact.iso.host", body(map[string]cty.Value{"ostree": ref(commit), "volume_id": cty.StringVal("Test-host-41"),
		"kickstart": cty.StringVal("lang en_US.UTF-8\nreboot\n")}), commit)
	if err != nil {
		t.Fatal(err)
	}
	iso := filepath.Join(out, "Test-host-dvd-ostree-x86_64-41.iso")
	x := extract(t, iso)
	repo := filepath.Join(x, "ostree", "repo")
	sdktest.Run(t, "ostree", "fsck", "--repo="+repo)
	if got := strings.TrimSpace(sdktest.Run(t, "ostree", "rev-parse", "--repo="+repo, branch)); got != commit.Outputs.GetAttr("commit").AsString() {
		t.Errorf("the disc's %s is %s, want %s", branch, got, commit.Outputs.GetAttr("commit").AsString())
	}
	wantKS := "lang en_US.UTF-8\nreboot\nostreesetup --osname=test --remote=test --url=file:///run/install/repo/ostree/repo --ref=" + branch + " --nogpg\n"
	if got := readFile(t, filepath.Join(x, "ks.cfg")); got != wantKS {
		t.Errorf("ks.cfg is\n%s\nwant\n%s", got, wantKS)
	}
	ti, err := readTreeinfo(filepath.Join(x, ".treeinfo"))
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][3]string{{"header", "type", "productmd.treeinfo"}, {"general", "arch", "x86_64"}, {"tree", "variants", "host"},
		{"variant-host", "uid", "host"}, {"media", "discnum", "1"}} {
		if got := ti.get(kv[0], kv[1]); got != kv[2] {
			t.Errorf(".treeinfo [%s] %s = %q, want %q", kv[0], kv[1], got, kv[2])
		}
	}
	if ti["variant-host"]["repository"] != "" || ti["general"]["repository"] != "" {
		t.Errorf(".treeinfo names a repository the disc does not have:\n%s", ti.bytes())
	}
	sdktest.Run(t, "checkisomd5", iso)
	if im := res.Placements[0].Image; im.Type != "dvd-ostree" || im.Bootable || res.Placements[0].ComposePath != "host/x86_64/iso/Test-host-dvd-ostree-x86_64-41.iso" {
		t.Errorf("placement %+v, image %+v", res.Placements[0], im)
	}
}
