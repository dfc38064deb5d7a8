package oci

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/manifest"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// basePackages are a small distribution: a filesystem with /lib ->
// usr/lib, a shell, setuid and hard links (the shared hlinktest) and file
// capabilities (the shared capstest).
func basePackages(t *testing.T, arch string) []sdk.Package {
	dir := t.TempDir()
	pkgs := buildRPMs(t, dir, arch,
		sdktest.RPM{Name: "filesystem", Version: "3", Release: "1", Files: []sdktest.File{
			{Path: "/usr", Mode: 0o040755}, {Path: "/usr/lib", Mode: 0o040755}, {Path: "/usr/bin", Mode: 0o040755},
			{Path: "/lib", Body: "usr/lib", Mode: 0o120777}, {Path: "/bin", Body: "usr/bin", Mode: 0o120777},
			{Path: "/etc", Mode: 0o040755}, {Path: "/tmp", Mode: 0o041777},
			{Path: "/etc/passwd", Body: "root:x:0:0:root:/root:/bin/sh\n"},
			{Path: "/etc/group", Body: "root:x:0:\n"},
		}},
		sdktest.RPM{Name: "shell", Version: "5.2", Release: "1", Requires: []string{"filesystem"}, PostIn: "echo installed", Files: []sdktest.File{
			{Path: "/usr/bin/sh", Body: "#!shell\n", Mode: 0o755},
			{Path: "/usr/bin/su", Body: "su\n", Mode: 0o4755},
			{Path: "/lib/libshell.so.1", Body: "ELF", Mode: 0o755},
		}},
	)
	shared := filepath.Join(sdktest.SharedTestdata(t), "rpms")
	for _, f := range []string{"hlinktest-1.0-1.noarch.rpm", "capstest-1.0-1.noarch.rpm"} {
		pkgs = append(pkgs, sdktest.Package(t, filepath.Join(shared, f), arch))
	}
	return pkgs
}

func webPackages(t *testing.T, arch string) []sdk.Package {
	return buildRPMs(t, t.TempDir(), arch,
		sdktest.RPM{Name: "httpd", Version: "2.4.62", Release: "1", Requires: []string{"shell"}, Files: []sdktest.File{
			{Path: "/usr/sbin/httpd", Body: "httpd", Mode: 0o755},
			{Path: "/etc/httpd/conf/httpd.conf", Body: "Listen 80\n", Config: true},
			{Path: "/var/www/html/index.html", Body: "<h1>hi</h1>\n"},
		}})
}

func paths(pkgs []sdk.Package) []string {
	var out []string
	for _, p := range pkgs {
		out = append(out, p.Path)
	}
	return out
}

func nvras(pkgs []sdk.Package) []string {
	var out []string
	for _, p := range pkgs {
		out = append(out, p.Name+"-"+p.Version+"-"+p.Release+"."+p.Arch)
	}
	return sortedLines(strings.Join(out, "\n"))
}

// withoutDB drops the rpm database from a tree listing: the oracle's
// install writes its own.
func withoutDB(lines []string) []string {
	var out []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "usr/lib/sysimage") {
			out = append(out, l)
		}
	}
	return out
}

