package comps

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk/sdktest"
)

var five = int64(5)

// sample holds every part of the format the model knows.
var sample = Comps{
	Groups: []Group{
		{ID: "core", Name: "Core", Description: "The smallest system", UserVisible: false, Default: true, DisplayOrder: &five,
			NameTranslations: map[string]string{"de": "Kern"}, DescriptionTranslations: map[string]string{"de": "Das <kleinste> System"},
			Packages: []PackageReq{{Name: "bash", Type: "mandatory"}, {Name: "vim", Type: "default", Arch: "x86_64"},
				{Name: "zsh", Type: "optional"}, {Name: "bash-help", Type: "conditional", Requires: "bash"}}},
		{ID: "web-server", Name: "Web & Server", UserVisible: true, NameTranslations: map[string]string{},
			DescriptionTranslations: map[string]string{}, Packages: []PackageReq{{Name: "httpd", Type: "mandatory"}}},
	},
	Categories:   []Category{{ID: "servers", Name: "Servers", Description: "For servers", DisplayOrder: &five, Groups: []string{"web-server"}}},
	Environments: []Environment{{ID: "server-environment", Name: "Server", Description: "A server", Groups: []string{"core"}, Options: []string{"web-server"}}},
	Langpacks:    []Langpack{{Name: "hunspell", Install: "hunspell-%s"}},
}

// What Write writes, Read reads back as it was.
func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sample); err != nil {
		t.Fatal(err)
	}
	got, err := Read(&buf, "sample")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&sample, got); diff != "" {
		t.Errorf("read back (-written +read):\n%s", diff)
	}
}

// A comps file read and written again is the same file to dnf: every
// group, category and environment with the same packages, names and
// translations.
func TestRewrittenAsDNFSeesIt(t *testing.T) {
	var doc bytes.Buffer
	if err := Write(&doc, sample); err != nil {
		t.Fatal(err)
	}
	checkRewritten(t, "sample", doc.Bytes())
}

// Fedora 41's comps, from the shared corpus, rewritten.
func TestFedoraCompsRewritten(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sdktest.SharedTestdata(t), "comps", "comps-f41.xml"))
	if err != nil {
		t.Fatal(err)
	}
	checkRewritten(t, "comps-f41.xml", data)
}

func checkRewritten(t *testing.T, name string, original []byte) {
	c, err := Read(bytes.NewReader(original), name)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Unknown) > 0 {
		t.Errorf("elements not read: %v", c.Unknown)
	}
	var rewritten bytes.Buffer
	if err := Write(&rewritten, *c); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, g := range c.Groups {
		ids = append(ids, g.ID)
	}
	for _, e := range c.Environments {
		ids = append(ids, e.ID)
	}
	want, got := groupInfo(t, original, ids), groupInfo(t, rewritten.Bytes(), ids)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dnf group info (-original +rewritten):\n%s", diff)
	}
	if !strings.Contains(want, "Group:") {
		t.Errorf("dnf shows no group:\n%s", want)
	}
}

// groupInfo is what dnf says of the groups and environments ids in an
// empty repository with doc as its comps.
func groupInfo(t *testing.T, doc []byte, ids []string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "comps.xml")
	if err := os.WriteFile(path, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(dir, "repo")
	if err := os.Mkdir(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	sdktest.Createrepo(t, repo, "-g", path)
	out, ok := sdktest.DNF(t, map[string]string{"r": repo}, append([]string{"group", "info"}, ids...)...)
	if !ok {
		t.Fatalf("dnf group info failed:\n%s", out)
	}
	list, ok := sdktest.DNF(t, map[string]string{"r": repo}, "group", "list", "--hidden")
	if !ok {
		t.Fatalf("dnf group list failed:\n%s", list)
	}
	return out + list
}
