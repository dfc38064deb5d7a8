package yumrepo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/host"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// contentRPMs is a small installable product: a base and a web module.
// Each package without files of its own installs /usr/bin/<name>.
var contentRPMs = withCommands([]sdktest.RPM{
	{Name: "filesystem", Version: "3", Release: "1", Files: []sdktest.File{{Path: "/etc", Mode: 0o40755}, {Path: "/usr", Mode: 0o40755}}},
	{Name: "bash", Version: "5.2", Release: "1", Arch: "x86_64", Requires: []string{"filesystem"}},
	{Name: "vim", Version: "9.1", Release: "1", Arch: "x86_64", Epoch: 2},
	{Name: "zsh", Version: "5.9", Release: "1", Arch: "x86_64"},
	{Name: "httpd", Version: "2.4", Release: "1", Arch: "x86_64", Requires: []string{"bash"}},
	{Name: "mod_ssl", Version: "2.4", Release: "1", Arch: "x86_64", Requires: []string{"httpd = 2.4-1"}},
	{Name: "webcfg", Version: "1", Release: "1", Requires: []string{"httpd"}},
})

// withCommands gives each package without files a command named after it.
func withCommands(rpms []sdktest.RPM) []sdktest.RPM {
	for i, r := range rpms {
		if len(r.Files) == 0 {
			rpms[i].Files = []sdktest.File{{Path: "/usr/bin/" + r.Name, Body: "#!/bin/sh\n", Mode: 0o755}}
		}
	}
	return rpms
}

var order = int64(10)

var content = sdk.Content{
	Groups: []sdk.Group{
		{ID: "core", Name: "Core", Description: "The smallest system", Mandatory: []string{"filesystem", "bash"},
			Default: []string{"vim"}, Optional: []string{"zsh", "not-in-this-repo"}, UserVisible: true, DisplayOrder: &order,
			NameTranslations: map[string]string{"de": "Kern", "cs": "Jádro"}},
		{ID: "web-server", Name: "Web Server", Mandatory: []string{"httpd"}, Optional: []string{"mod_ssl"},
			Conditional: map[string]string{"webcfg": "httpd"}, UserVisible: true},
	},
	Modules: []sdk.Module{
		{ID: "base", Name: "base-runtime", Stream: "41", Version: 20261125, Summary: "The base runtime",
			Description: "What every system runs.", License: []string{"MIT"}, Groups: []string{"core"},
			Profiles: map[string][]string{"default": {"bash", "vim"}, "minimal": {"bash"}}, API: []string{"bash"}, EOL: "2027-05-01"},
		{ID: "web", Name: "web", Stream: "2.4", Version: 20261120, Groups: []string{"web-server"}, Requires: []string{"base-runtime:41"},
			Profiles: map[string][]string{"default": {"httpd"}}},
	},
	Variant: &sdk.Variant{ID: "server", UID: "Server", Name: "Fedora Server", Type: "variant", Arches: []string{"x86_64"}},
}

var membership = map[string][]string{
	"filesystem": {"base"}, "bash": {"base"}, "vim": {"base"}, "zsh": {"base"},
	"httpd": {"web"}, "mod_ssl": {"web"}, "webcfg": {"web"},
}

func contentRepo(t *testing.T, config map[string]cty.Value) (string, *host.BuildResult) {
	t.Helper()
	rpms := t.TempDir()
	if err := sdktest.WriteRPMs(rpms, contentRPMs); err != nil {
		t.Fatal(err)
	}
	return build(t, &sdk.BuildRequest{Packages: pkgsOf(t, rpms, membership), Content: content,
		Compose: sdk.Compose{Name: "Fedora", Short: "Fedora", Version: "41", Type: "production"}}, config)
}

var dnfModuleArgs = []string{"--setopt=module_platform_id=platform:f41"}

func dnf(t *testing.T, repo string, args ...string) string {
	t.Helper()
	out, ok := sdktest.DNF(t, map[string]string{"strata": repo}, append(dnfModuleArgs, args...)...)
	if !ok {
		t.Fatalf("dnf %s failed:\n%s", strings.Join(args, " "), out)
	}
	return out
}

