package compose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/internal/addrs"
)

func artifact(t *testing.T, name, digest, content string) Artifact {
	t.Helper()
	inst, err := addrs.ParseInstance("artifact.tarball." + name)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "out.tar"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return Artifact{Addr: inst, Files: dir, Entry: &store.Entry{Key: strings.Repeat(digest, 64), ManifestDigest: digest}}
}

var info = Info{Name: "Test", Short: "T", Version: "1", Type: "production", Date: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}

func readOut(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "compose", "tarball", name, "out.tar"))
	if err != nil {
		return "missing"
	}
	return string(data)
}

// What is added while builds run is brought to the artifacts the compose
// ends with: a build that failed is removed, one whose directory went
// away while it was linked, or whose stored files differ from those
// added, is laid out again from the store.
func TestWriterFinishesWithTheListedArtifacts(t *testing.T) {
	out := t.TempDir()
	w, err := Start(out)
	if err != nil {
		t.Fatal(err)
	}
	failed := artifact(t, "failed", "a", "failed build")
	w.Add(failed)
	gone := artifact(t, "gone", "b", "")
	if err := os.RemoveAll(gone.Files); err != nil { // a build discarded: the store had it
		t.Fatal(err)
	}
	w.Add(gone)
	differs := artifact(t, "differs", "c", "first build")
	w.Add(differs)
	same := artifact(t, "same", "d", "same")
	w.Add(same)

	arts := []Artifact{artifact(t, "gone", "b", "stored"), artifact(t, "differs", "e", "stored build"), same}
	r, err := w.Finish(info, arts, true)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"failed": "missing", "gone": "stored", "differs": "stored build", "same": "same"} {
		if got := readOut(t, r.Dir, name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 2 { // the compose and latest
		t.Errorf("left in the output directory: %v", entries)
	}
	w.Abort() // after Finish, nothing
	if _, err := os.Stat(r.Dir); err != nil {
		t.Errorf("Abort after Finish: %v", err)
	}
}

// Of two artifacts placing files in one path, the one that built goes in
// when the other's build failed, whichever was added first.
func TestWriterPathOfAFailedBuild(t *testing.T) {
	for _, failedFirst := range []bool{true, false} {
		w, err := Start(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		failed, built := artifact(t, "a", "a", "failed build"), artifact(t, "b", "b", "built")
		built.Entry.Placements = placements(failed)
		if failedFirst {
			w.Add(failed)
			w.Add(built)
		} else {
			w.Add(built)
			w.Add(failed)
		}
		r, err := w.Finish(info, []Artifact{built}, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := readOut(t, r.Dir, "a"); got != "built" {
			t.Errorf("failed added first %v: compose/tarball/a/out.tar: %q, want the built artifact's", failedFirst, got)
		}
	}
}

func TestWriterRefusesTwoArtifactsOnOnePath(t *testing.T) {
	out := t.TempDir()
	w, err := Start(out)
	if err != nil {
		t.Fatal(err)
	}
	a, b := artifact(t, "b", "a", "a"), artifact(t, "a", "b", "b")
	b.Entry.Placements = a.Entry.Placements
	a.Entry.Placements = append(a.Entry.Placements, placements(b)...)
	w.Add(a)
	w.Add(b)
	_, err = w.Finish(info, []Artifact{a, b}, true)
	if err == nil || !strings.Contains(err.Error(), "artifact.tarball.a and artifact.tarball.b both place files in compose/tarball/a") {
		t.Errorf("err = %v", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("left in the output directory: %v", entries)
	}
}

// An apply with nothing to build keeps the newest compose when it holds
// the same artifacts, published to the same places, and writes a new one
// when anything differs.
func TestWriteKeepsAnUnchangedCompose(t *testing.T) {
	out := t.TempDir()
	arts := []Artifact{artifact(t, "a", "a", "x"), artifact(t, "b", "b", "y")}
	write := func(info Info, arts []Artifact, complete bool) *Result {
		t.Helper()
		r, err := Write(out, info, arts, complete)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := write(info, arts, true)
	if r := write(info, arts, true); !r.Unchanged || r.ID != first.ID {
		t.Errorf("the same artifacts: %+v, want %s unchanged", r, first.ID)
	}
	published := []Artifact{arts[0], arts[1]}
	published[1].Published, published[1].PublishedOutputs = "registry.test/b", []byte(`{"digest": "sha256:1"}`)
	other := info
	other.Version = "2"
	for _, c := range []struct {
		name     string
		arts     []Artifact
		info     Info
		complete bool
	}{
		{"another key", []Artifact{arts[0], artifact(t, "b", "c", "y")}, info, true},
		{"one artifact less", arts[:1], info, true},
		{"another version", arts, other, true},
		{"incomplete", arts, info, false},
		{"the first again", arts, info, true},
	} {
		if r := write(c.info, c.arts, c.complete); r.Unchanged {
			t.Errorf("%s: the compose %s was kept", c.name, r.ID)
		}
	}
	if r := write(info, published, true); r.Unchanged {
		t.Errorf("published after the newest compose: kept %s", r.ID)
	}
	if r := write(info, published, true); !r.Unchanged {
		t.Errorf("published as in the newest compose: a new compose %s", r.ID)
	}
}

// The temporary directory of a killed apply is removed by the next
// compose; that of a writer still at work is not.
func TestStartRemovesStaleComposes(t *testing.T) {
	out := t.TempDir()
	stale := filepath.Join(out, ".tmp-killed")
	if err := os.MkdirAll(filepath.Join(stale, "compose"), 0o755); err != nil {
		t.Fatal(err)
	}
	busy, err := Start(out)
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Abort()
	w, err := Start(out)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the killed apply's compose is still there: %v", err)
	}
	if _, err := os.Stat(busy.tmp); err != nil {
		t.Errorf("the compose being written was removed: %v", err)
	}
}

// Configurations that share an output directory each get a compose of
// their own, however their applies interleave.
func TestConcurrentComposesShareAnOutputDirectory(t *testing.T) {
	out := t.TempDir()
	const n = 8
	ids := make(chan string, n)
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			w, err := Start(out)
			if err != nil {
				errs <- err
				return
			}
			r, err := w.Finish(info, []Artifact{artifact(t, "a", "a", "content")}, true)
			if err != nil {
				errs <- err
				return
			}
			ids <- r.ID
		}()
	}
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		select {
		case err := <-errs:
			t.Error(err)
		case id := <-ids:
			if seen[id] {
				t.Errorf("compose id %s given twice", id)
			}
			seen[id] = true
		}
	}
}
