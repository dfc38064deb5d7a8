package rpmdb

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk/rpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

// installable are the shared packages one root can hold: no source
// package, one package per NEVRA (obsolete-foo's header says foo-1.0-1).
var installable = []string{
	"Archer-3.4.5-6.x86_64.rpm", "balicek-utf8-1.1.1-1.x86_64.rpm", "capstest-1.0-1.noarch.rpm",
	"empty-0-0.x86_64.rpm", "fake_bash-1.1.1-1.x86_64.rpm", "foo-1.0-1.noarch.rpm",
	"hello-2.0-1.x86_64.rpm", "hlinktest-1.0-1.noarch.rpm",
	"super_kernel-6.0.1-2.x86_64.rpm",
}

// testPackages are the shared packages and generated ones with every
// kind of dependency, a trigger-less scriptlet and a group-less header.
func testPackages(t *testing.T) []string {
	dir := filepath.Join(sdktest.SharedTestdata(t), "rpms")
	var files []string
	for _, f := range installable {
		files = append(files, filepath.Join(dir, f))
	}
	gen := t.TempDir()
	for _, r := range []sdktest.RPM{
		{Name: "deps", Version: "1", Release: "1", Requires: []string{"foo >= 1.0", "/bin/sh", "(a or b)"},
			Provides: []string{"virtual(x) = 2"}, Conflicts: []string{"old"}, Obsoletes: []string{"older < 2"},
			Recommends: []string{"rec", "(r1 >= 1.0 if r2)", "(e if f else g)", "(h unless i else j)", "(o or (p if q))"},
			Suggests:   []string{"sug", "(s1 with s2)", "(k without l)", "(r and (s unless t))"}, PostIn: "echo hi",
			Files: []sdktest.File{{Path: "/usr/share/deps/a", Body: "a"}, {Path: "/usr/share/deps/b", Body: "b"}}},
	} {
		path, err := sdktest.BuildRPM(gen, r)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	return files
}

func readAll(t *testing.T, files []string) []*rpm.Package {
	var out []*rpm.Package
	for _, f := range files {
		p, err := rpm.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// TestAgreesWithRPM writes a database and has rpm write one for the same
// packages (rpm -i --justdb): every index holds the same keys for the
// same packages, and rpm reads ours.
func TestAgreesWithRPM(t *testing.T) {
	rpmCmd := sdktest.NeedTool(t, "rpm")
	sqlite := sdktest.NeedTool(t, "sqlite3")
	files := testPackages(t)

	ours := t.TempDir()
	if err := Write(filepath.Join(ours, Path), readAll(t, files)); err != nil {
		t.Fatal(err)
	}
	theirs := t.TempDir()
	run(t, rpmCmd, "--root", theirs, "--dbpath", "/usr/lib/sysimage/rpm", "--initdb")
	run(t, rpmCmd, append([]string{"--root", theirs, "--dbpath", "/usr/lib/sysimage/rpm", "-i", "--justdb",
		"--nodeps", "--noscripts", "--nosignature", "--nodigest", "--ignorearch", "--ignoreos"}, files...)...)

	if out := run(t, sqlite, filepath.Join(ours, Path), "PRAGMA integrity_check"); strings.TrimSpace(out) != "ok" {
		t.Errorf("integrity_check of our database:\n%s", out)
	}
	if diff := cmp.Diff(schema(t, sqlite, theirs), schema(t, sqlite, ours)); diff != "" {
		t.Errorf("schema differs from rpm's (-rpm +ours):\n%s", diff)
	}
	for _, ix := range indexes {
		if ix.table == "Installtid" || ix.table == "Sigmd5" || ix.table == "Sha1header" {
			continue // from tags rpm adds while installing
		}
		want, got := rows(t, sqlite, theirs, ix.table), rows(t, sqlite, ours, ix.table)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s index differs from rpm's (-rpm +ours):\n%s", ix.table, diff)
		}
	}

	qa := strings.Fields(run(t, rpmCmd, "--root", ours, "--dbpath", "/usr/lib/sysimage/rpm", "-qa"))
	sort.Strings(qa)
	var want []string
	for _, p := range readAll(t, files) {
		want = append(want, p.Name()+"-"+p.Version()+"-"+p.Release()+"."+p.Arch())
	}
	sort.Strings(want)
	if diff := cmp.Diff(want, qa); diff != "" {
		t.Errorf("rpm -qa on our database (-want +got):\n%s", diff)
	}
	if out := run(t, rpmCmd, "--root", ours, "--dbpath", "/usr/lib/sysimage/rpm", "-q", "--whatprovides", "virtual(x)"); !strings.HasPrefix(out, "deps-1-1.noarch") {
		t.Errorf("rpm -q --whatprovides virtual(x) = %q, want deps-1-1.noarch", out)
	}
	if out := run(t, rpmCmd, "--root", ours, "--dbpath", "/usr/lib/sysimage/rpm", "-qf", "/usr/share/deps/b"); !strings.HasPrefix(out, "deps-1-1.noarch") {
		t.Errorf("rpm -qf /usr/share/deps/b = %q, want deps-1-1.noarch", out)
	}
}

// TestManyPackages has rpm read a database whose tables and indexes
// span many pages: every header is listed, and a file is found through
// the Basenames index.
func TestManyPackages(t *testing.T) {
	rpmCmd := sdktest.NeedTool(t, "rpm")
	sqlite := sdktest.NeedTool(t, "sqlite3")
	one := readAll(t, testPackages(t))
	var pkgs []*rpm.Package
	for range 300 {
		pkgs = append(pkgs, one...)
	}
	root := t.TempDir()
	if err := Write(filepath.Join(root, Path), pkgs); err != nil {
		t.Fatal(err)
	}
	if out := run(t, sqlite, filepath.Join(root, Path), "PRAGMA integrity_check"); strings.TrimSpace(out) != "ok" {
		t.Fatalf("integrity_check:\n%s", out)
	}
	if pages := strings.TrimSpace(run(t, sqlite, filepath.Join(root, Path), "PRAGMA page_count")); len(pages) < 4 { // under 1,000
		t.Fatalf("the database has %s pages; the test wants over a thousand", pages)
	}
	if qa := strings.Fields(run(t, rpmCmd, "--root", root, "--dbpath", "/usr/lib/sysimage/rpm", "-qa")); len(qa) != len(pkgs) {
		t.Errorf("rpm -qa lists %d packages, want %d", len(qa), len(pkgs))
	}
	out := strings.Fields(run(t, rpmCmd, "--root", root, "--dbpath", "/usr/lib/sysimage/rpm", "-qf", "/usr/share/deps/b"))
	if want := slices.Repeat([]string{"deps-1-1.noarch"}, 300); !slices.Equal(out, want) {
		t.Errorf("rpm -qf /usr/share/deps/b lists %d packages %.60q, want 300 of deps-1-1.noarch", len(out), out)
	}
}

// TestReproducible writes the same database twice.
func TestReproducible(t *testing.T) {
	pkgs := readAll(t, testPackages(t))
	var dbs [][]byte
	for range 2 {
		path := filepath.Join(t.TempDir(), Path)
		if err := Write(path, pkgs); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		dbs = append(dbs, data)
		if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
			t.Errorf("files beside the database: %v", entries)
		}
	}
	if !bytes.Equal(dbs[0], dbs[1]) {
		t.Error("two databases of the same packages differ")
	}
}

func TestRefusesExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rpmdb.sqlite")
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, nil); err == nil {
		t.Fatal("Write over an existing file succeeded")
	}
	if data, _ := os.ReadFile(path); string(data) != "x" {
		t.Error("the existing file was changed")
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func schema(t *testing.T, sqlite, root string) []string {
	out := run(t, sqlite, filepath.Join(root, Path), ".schema")
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		// rpm's PRAGMA optimize leaves statistics behind on close;
		// rpm needs none to read the database.
		if !strings.Contains(l, "sqlite_stat1") {
			lines = append(lines, l)
		}
	}
	sort.Strings(lines)
	return lines
}

