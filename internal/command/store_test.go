package command_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// storeFile is the path of a file of the store entry an artifact's state
// names.
func storeFile(t *testing.T, p *project, addr, name string) string {
	t.Helper()
	key := p.planJSON()[addr].Key
	return p.path(".strata", "store", key, "files", name)
}

// A store entry whose files changed is not trusted: the plan rebuilds it
// and says why, the compose gets the rebuilt files, and strata verify
// finds what the plan's cheap check cannot (a change with its time put
// back). Stored files are read-only.
func TestStoreIsVerified(t *testing.T) {
	p := probeProject(t, `
artifact "probe" "a" {
  message = "a"
}
`)
	p.ok("apply", "-auto-approve")
	report := storeFile(t, p, "artifact.probe.a", "report.txt")
	want := p.read("out", "latest", "compose", "probe", "a", "report.txt")
	if st, err := os.Stat(report); err != nil || st.Mode().Perm()&0o222 != 0 {
		t.Fatalf("stored file %v, err %v: want read-only", st.Mode(), err)
	}
	if out := p.ok("verify"); !strings.Contains(out, "Everything matches") {
		t.Errorf("verify of a sound store:\n%s", out)
	}

	tamper := func(keepTime bool) {
		t.Helper()
		st, err := os.Stat(report)
		if err != nil {
			t.Fatal(err)
		}
		data := []byte(want)
		data[0] ^= 1
		os.Chmod(report, 0o644)
		if err := os.WriteFile(report, data, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chmod(report, st.Mode().Perm())
		if keepTime {
			os.Chtimes(report, st.ModTime(), st.ModTime())
		}
	}

	// Changed in place through the compose's hard link, time and all.
	tamper(false)
	c := p.planJSON()["artifact.probe.a"]
	if c.Action != "rebuild" || len(c.Reasons) == 0 || !strings.Contains(c.Reasons[0], "damaged") || !strings.Contains(c.Reasons[0], "report.txt") {
		t.Fatalf("plan after a stored byte flipped: %+v", c)
	}
	p.ok("apply", "-auto-approve")
	if got := p.read("out", "latest", "compose", "probe", "a", "report.txt"); got != want {
		t.Errorf("the new compose holds %q, want the rebuilt %q", got, want)
	}
	if s := p.read("out", "latest", "STATUS"); s != "FINISHED\n" {
		t.Errorf("STATUS %q", s)
	}
	if c := p.planJSON()["artifact.probe.a"]; c.Action != "up_to_date" {
		t.Errorf("plan after the rebuild: %+v", c)
	}

	// Changed with its time put back: only verify sees it.
	report = storeFile(t, p, "artifact.probe.a", "report.txt")
	tamper(true)
	out, _, code := p.run("verify")
	if code != 1 || !strings.Contains(out, "report.txt was changed after it was stored") || !strings.Contains(out, "compose Compose-1-20261125.1: artifact.probe.a: compose/probe/a/report.txt") {
		t.Errorf("verify exit %d:\n%s", code, out)
	}

	// A file deleted from the entry.
	os.Remove(report)
	if c := p.planJSON()["artifact.probe.a"]; c.Action != "rebuild" || !strings.Contains(strings.Join(c.Reasons, " "), "no such file") {
		t.Errorf("plan after a stored file was removed: %+v", c)
	}
	p.ok("apply", "-auto-approve")
	if got := p.read("out", "latest", "compose", "probe", "a", "report.txt"); got != want {
		t.Errorf("compose after the rebuild holds %q", got)
	}
	p.ok("verify")
}

// A plugin that writes through the hard links of its previous build
// would change the stored entry, and every compose that links it: the
// build fails naming what it did, and the entry it damaged is built again.
func TestPluginWritingThroughItsPreviousBuild(t *testing.T) {
	p := probeProject(t, `
artifact "probe" "a" {
  message  = "one"
}
`)
	p.ok("apply", "-auto-approve")
	first := storeFile(t, p, "artifact.probe.a", "report.txt")
	p.write(map[string]string{"main.hcl": probeBase + `
artifact "probe" "a" {
  message  = "two"
  behavior = "write-previous"
}
`})
	time.Sleep(10 * time.Millisecond)
	errOut := p.fails(1, "apply", "-auto-approve")
	contains(t, "apply stderr", errOut, "changed the files of its previous build")
	if _, err := os.Stat(first); !os.IsNotExist(err) {
		t.Errorf("the damaged entry is still in the store: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(filepath.Dir(first))); !os.IsNotExist(err) {
		t.Errorf("the damaged entry is still in the store")
	}
}

// A repository's packages are held once, in the store's pool: its entry
// holds the metadata its plugin wrote, the compose every file (dnf reads
// it in TestEverythingGlob). A package file changed in place is the pool
// file changed: strata verify finds it when its time was put back, and
// the plan refuses the package once its time tells.
func TestRepositoryPackagesArePooled(t *testing.T) {
	p := newProject(t, map[string]string{"main.hcl": everythingConfig}, treeSpecs())
	p.ok("init")
	p.ok("apply", "-auto-approve")
	if _, err := os.Stat(storeFile(t, p, "artifact.yumrepo.everything", "x86_64/Packages")); !os.IsNotExist(err) {
		t.Errorf("the repository's entry holds its packages: %v", err)
	}
	pooled, _ := filepath.Glob(p.path(".strata", "pool", "*", "*"))
	if len(pooled) != 5 { // everything's five; hello's three are among them
		t.Errorf("the pool holds %d files, want 5: %v", len(pooled), pooled)
	}
	hello := p.path("rpms", "hello-2.0-1.x86_64.rpm")
	composed := p.path("out", "latest", "compose", "hello", "x86_64", "os", "Packages", "h", "hello-2.0-1.x86_64.rpm")
	for _, f := range []string{composed, p.path("out", "latest", "compose", "everything", "x86_64", "os", "Packages", "h", "hello-2.0-1.x86_64.rpm")} {
		if !sameFile(t, hello, f) {
			t.Errorf("%s is not the package file", f)
		}
	}
	if out := p.ok("verify"); !strings.Contains(out, "Everything matches") {
		t.Errorf("verify:\n%s", out)
	}
	contains(t, "show", p.ok("show", "artifact.yumrepo.hello"), "files (", "3 of them in the store's package pool",
		"x86_64/Packages/h/hello-2.0-1.x86_64.rpm", "(pool)")

	st, err := os.Stat(hello)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(hello)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-1] ^= 1
	if err := os.WriteFile(hello, data, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(hello, st.ModTime(), st.ModTime())
	out, _, code := p.run("verify")
	if code != 1 || !strings.Contains(out, "in the pool") || !strings.Contains(out, "x86_64/Packages/h/hello-2.0-1.x86_64.rpm") {
		t.Errorf("verify after a pooled package changed, its time put back: exit %d\n%s", code, out)
	}
	os.Chtimes(hello, time.Now(), time.Now())
	contains(t, "plan after a pooled package changed", p.fails(1, "plan"), "Damaged package",
		"hello-2.0-1.x86_64.rpm is damaged: its payload digest does not match")
}

// sameFile says two paths are one file.
func sameFile(t *testing.T, a, b string) bool {
	t.Helper()
	sa, err := os.Stat(a)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := os.Stat(b)
	if err != nil {
		t.Fatal(err)
	}
	return os.SameFile(sa, sb)
}
