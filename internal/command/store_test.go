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