// TestImage builds an image and has the real clients read it: skopeo
// inspects it and copies it to a docker-archive, umoci unpacks exactly
// the tree rpm installs from the same packages, and rpm reads the
// image's database.
func TestImage(t *testing.T) {
	pkgs := basePackages(t, "x86_64")
	res, dir := build(t, "artifact.oci.base", attrs(map[string]cty.Value{
		"archive": cty.True,
		"cmd":     cty.ListVal([]cty.Value{cty.StringVal("/usr/bin/sh")}),
		"env":     cty.MapVal(map[string]cty.Value{"LANG": cty.StringVal("C.UTF-8")}),
		"labels":  cty.MapVal(map[string]cty.Value{"org.example.team": cty.StringVal("base")}),
		"user":    cty.StringVal("root"), "workdir": cty.StringVal("/root"),
		"exposed_ports": cty.ListVal([]cty.Value{cty.StringVal("8080"), cty.StringVal("53/udp")}),
		"source":        cty.StringVal("https://example.com/product.git"), "revision": cty.StringVal("abc123"),
	}), pkgs)
	layout := "oci:" + filepath.Join(dir, layoutDir) + ":latest"
	digest := res.Outputs.GetAttr("digest").AsString()

	info := skopeoInspect(t, layout)
	if info["Digest"] != digest {
		t.Errorf("skopeo says digest %v, the build %s", info["Digest"], digest)
	}
	if info["Architecture"] != "amd64" || info["Os"] != "linux" || info["Created"] != "2023-11-14T22:13:20Z" {
		t.Errorf("platform or creation: %v %v %v", info["Architecture"], info["Os"], info["Created"])
	}
	if l := info["Layers"].([]any); len(l) != 1 {
		t.Errorf("layers: %v", l)
	}
	cfg := skopeoInspect(t, "--config", layout)["config"].(map[string]any)
	want := map[string]any{
		"Cmd": []any{"/usr/bin/sh"}, "Env": []any{defaultPath, "LANG=C.UTF-8"}, "User": "root", "WorkingDir": "/root",
		"Labels":       map[string]any{"org.example.team": "base"},
		"ExposedPorts": map[string]any{"8080/tcp": map[string]any{}, "53/udp": map[string]any{}},
	}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("image configuration (-want +got):\n%s", diff)
	}
	raw := run(t, "skopeo", "inspect", "--raw", layout)
	for _, a := range []string{`"org.opencontainers.image.created":"2023-11-14T22:13:20Z"`, `"org.opencontainers.image.version":"41"`,
		`"org.opencontainers.image.source":"https://example.com/product.git"`, `"org.opencontainers.image.revision":"abc123"`,
		`"mediaType":"application/vnd.oci.image.manifest.v1+json"`, `"application/vnd.oci.image.layer.v1.tar+gzip"`} {
		if !strings.Contains(raw, a) {
			t.Errorf("manifest lacks %s:\n%s", a, raw)
		}
	}
	if got := skopeoInspect(t, "oci-archive:"+filepath.Join(dir, archiveFile)+":latest")["Digest"]; got != digest {
		t.Errorf("the oci-archive holds %v, the layout %s", got, digest)
	}
	archive := filepath.Join(t.TempDir(), "docker.tar")
	run(t, "skopeo", "copy", layout, "docker-archive:"+archive+":test/base:41")
	if st, err := os.Stat(archive); err != nil || st.Size() == 0 {
		t.Errorf("skopeo copy wrote no docker-archive: %v", err)
	}

	root := unpack(t, filepath.Join(dir, layoutDir)+":latest")
	oracle := t.TempDir()
	sdktest.RPMInstall(t, oracle, paths(pkgs))
	if diff := cmp.Diff(sdktest.ListTree(t, oracle), withoutDB(sdktest.ListTree(t, root))); diff != "" {
		t.Errorf("umoci's tree differs from rpm's install (-rpm +image):\n%s", diff)
	}
	if diff := cmp.Diff(nvras(pkgs), rpmQA(t, root)); diff != "" {
		t.Errorf("rpm -qa in the image (-want +got):\n%s", diff)
	}
}

