package command_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

func sha256File(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

const serverTarball = "out/latest/compose/tarball/rootfs/server/server-rootfs.tar.gz"

// The bundled example, end to end as a user runs it: init, validate, plan,
// apply, plan again (nothing to do), and the tarball judged by GNU tar and
// rpm: unpacked, it is exactly what rpm installs from the same packages.
//
// httpd is made large, so that planning reads only its header and the
// apply hashes it: its lineage must still hold the whole file's sha256.
func TestMinimalExample(t *testing.T) {
	specs := minimalSpecs(t)
	for i := range specs {
		if specs[i].Name == "httpd" {
			specs[i].Files = append(specs[i].Files, genrpm.NoiseFiles("httpd", 1<<20)[1])
		}
	}
	p := newProject(t, map[string]string{"main.hcl": minimalConfig(t)}, specs)
	p.ok("init")
	if !strings.Contains(p.read(".strata.lock.hcl"), `plugin "tarball"`) {
		t.Fatalf("lock file:\n%s", p.read(".strata.lock.hcl"))
	}
	if out := p.ok("validate"); !strings.Contains(out, "Success") {
		t.Errorf("validate: %s", out)
	}
	changes := p.planJSON()
	for _, a := range []string{`artifact.tarball.rootfs["base"]`, `artifact.tarball.rootfs["server"]`, `artifact.yumrepo.os["base"]`, `artifact.yumrepo.os["server"]`} {
		if changes[a].Action != "build" {
			t.Errorf("%s: action %q, want build", a, changes[a].Action)
		}
	}
	out := p.ok("apply", "-auto-approve")
	if !strings.Contains(out, "Apply complete! 5 built") {
		t.Errorf("apply output:\n%s", out)
	}
	for a, c := range p.planJSON() {
		if c.Action != "up_to_date" {
			t.Errorf("after apply, %s: %s %v", a, c.Action, c.Reasons)
		}
	}
	if out := p.ok("plan"); !strings.Contains(out, "Plan: 0 to build, 0 to rebuild, 5 up to date.") {
		t.Errorf("plan after apply:\n%s", out)
	}

	// GNU tar unpacks exactly what rpm installs.
	tarBin := sdktest.NeedTool(t, "tar")
	ours := t.TempDir()
	if out, err := exec.Command(tarBin, "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpzf", p.path(serverTarball), "-C", ours).CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	theirs := t.TempDir()
	rpms, _ := filepath.Glob(p.path("rpms", "*.rpm"))
	sdktest.RPMInstall(t, theirs, rpms)
	if diff := cmp.Diff(sdktest.ListTree(t, theirs), sdktest.ListTree(t, ours)); diff != "" {
		t.Errorf("the server tarball differs from rpm's install (-rpm +tarball):\n%s", diff)
	}

	// Lineage: strata show and the compose's lineage.json.
	var shown struct {
		Key     string `json:"key"`
		Lineage struct {
			Modules  []struct{ Name string } `json:"modules"`
			Packages []struct {
				NEVRA  string `json:"nevra"`
				SHA256 string `json:"sha256"`
			} `json:"packages"`
			Plugin struct{ Name, Version string } `json:"plugin"`
		} `json:"lineage"`
	}
	if err := json.Unmarshal([]byte(p.ok("show", "-json", `artifact.tarball.rootfs["server"]`)), &shown); err != nil {
		t.Fatal(err)
	}
	if len(shown.Lineage.Modules) != 2 || len(shown.Lineage.Packages) != 9 || shown.Lineage.Plugin.Version != "1.0.0" {
		t.Errorf("lineage: %+v", shown.Lineage)
	}
	httpd := sha256File(t, p.path("rpms", "httpd-2.4.62-1.x86_64.rpm"))
	found := false
	for _, pkg := range shown.Lineage.Packages {
		found = found || pkg.NEVRA == "httpd-2.4.62-1.x86_64" && pkg.SHA256 == httpd
	}
	if !found {
		t.Errorf("lineage lacks httpd with its sha256 %s: %+v", httpd, shown.Lineage.Packages)
	}
	lin := p.read("out", "latest", "compose", "metadata", "lineage.json")
	if !strings.Contains(lin, shown.Key) || !strings.Contains(lin, "httpd-2.4.62-1.x86_64") {
		t.Errorf("lineage.json lacks the server's key or packages:\n%s", lin)
	}
	if id := strings.TrimSpace(p.read("out", "latest", "COMPOSE_ID")); id != "Minimal-1-20261125.0" {
		t.Errorf("COMPOSE_ID = %q", id)
	}
	if strings.TrimSpace(p.read("out", "latest", "STATUS")) != "FINISHED" {
		t.Errorf("STATUS = %q", p.read("out", "latest", "STATUS"))
	}

	// The compose tree, as productmd lays it out and dnf reads it.
	tree := "out/latest/compose/Server/x86_64/os"
	for _, f := range []string{".treeinfo", "media.repo", "repodata/repomd.xml", "Packages/h/httpd-2.4.62-1.x86_64.rpm"} {
		if _, err := os.Stat(p.path(tree, f)); err != nil {
			t.Errorf("compose tree: %v", err)
		}
	}
	repo := p.path(tree)
	names, ok := sdktest.DNF(t, map[string]string{"server": repo}, "repoquery", "--qf", "%{name}")
	if !ok || strings.Count(names, "\n") != 9 {
		t.Errorf("dnf repoquery on the compose tree:\n%s", names)
	}
	g, _ := sdktest.DNF(t, map[string]string{"server": repo}, "group", "info", "web-server")
	contains(t, "dnf group info", g, "Mandatory Packages:\n   httpd", "Optional Packages:\n   mod_ssl")
	contains(t, "composeinfo.json", p.read("out", "latest", "compose", "metadata", "composeinfo.json"),
		`"Server": {`, `"os_tree": {`, `"x86_64": "Server/x86_64/os"`, `"name": "Minimal Server"`, `"id": "Minimal-1-20261125.0"`)
	contains(t, "rpms.json", p.read("out", "latest", "compose", "metadata", "rpms.json"),
		`"httpd-0:2.4.62-1.src": {`, `"httpd-0:2.4.62-1.x86_64": {`, `"path": "Server/x86_64/os/Packages/h/httpd-2.4.62-1.x86_64.rpm"`, `"category": "binary"`)
	contains(t, ".treeinfo", p.read(tree, ".treeinfo"), "[variant-Server]", "repository = .", "type = productmd.treeinfo")

	// Same inputs, another directory: the same key and the same bytes.
	q := newProject(t, map[string]string{"main.hcl": minimalConfig(t)}, specs)
	q.ok("init")
	q.ok("apply", "-auto-approve")
	if a, b := sha256File(t, p.path(serverTarball)), sha256File(t, q.path(serverTarball)); a != b {
		t.Errorf("two composes of the same inputs differ: %s and %s", a, b)
	}
	if a, b := p.planJSON()[`artifact.tarball.rootfs["server"]`].Key, q.planJSON()[`artifact.tarball.rootfs["server"]`].Key; a != b {
		t.Errorf("cache keys differ across directories: %s and %s", a, b)
	}
	for _, f := range []string{"COMPOSE_ID", "STATUS", "compose/metadata/composeinfo.json", "compose/metadata/rpms.json",
		"compose/metadata/images.json", "compose/metadata/lineage.json", "compose/Server/x86_64/os/repodata/repomd.xml",
		"compose/Server/x86_64/os/.treeinfo", "compose/Base/x86_64/os/media.repo"} {
		if a, b := p.read("out", "latest", f), q.read("out", "latest", f); a != b {
			t.Errorf("%s differs between two identical composes", f)
		}
	}
}

// Changing one package of one module rebuilds exactly the artifacts that
// hold it, with the package as the reason.
func TestOnePackageChangeRebuildsOnlyItsArtifacts(t *testing.T) {
	specs := minimalSpecs(t)
	p := newProject(t, map[string]string{"main.hcl": minimalConfig(t)}, specs)
	p.ok("init")
	p.ok("apply", "-auto-approve")
	for i := range specs {
		if specs[i].Name == "mod_ssl" {
			specs[i].Release = "2"
			if err := os.Remove(p.path("rpms", "mod_ssl-2.4.62-1.x86_64.rpm")); err != nil {
				t.Fatal(err)
			}
			if err := genrpm.Write(p.path("rpms"), specs[i:i+1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	changes := p.planJSON()
	if c := changes[`artifact.tarball.rootfs["base"]`]; c.Action != "up_to_date" {
		t.Errorf("base: %s %v, want up to date", c.Action, c.Reasons)
	}
	server := changes[`artifact.tarball.rootfs["server"]`]
	want := []string{"package mod_ssl-1:2.4.62-1.x86_64 → mod_ssl-1:2.4.62-2.x86_64 (x86_64)"}
	if server.Action != "rebuild" || !cmp.Equal(server.Reasons, want) {
		t.Errorf("server: %s %q, want rebuild %q", server.Action, server.Reasons, want)
	}
	if c := changes["artifact.iso.dvd"]; c.Action != "rebuild" {
		t.Errorf("the DVD of the server repository: %s %v, want rebuild", c.Action, c.Reasons)
	}
	out := p.ok("apply", "-auto-approve")
	if !strings.Contains(out, "3 built, 0 taken from the store") {
		t.Errorf("apply:\n%s", out)
	}
	if id := strings.TrimSpace(p.read("out", "latest", "COMPOSE_ID")); id != "Minimal-1-20261125.1" {
		t.Errorf("the second compose of the day is %q, want respin 1", id)
	}
	// Going back to the old package takes the old build from the store.
	if err := os.Remove(p.path("rpms", "mod_ssl-2.4.62-2.x86_64.rpm")); err != nil {
		t.Fatal(err)
	}
	if err := genrpm.Write(p.path("rpms"), minimalSpecs(t)); err != nil {
		t.Fatal(err)
	}
	if c := p.planJSON()[`artifact.tarball.rootfs["server"]`]; c.Action != "rebuild" || !c.InStore {
		t.Errorf("server after reverting httpd: %s in_store=%v", c.Action, c.InStore)
	}
	if out := p.ok("apply", "-auto-approve"); !strings.Contains(out, "0 built, 3 taken from the store") {
		t.Errorf("apply after reverting:\n%s", out)
	}
}

// A package whose requirement the change breaks opens the closure: an
// error naming the package and the requirement, and nothing is built.
func TestOpenClosureIsAnError(t *testing.T) {
	specs := minimalSpecs(t)
	for i := range specs {
		if specs[i].Name == "httpd" {
			specs[i].Version = "2.4.63"
		}
	}
	cfg := minimalConfig(t)
	block := `artifact "tarball" "rootfs" {`
	line := strings.Count(cfg[:strings.Index(cfg, block)], "\n") + 1
	p := newProject(t, map[string]string{"main.hcl": cfg}, specs)
	p.ok("init")
	errOut := p.fails(1, "apply", "-auto-approve")
	for _, want := range []string{"Dependency closure is open", "mod_ssl-1:2.4.62-1.x86_64 (x86_64) requires httpd = 2.4.62-1",
		fmt.Sprintf(`main.hcl line %d, in artifact "tarball" "rootfs"`, line)} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if _, err := os.Stat(p.path("out")); !os.IsNotExist(err) {
		t.Errorf("a failed plan wrote a compose")
	}
}

// The tarball plugin on real RPMs from rpm's and createrepo_c's suites
// (hard links, empty capabilities, UTF-8 names, epochs), through strata:
// unpacked, the archive is what rpm installs.
func TestTarballOfRealRPMs(t *testing.T) {
	names := []string{"hlinktest-1.0-1.noarch", "capstest-1.0-1.noarch", "Archer-3.4.5-6.x86_64", "balicek-utf8-1.1.1-1.x86_64", "fake_bash-1.1.1-1.x86_64"}
	p := newProject(t, map[string]string{"main.hcl": `
source "rpm_dir" "shared" {
  path = "rpms"
}
artifact "tarball" "real" {
  packages = ["hlinktest", "capstest", "Archer", "balicek-utf8", "fake_bash"]
  closure  = "off" # Archer requires packages the suites do not ship
}
`}, nil)
	shared := filepath.Join(sdktest.SharedTestdata(t), "rpms")
	var paths []string
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(shared, n+".rpm"))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p.path("rpms", n+".rpm"))
		p.write(map[string]string{filepath.Join("rpms", n+".rpm"): string(data)})
	}
	p.ok("init")
	p.ok("apply", "-auto-approve")
	ours := t.TempDir()
	tarBin := sdktest.NeedTool(t, "tar")
	if out, err := exec.Command(tarBin, "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpzf",
		p.path("out", "latest", "compose", "tarball", "real", "rootfs.tar.gz"), "-C", ours).CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	theirs := t.TempDir()
	sdktest.RPMInstall(t, theirs, paths)
	listing := sdktest.ListTree(t, ours)
	if diff := cmp.Diff(sdktest.ListTree(t, theirs), listing); diff != "" {
		t.Errorf("the tarball differs from rpm's install (-rpm +tarball):\n%s", diff)
	}
	contains(t, "the unpacked tree", strings.Join(listing, "\n"), "foo/hello-world 100755 0:0", "hardlink=foo/hello", "caps=0000000200000000000000000000000000000000")
}