// rows lists an index as "key package idx", package by name-version.
func rows(t *testing.T, sqlite, root, table string) []string {
	q := "SELECT quote(i.key), i.idx, p.hnum FROM '" + table + "' i JOIN Packages p ON p.hnum = i.hnum"
	out := run(t, sqlite, "-separator", " ", filepath.Join(root, Path), q)
	names := nevras(t, sqlite, root)
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		f := strings.Fields(l)
		hnum := f[len(f)-1]
		lines = append(lines, strings.Join(f[:len(f)-1], " ")+" "+names[hnum])
	}
	sort.Strings(lines)
	return lines
}

// nevras maps hnum to the NEVRA in the package's header blob.
func nevras(t *testing.T, sqlite, root string) map[string]string {
	out := run(t, sqlite, "-separator", " ", filepath.Join(root, Path), "SELECT hnum, hex(blob) FROM Packages")
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(l)
		m[f[0]] = blobNEVRA(t, f[1])
	}
	return m
}

func blobNEVRA(t *testing.T, hexBlob string) string {
	b, err := hex.DecodeString(hexBlob)
	if err != nil {
		t.Fatal(err)
	}
	h, err := rpm.ReadBlob(b)
	if err != nil {
		t.Fatal(err)
	}
	return (&rpm.Package{Header: h}).NEVRA()
}