// TestLayered builds an image on another: the base's layers come first,
// unchanged, then one layer holding only the added package's files and
// the database of all packages.
func TestLayered(t *testing.T) {
	base := basePackages(t, "x86_64")
	baseRes, baseDir := build(t, "artifact.oci.base", attrs(map[string]cty.Value{"cmd": cty.ListVal([]cty.Value{cty.StringVal("/usr/bin/sh")})}), base)
	web := webPackages(t, "x86_64")
	own := append(append([]sdk.Package(nil), base[:2]...), web...) // the web module requires the base runtime
	_, dir := build(t, "artifact.oci.httpd", attrs(map[string]cty.Value{
		"base":       baseRes.Outputs,
		"entrypoint": cty.ListVal([]cty.Value{cty.StringVal("/usr/sbin/httpd")}),
	}), own, asInput("artifact.oci.base", baseDir, baseRes, base))

	baseLayers := skopeoInspect(t, "oci:"+filepath.Join(baseDir, layoutDir)+":latest")["Layers"].([]any)
	layout := "oci:" + filepath.Join(dir, layoutDir) + ":latest"
	layers := skopeoInspect(t, layout)["Layers"].([]any)
	if len(layers) != len(baseLayers)+1 || !cmp.Equal(layers[:len(baseLayers)], baseLayers) {
		t.Errorf("layered image's layers %v, want the base's %v and one more", layers, baseLayers)
	}
	cfg := skopeoInspect(t, "--config", layout)["config"].(map[string]any)
	if cfg["Cmd"] != nil || !cmp.Equal(cfg["Entrypoint"], []any{"/usr/sbin/httpd"}) {
		t.Errorf("a new entrypoint drops the base's command: %v %v", cfg["Entrypoint"], cfg["Cmd"])
	}
	if raw := run(t, "skopeo", "inspect", "--raw", layout); !strings.Contains(raw, `"org.opencontainers.image.base.digest":"`+baseRes.Outputs.GetAttr("digest").AsString()+`"`) {
		t.Errorf("manifest does not name its base:\n%s", raw)
	}

	root := unpack(t, filepath.Join(dir, layoutDir)+":latest")
	oracle := t.TempDir()
	all := append(append([]sdk.Package(nil), base...), web...)
	sdktest.RPMInstall(t, oracle, paths(all))
	if diff := cmp.Diff(sdktest.ListTree(t, oracle), withoutDB(sdktest.ListTree(t, root))); diff != "" {
		t.Errorf("layered tree differs from rpm's install of both (-rpm +image):\n%s", diff)
	}
	if diff := cmp.Diff(nvras(all), rpmQA(t, root)); diff != "" {
		t.Errorf("rpm -qa in the layered image (-want +got):\n%s", diff)
	}

	// The top layer alone: the added files, the database, their directories.
	top := layerListing(t, filepath.Join(dir, layoutDir), layers[len(layers)-1].(string))
	sort.Strings(top)
	want := []string{"etc/", "etc/httpd/", "etc/httpd/conf/", "etc/httpd/conf/httpd.conf", "usr/", "usr/lib/", "usr/lib/sysimage/",
		"usr/lib/sysimage/rpm/", "usr/lib/sysimage/rpm/rpmdb.sqlite", "usr/sbin/", "usr/sbin/httpd",
		"var/", "var/www/", "var/www/html/", "var/www/html/index.html"}
	if diff := cmp.Diff(want, top); diff != "" {
		t.Errorf("the added layer (-want +got):\n%s", diff)
	}
}

// TestReproducible builds one image twice: same digest, same bytes.
func TestReproducible(t *testing.T) {
	pkgs := basePackages(t, "x86_64")
	config := attrs(map[string]cty.Value{"archive": cty.True})
	a, dirA := build(t, "artifact.oci.base", config, pkgs)
	b, dirB := build(t, "artifact.oci.base", config, pkgs)
	if !a.Outputs.RawEquals(b.Outputs) {
		t.Errorf("two builds differ: %#v, %#v", a.Outputs, b.Outputs)
	}
	if diff := cmp.Diff(manifestOf(a.Manifest), manifestOf(b.Manifest)); diff != "" {
		t.Errorf("two builds wrote different files (-first +second):\n%s", diff)
	}
	for _, d := range []string{dirA, dirB} {
		if _, err := os.Stat(filepath.Join(d, archiveFile)); err != nil {
			t.Error(err)
		}
	}
}

func manifestOf(files []manifest.File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Path+" "+f.SHA256)
	}
	return out
}

// TestIndex builds for two architectures: an image index with one
// manifest per platform, each of which skopeo picks for its arch.
func TestIndex(t *testing.T) {
	pkgs := append(basePackages(t, "x86_64"), basePackages(t, "aarch64")...)
	res, dir := build(t, "artifact.oci.base", attrs(nil), pkgs)
	layout := "oci:" + filepath.Join(dir, layoutDir) + ":latest"
	raw := run(t, "skopeo", "inspect", "--raw", layout)
	if !strings.Contains(raw, `"application/vnd.oci.image.index.v1+json"`) || !strings.Contains(raw, `"architecture":"arm64"`) || !strings.Contains(raw, `"architecture":"amd64"`) {
		t.Fatalf("not an index of amd64 and arm64:\n%s", raw)
	}
	manifests := res.Outputs.GetAttr("manifests").AsValueMap()
	for arch, oci := range map[string]string{"x86_64": "amd64", "aarch64": "arm64"} {
		info := skopeoInspect(t, "--override-arch", oci, layout)
		if info["Architecture"] != oci || info["Digest"] != res.Outputs.GetAttr("digest").AsString() {
			t.Errorf("%s: skopeo picked %v of %v", arch, info["Architecture"], info["Digest"])
		}
		if !strings.Contains(raw, `"digest":"`+manifests[arch].AsString()+`"`) {
			t.Errorf("the index lacks the %s manifest %s", arch, manifests[arch].AsString())
		}
	}
}