// dnf reads our comps and modules: groups, environments, module streams
// with their profiles, and installs a group and a module profile.
func TestGroupsAndModules(t *testing.T) {
	repo, res := contentRepo(t, nil)
	contains(t, dnf(t, repo, "group", "list", "--hidden"), "Fedora Server", "Core", "Web Server")
	info := dnf(t, repo, "group", "info", "core")
	contains(t, info, "Group: Core", "Description: The smallest system", "Mandatory Packages:\n   bash\n   filesystem",
		"Default Packages:\n   vim", "Optional Packages:\n   zsh")
	if strings.Contains(info, "not-in-this-repo") {
		t.Errorf("comps lists a package the repository does not hold:\n%s", info)
	}
	contains(t, dnf(t, repo, "group", "info", "web-server"), "Mandatory Packages:\n   httpd", "Optional Packages:\n   mod_ssl", "Conditional Packages:\n   webcfg")
	contains(t, dnf(t, repo, "module", "list"), "base-runtime 41 [d]", "default [d], minimal", "web          2.4 [d]")
	contains(t, dnf(t, repo, "module", "info", "base-runtime"), "Name             : base-runtime", "Stream           : 41 [d]",
		"Version          : 20261125", "Profiles         : default [d], minimal", "Artifacts        : bash-0:5.2-1.x86_64")

	root := t.TempDir()
	dnf(t, repo, "--installroot="+root, "group", "install", "-y", "core")
	for _, f := range []string{"usr/bin/bash", "usr/bin/vim", "etc"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("group install: %v", err)
		}
	}
	root = t.TempDir()
	dnf(t, repo, "--installroot="+root, "module", "install", "-y", "web:2.4/default")
	if _, err := os.Stat(filepath.Join(root, "usr", "bin", "httpd")); err != nil {
		t.Errorf("module install: %v", err)
	}
	if len(res.Placements) != 1 || res.Placements[0].ComposePath != "Server/x86_64/os" || len(res.Placements[0].RPMs) != 7 {
		t.Errorf("placements: %+v", res.Placements)
	}
	if r := res.Placements[0].RPMs[0]; r.NEVRA != "bash-0:5.2-1.x86_64" || r.SRPMNEVRA != "bash-0:5.2-1.src" || r.Path != "Packages/b/bash-5.2-1.x86_64.rpm" {
		t.Errorf("rpms: %+v", r)
	}
}

func contains(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("lacks %q:\n%s", w, text)
		}
	}
}

// modulemd-validator accepts our modules metadata, and rejects it once
// broken (so the check can fail).
func TestModulemdValidator(t *testing.T) {
	bin := sdktest.NeedTool(t, "modulemd-validator")
	repo, _ := contentRepo(t, map[string]cty.Value{"compression": cty.StringVal("gzip")})
	files, _ := filepath.Glob(filepath.Join(repo, "repodata", "*-modules.yaml.gz"))
	if len(files) != 1 {
		t.Fatalf("modules metadata: %v", files)
	}
	yaml := filepath.Join(t.TempDir(), "modules.yaml")
	out, err := exec.Command("sh", "-c", "zcat "+files[0]+" > "+yaml).CombinedOutput()
	if err != nil {
		t.Fatalf("%v %s", err, out)
	}
	if out, err := exec.Command(bin, yaml).CombinedOutput(); err != nil {
		t.Fatalf("modulemd-validator refuses our modules: %v\n%s", err, out)
	}
	data, _ := os.ReadFile(yaml)
	broken := strings.Replace(string(data), "document: modulemd\n", "document: modulemd\nbogus: [\n", 1)
	os.WriteFile(yaml, []byte(broken), 0o644)
	if out, err := exec.Command(bin, yaml).CombinedOutput(); err == nil {
		t.Errorf("modulemd-validator accepts broken YAML:\n%s", out)
	}
}

// dnf repoclosure passes on a closed repository and names the missing
// requirement on an open one.
func TestRepoclosure(t *testing.T) {
	repo, _ := contentRepo(t, nil)
	if rc := sdktest.Repoclosure(t, repo); len(rc) != 0 {
		t.Errorf("repoclosure on a closed repository: %v", rc)
	}
	rpms := t.TempDir()
	if err := sdktest.WriteRPMs(rpms, contentRPMs[4:]); err != nil { // httpd without bash
		t.Fatal(err)
	}
	open, _ := build(t, &sdk.BuildRequest{Packages: pkgsOf(t, rpms, nil)}, nil)
	rc := sdktest.Repoclosure(t, open)
	if got := rc["httpd-2.4-1.x86_64"]; len(got) != 1 || got[0] != "bash" {
		t.Errorf("repoclosure on an open repository: %v", rc)
	}
}

// mergerepo_c merges our repository with one createrepo_c made. Debian's
// mergerepo_c (0.17) reads only gzip, the compression for older tools.
func TestMergerepo(t *testing.T) {
	bin := sdktest.NeedTool(t, "mergerepo_c")
	ours, _ := contentRepo(t, map[string]cty.Value{"compression": cty.StringVal("gzip")})
	theirs := t.TempDir()
	if err := sdktest.WriteRPMs(theirs, []sdktest.RPM{{Name: "extra", Version: "1", Release: "1"}}); err != nil {
		t.Fatal(err)
	}
	sdktest.Createrepo(t, theirs)
	merged := t.TempDir()
	if out, err := exec.Command(bin, "--repo", "file://"+ours, "--repo", "file://"+theirs, "-o", merged).CombinedOutput(); err != nil {
		t.Fatalf("mergerepo_c: %v\n%s", err, out)
	}
	out := dnf(t, merged, "repoquery", "--qf", "%{name}")
	contains(t, out, "extra", "httpd", "bash")
}
