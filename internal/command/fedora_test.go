package command_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

// fedoraExample is a copy of examples/fedora with its package universe
// generated (bump: names generated one release newer).
func fedoraExample(t *testing.T) (*project, func(bump ...string)) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	example := filepath.Join(filepath.Dir(file), "..", "..", "examples", "fedora")
	files := map[string]string{}
	for _, name := range []string{"main.hcl", "groups.hcl"} {
		data, err := os.ReadFile(filepath.Join(example, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(data)
	}
	p := newProject(t, files, nil)
	generate := func(bump ...string) {
		t.Helper()
		opt := genrpm.UniverseOptions{Size: 8 << 10, Dist: "fc41", Bump: map[string]bool{}}
		for _, b := range bump {
			opt.Bump[b] = true
		}
		specs, err := genrpm.ForConfig(p.dir, filepath.Join(example, "packages.json"), opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := genrpm.Write(p.path("rpms"), specs); err != nil {
			t.Fatal(err)
		}
	}
	generate()
	return p, generate
}

// The Fedora example end to end, each artifact judged by its client:
// the variants' repositories are closed (dnf repoclosure), hold their
// modules' groups and streams and nothing of the modules they omit; the
// add-on's repository is closed only beside Server's; every disc has its
// volume id and a valid implanted MD5, the installer the atomic host's
// repository and kickstart; ostree fsck, log and ls read the commit; skopeo
// reads both images, the httpd image the base's layer plus one. Then one
// GNOME package changes: exactly the Workstation repository and its disc
// rebuild, for that reason.
func TestFedoraExample(t *testing.T) {
	for _, tool := range []string{"dnf", "isoinfo", "checkisomd5", "ostree", "skopeo"} {
		sdktest.NeedTool(t, tool)
	}
	p, generate := fedoraExample(t)
	p.ok("init")
	start := time.Now()
	out := p.ok("apply", "-auto-approve")
	first := time.Since(start)
	contains(t, "apply", out, "Apply complete! 13 built")
	compose := p.path("out", "latest", "compose")

	repo := func(uid string) string { return filepath.Join(compose, uid, "x86_64", "os") }
	for _, uid := range []string{"Workstation", "Server", "Cloud", "ClientNode"} {
		if rc := sdktest.Repoclosure(t, repo(uid)); len(rc) != 0 {
			t.Errorf("%s: repoclosure: %v", uid, rc)
		}
	}
	query := func(uid string, args ...string) string {
		t.Helper()
		out, ok := sdktest.DNF(t, map[string]string{"r": repo(uid)}, args...)
		if !ok {
			t.Fatalf("%s: dnf %v:\n%s", uid, args, out)
		}
		return out
	}
	names := func(uid string) string { return query(uid, "repoquery", "--qf", "%{name}\n") }
	contains(t, "Workstation packages", names("Workstation"), "\ngnome-shell\n", "\ngtk4\n", "\npodman\n", "\nkernel-core\n")
	for _, uid := range []string{"ClientNode", "Server", "Cloud"} {
		if n := names(uid); strings.Contains(n, "\ngnome-shell\n") || strings.Contains(n, "\ngtk4\n") || !strings.Contains(n, "\npodman\n") {
			t.Errorf("%s holds the desktop or lacks podman:\n%s", uid, n)
		}
	}
	contains(t, "Server packages", names("Server"), "\nhttpd\n", "\ncockpit\n")
	contains(t, "Workstation group", query("Workstation", "group", "info", "gnome-desktop"), "gnome-shell", "gdm", "ptyxis")
	contains(t, "Workstation modules", query("Workstation", "module", "list"), "gnome ", " 47 ", "gtk ", " 4.16 ", "base-runtime")
	if m := query("ClientNode", "module", "list"); strings.Contains(m, "gnome") || !strings.Contains(m, "container-platform") {
		t.Errorf("ClientNode modules:\n%s", m)
	}

	ha := map[string]string{"ha": repo("HighAvailability"), "server": repo("Server")}
	if rc := sdktest.RepoclosureOf(t, ha, "ha"); len(rc) != 0 {
		t.Errorf("the add-on beside Server: repoclosure: %v", rc)
	}
	if rc := sdktest.RepoclosureOf(t, map[string]string{"ha": repo("HighAvailability")}); !strings.Contains(strings.Join(rc["pacemaker-2.1.9-1.fc41.x86_64"], " "), "systemd") {
		t.Errorf("the add-on alone should miss Server's packages: %v", rc)
	}

	for uid, label := range map[string]string{"Workstation": "WS", "Server": "S", "Cloud": "C", "ClientNode": "CN"} {
		iso := filepath.Join(compose, uid, "x86_64", "iso", "Fedora-"+uid+"-dvd-x86_64-41.iso")
		contains(t, uid+" disc", sdktest.Run(t, "isoinfo", "-d", "-i", iso), "Volume id: Fedora-"+label+"-dvd-x86_64-41")
		sdktest.Run(t, "checkisomd5", iso)
	}
	installer := filepath.Join(compose, "AtomicHost", "x86_64", "iso", "Fedora-AtomicHost-dvd-ostree-x86_64-41.iso")
	sdktest.Run(t, "checkisomd5", installer)
	contains(t, "installer files", sdktest.Run(t, "isoinfo", "-R", "-f", "-i", installer), "/ostree/repo/config", "/ks.cfg")

	ostreeRepo := "--repo=" + filepath.Join(compose, "ostree", "atomic-host", "repo")
	sdktest.Run(t, "ostree", "fsck", ostreeRepo)
	contains(t, "ostree log", sdktest.Run(t, "ostree", "log", ostreeRepo, "fedora/41/x86_64/atomic-host"), "Fedora 41 Atomic Host")
	contains(t, "ostree ls", sdktest.Run(t, "ostree", "ls", "-R", ostreeRepo, "fedora/41/x86_64/atomic-host"),
		"/usr/lib/modules/6.11.10-300.fc41.x86_64/vmlinuz", "/usr/etc/passwd", "/usr/bin/podman", "/usr/lib/sysimage/rpm/rpmdb.sqlite")

	inspect := func(name, tag string) (doc struct{ Layers []string }) {
		t.Helper()
		out := sdktest.Run(t, "skopeo", "inspect", "oci:"+filepath.Join(compose, "oci", name, "layout")+":"+tag)
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("skopeo inspect %s: %v\n%s", name, err, out)
		}
		return doc
	}
	base, httpd := inspect("base", "41"), inspect("httpd", "2.4")
	if len(base.Layers) != 1 || len(httpd.Layers) != 2 || httpd.Layers[0] != base.Layers[0] {
		t.Errorf("layers: base %v, httpd %v", base.Layers, httpd.Layers)
	}
	contains(t, "httpd config", sdktest.Run(t, "skopeo", "inspect", "--config", "oci:"+filepath.Join(compose, "oci", "httpd", "layout")+":2.4"),
		`"/usr/sbin/httpd"`, `"80/tcp"`)

	// One GNOME package updated.
	generate("gnome-shell")
	changes := p.planJSON()
	for addr, c := range changes {
		rebuild := addr == `artifact.yumrepo.os["workstation"]` || addr == `artifact.iso.dvd["workstation"]`
		if rebuild != (c.Action == "rebuild") || !rebuild && c.Action != "up_to_date" {
			t.Errorf("%s: %s, reasons %v", addr, c.Action, c.Reasons)
		}
	}
	contains(t, "the repository's reason", strings.Join(changes[`artifact.yumrepo.os["workstation"]`].Reasons, "\n"),
		"gnome-shell-47.1-1.fc41.x86_64 → gnome-shell-47.1-2.fc41.x86_64")
	start = time.Now()
	contains(t, "second apply", p.ok("apply", "-auto-approve"), "Apply complete! 2 built")
	t.Logf("first apply %v, after one GNOME package changed %v", first, time.Since(start))
}