// TestRefuses: conflicting files fail the build naming both packages, a
// base that is not an input is refused, and invalid settings are
// diagnosed with their attribute.
func TestRefuses(t *testing.T) {
	dir := t.TempDir()
	pkgs := buildRPMs(t, dir, "x86_64",
		sdktest.RPM{Name: "a", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/etc/x.conf", Body: "a"}}},
		sdktest.RPM{Name: "b", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/etc/x.conf", Body: "b"}}},
	)
	client := sdktest.Connect(t, Plugin())
	_, err := client.Build(t.Context(), "oci", &sdk.BuildRequest{Address: "artifact.oci.x", Config: attrs(nil), Packages: pkgs,
		OutputDir: t.TempDir(), WorkDir: t.TempDir(), Timestamp: ts}, &sdktest.Recorder{})
	if err == nil || !strings.Contains(err.Error(), "/etc/x.conf is installed by a-1-1.noarch and by b-1-1.noarch") {
		t.Errorf("conflict: %v", err)
	}
	base := cty.ObjectVal(map[string]cty.Value{"digest": cty.StringVal("sha256:00")})
	_, err = client.Build(t.Context(), "oci", &sdk.BuildRequest{Address: "artifact.oci.x", Config: attrs(map[string]cty.Value{"base": base}),
		Packages: pkgs[:1], OutputDir: t.TempDir(), WorkDir: t.TempDir(), Timestamp: ts}, &sdktest.Recorder{})
	if err == nil || !strings.Contains(err.Error(), "base is not an oci artifact") {
		t.Errorf("unknown base: %v", err)
	}
	for attr, v := range map[string]cty.Value{
		"push":          cty.StringVal("no tag here"),
		"tag":           cty.StringVal("-bad"),
		"exposed_ports": cty.ListVal([]cty.Value{cty.StringVal("http")}),
		"env":           cty.MapVal(map[string]cty.Value{"A=B": cty.StringVal("x")}),
	} {
		diags, err := client.Validate(t.Context(), "oci", attrs(map[string]cty.Value{attr: v}))
		if err != nil {
			t.Fatal(err)
		}
		if !diags.HasErrors() || len(diags[0].Path) == 0 || diags[0].Path[0].(cty.GetAttrStep).Name != attr {
			t.Errorf("%s = %#v: diagnostics %v", attr, v, diags)
		}
	}
	for _, tag := range []string{"41", "2.4", "latest", "f41_x86-64"} {
		diags, err := client.Validate(t.Context(), "oci", attrs(map[string]cty.Value{"tag": cty.StringVal(tag)}))
		if err != nil || len(diags) > 0 {
			t.Errorf("tag = %q: %v %v", tag, diags, err)
		}
	}
}

// TestScriptletWarning: the plan names the packages whose scripts an
// image build does not run, in one warning.
func TestScriptletWarning(t *testing.T) {
	client := sdktest.Connect(t, Plugin())
	pkgs := []sdk.Package{{Name: "a", Version: "1", Release: "1", Arch: "noarch", Scriptlets: true},
		{Name: "b", Version: "1", Release: "1", Arch: "noarch"}, {Name: "c", Version: "2", Release: "1", Arch: "x86_64", Scriptlets: true}}
	_, diags, err := client.Plan(t.Context(), "oci", &sdk.PlanRequest{Address: "artifact.oci.x", Config: attrs(nil), Packages: pkgs})
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) != 1 || diags.HasErrors() || !strings.Contains(diags[0].Detail, "a-1-1.noarch\n  c-2-1.x86_64") {
		t.Errorf("diagnostics: %+v", diags)
	}
}
