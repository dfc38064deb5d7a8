package repodata

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/rpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

// readRepo reads a repository's primary and filelists metadata as the
// core does: repomd.xml's records, each file decompressed by its name.
func readRepo(t *testing.T, dir string) map[string]*Package {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "repodata", "repomd.xml"))
	if err != nil {
		t.Fatal(err)
	}
	records, err := ReadRepomd(data)
	if err != nil {
		t.Fatal(err)
	}
	open := func(typ string) *os.File {
		for _, r := range records {
			if r.Type == typ {
				f, err := os.Open(filepath.Join(dir, filepath.FromSlash(r.Href)))
				if err != nil {
					t.Fatal(err)
				}
				return f
			}
		}
		t.Fatalf("repomd.xml lists no %s", typ)
		return nil
	}
	byID := map[string]*Package{}
	f := open("primary")
	rc, err := Decompress(f.Name(), f)
	if err != nil {
		t.Fatal(err)
	}
	err = ReadPrimary(rc, func(p *Package) error { byID[p.Checksum] = p; return nil })
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	f = open("filelists")
	if rc, err = Decompress(f.Name(), f); err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	err = ReadFilelists(rc, func(id string, all []File) error {
		byID[id].Files = all
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return byID
}

// described is what FromRPM makes of every package in dir, as the
// reader gives it back: the fields primary.xml and filelists.xml hold.
func described(t *testing.T, dir string) map[string]*Package {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.rpm"))
	out := map[string]*Package{}
	for _, p := range paths {
		h, err := rpm.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(p)
		sum, err := files.SHA256(p)
		if err != nil {
			t.Fatal(err)
		}
		md := FromRPM(h, sum, st.Size(), filepath.Base(p), st.ModTime().Unix(), Options{ChangelogLimit: 10})
		if _, err := md.Chunks(); err != nil {
			continue // left out, as createrepo_c leaves it out
		}
		out[sum] = md
	}
	return out
}

// primaryOnly drops what primary.xml and filelists.xml do not hold.
var primaryOnly = cmpopts.IgnoreFields(Package{}, "Packager", "URL", "License", "Vendor", "Group", "BuildHost",
	"HeaderStart", "HeaderEnd", "Changelogs")

// What createrepo_c writes, the reader reads as FromRPM describes the
// same packages: names, versions, dependencies of every kind, every file.
// createrepo_c 0.17 marks fewer requirements pre="1" than we do (see
// createrepo_test.go), so that mark aside.
func TestReadWhatCreaterepoWrites(t *testing.T) {
	dir := t.TempDir()
	for _, r := range edgeCases() {
		if _, err := sdktest.BuildRPM(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	sdktest.Createrepo(t, dir, "--no-database")
	want := described(t, dir)
	got := readRepo(t, dir)
	if len(want) != 2 || len(got) != 2 {
		t.Fatalf("createrepo_c listed %d packages and we describe %d; want 2 each (the one with a control character is left out)", len(got), len(want))
	}
	if diff := cmp.Diff(want, got, primaryOnly, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Dep{}, "Pre")); diff != "" {
		t.Errorf("createrepo_c's metadata read back (-described +read):\n%s", diff)
	}
}

// The entries createrepo_c wrote give back the dependencies the headers
// hold, as rpm spells them: the comparison and [epoch:]version[-release].
func TestDependenciesAsTheHeadersHoldThem(t *testing.T) {
	dir := t.TempDir()
	for _, r := range edgeCases() {
		if _, err := sdktest.BuildRPM(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	sdktest.Createrepo(t, dir, "--no-database")
	paths, _ := filepath.Glob(filepath.Join(dir, "filters-*.rpm"))
	h, err := rpm.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	inHeader := map[rpm.Dependency]bool{}
	for _, k := range []rpm.Kind{rpm.Provides, rpm.Requires, rpm.Conflicts, rpm.Recommends} {
		for _, d := range h.Deps(k) {
			d.Flags &= rpm.SenseMask
			inHeader[d] = true
		}
	}
	checked := 0
	for _, p := range readRepo(t, dir) {
		if p.Name != "filters" {
			continue
		}
		for _, deps := range [][]Dep{p.Provides, p.Requires, p.Conflicts, p.Recommends} {
			for _, e := range deps {
				got := e.Dependency()
				if got.Flags == 0 {
					continue
				}
				checked++
				if !inHeader[got] {
					t.Errorf("%+v reads as %+v, which the header does not hold", e, got)
				}
			}
		}
	}
	if checked < 4 {
		t.Errorf("only %d versioned dependencies were compared", checked)
	}
}

// What the writer writes, the reader reads back unchanged, and dnf lists
// the same packages with the same requirements from it.
func TestWriteReadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, r := range edgeCases() {
		if _, err := sdktest.BuildRPM(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	want := described(t, dir)
	if err := os.MkdirAll(filepath.Join(dir, "repodata"), 0o755); err != nil {
		t.Fatal(err)
	}
	var primary, filelists, other strings.Builder
	primary.WriteString(Head("primary", len(want)))
	filelists.WriteString(Head("filelists", len(want)))
	other.WriteString(Head("other", len(want)))
	for _, p := range want {
		c, err := p.Chunks()
		if err != nil {
			t.Fatal(err)
		}
		primary.WriteString(c.Primary)
		filelists.WriteString(c.Filelists)
		other.WriteString(c.Other)
	}
	var records []Record
	for kind, doc := range map[string]string{"primary": primary.String() + Tail("primary"),
		"filelists": filelists.String() + Tail("filelists"), "other": other.String() + Tail("other")} {
		doc := doc
		r, err := WriteFile(filepath.Join(dir, "repodata"), kind, "xml", Zstd, 1700000000, func(w io.Writer) error {
			_, err := io.WriteString(w, doc)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		records = append(records, r)
	}
	f, err := os.Create(filepath.Join(dir, "repodata", "repomd.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteRepomd(f, 1700000000, records); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if diff := cmp.Diff(want, readRepo(t, dir), primaryOnly, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("our metadata read back (-written +read):\n%s", diff)
	}
	out, ok := sdktest.DNF(t, map[string]string{"r": dir}, "repoquery", "--qf", "%{name}-%{evr} %{requires}", "--requires", "filters")
	if !ok || !strings.Contains(out, "epoch >= 3:1.0-1") || !strings.Contains(out, "(rich or dep)") {
		t.Errorf("dnf does not read the requirements we wrote:\n%s", out)
	}
}
