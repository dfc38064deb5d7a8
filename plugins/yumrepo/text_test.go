package yumrepo

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// Text that is not UTF-8 is converted as createrepo_c converts it; a
// package with a control character in its metadata is left out with a
// warning, as createrepo_c leaves it out.
func TestTextAsCreaterepoWritesIt(t *testing.T) {
	rpms := t.TempDir()
	if err := sdktest.WriteRPMs(rpms, []sdktest.RPM{
		{Name: "latin1", Version: "1", Release: "1", Summary: "Caf\xe9 cr\xe8me \xa9 2024"},
		{Name: "control", Version: "1", Release: "1", Summary: "bell \x07 here"},
	}); err != nil {
		t.Fatal(err)
	}
	client := sdktest.Connect(t, Plugin())
	rec := &sdktest.Recorder{}
	out := t.TempDir()
	_, err := client.Build(context.Background(), "yumrepo", &sdk.BuildRequest{
		Address: "artifact.yumrepo.text", Packages: pkgsOf(t, rpms, nil), OutputDir: out, WorkDir: t.TempDir(),
		Timestamp: 1764000000, Config: cty.EmptyObjectVal,
	}, rec)
	if err != nil {
		t.Fatal(err)
	}
	repo := out + "/x86_64"
	contains(t, dnf(t, repo, "repoquery", "--qf", "%{name}: %{summary}"), "latin1: Café crème  2024")
	if got := dnf(t, repo, "repoquery", "--qf", "%{name}"); strings.Contains(got, "control") {
		t.Errorf("the package with a control character is in the repository:\n%s", got)
	}
	contains(t, strings.Join(rec.Lines(), "\n"), "warn: control-1-1.noarch has a control character in its summary")

	theirs := copyRPMs(t, rpms)
	sdktest.Createrepo(t, theirs)
	if a, b := dnf(t, theirs, "repoquery", "--qf", "%{name}: %{summary}"), dnf(t, repo, "repoquery", "--qf", "%{name}: %{summary}"); a != b {
		t.Errorf("createrepo_c shows %q, we show %q", a, b)
	}
}

// Two builds of the same packages give the same bytes, file for file;
// the second takes every package's metadata from the cache, by content,
// without reading a header: it succeeds even when no header is readable.
func TestReproducibleAndCached(t *testing.T) {
	rpms := t.TempDir()
	universe(t, rpms, 50)
	pkgs := pkgsOf(t, rpms, nil)
	cache := t.TempDir()
	_, first := build(t, &sdk.BuildRequest{Packages: pkgs, CacheDir: cache}, nil)
	_, second := build(t, &sdk.BuildRequest{Packages: pkgs, CacheDir: t.TempDir()}, nil)
	if diff := cmp.Diff(first.Manifest, second.Manifest); diff != "" {
		t.Errorf("two builds differ:\n%s", diff)
	}
	for _, p := range pkgs {
		data, err := os.ReadFile(p.Path)
		if err != nil {
			t.Fatal(err)
		}
		copy(data, make([]byte, 200)) // no lead, no header
		if err := os.WriteFile(p.Path+".broken", data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range pkgs {
		pkgs[i].Path += ".broken"
	}
	cachesMu.Lock()
	delete(caches, cache) // read the cache from its file, as a new plugin process does
	cachesMu.Unlock()
	_, third := build(t, &sdk.BuildRequest{Packages: pkgs, CacheDir: cache}, nil)
	var meta, want []string
	for _, f := range third.Manifest {
		if strings.Contains(f.Path, "repodata/") {
			meta = append(meta, f.Path+" "+f.SHA256)
		}
	}
	for _, f := range first.Manifest {
		if strings.Contains(f.Path, "repodata/") {
			want = append(want, f.Path+" "+f.SHA256)
		}
	}
	if diff := cmp.Diff(want, meta); diff != "" {
		t.Errorf("metadata from the cache differs:\n%s", diff)
	}
}
