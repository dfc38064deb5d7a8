package yumrepo

import (
	"strings"
	"testing"

	"github.com/strata-build/strata/format/repodata"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/kvpack"
)

// A record gives back every field; a cut or lengthened one is refused.
func TestMetaRecord(t *testing.T) {
	rec := encodeMeta(repodata.Chunks{Primary: "<p/>\n", Filelists: "<f/>\n", Other: ""}, "a-1-1.src.rpm", "MIT", "why")
	m, err := decodeMeta(rec)
	if err != nil {
		t.Fatal(err)
	}
	if string(m.chunk("primary")) != "<p/>\n" || string(m.chunk("filelists")) != "<f/>\n" || len(m.chunk("other")) != 0 ||
		m.SourceRPM != "a-1-1.src.rpm" || m.License != "MIT" || m.Dropped != "why" {
		t.Errorf("decoded %+v", m)
	}
	for n := range len(rec) {
		if _, err := decodeMeta(rec[:n]); err == nil {
			t.Errorf("a record cut to %d of %d bytes decoded", n, len(rec))
		}
	}
	if _, err := decodeMeta(append(rec, 0)); err == nil {
		t.Error("a record with a byte too many decoded")
	}
}

// Fragments the cache held are read again from the pack as the metadata
// is written; when the pack was closed meanwhile (another build of the
// process saved it), the package is read again, to the same fragment.
func TestFragmentsReadAgain(t *testing.T) {
	rpms, cache := t.TempDir(), t.TempDir()
	universe(t, rpms, 5)
	pkgs := pkgsOf(t, rpms, nil)
	build(t, &sdk.BuildRequest{Packages: pkgs, CacheDir: cache}, nil)
	cachesMu.Lock()
	delete(caches, cache)
	cachesMu.Unlock()
	b := &builder{req: &sdk.BuildRequest{PoolPackages: true}, cfg: config{changelogLimit: 10}, cache: cacheFor(cache)}
	entries, err := b.addPackages(t.TempDir(), pkgs)
	if err != nil {
		t.Fatal(err)
	}
	var cur kvpack.Cursor
	var want []string
	for _, e := range entries {
		if e.ref.IsZero() || e.meta.Primary != nil {
			t.Fatalf("%s: not left in the cache (ref %v, %d bytes held)", e.filename, e.ref, len(e.meta.Primary))
		}
		f, err := b.fragment(&cur, e, "primary")
		if err != nil || !strings.Contains(string(f), "<name>"+e.pkg.Name+"</name>") {
			t.Fatalf("%s: %q, %v", e.filename, f, err)
		}
		want = append(want, string(f))
	}
	b.cache.pack.Close()
	for i, e := range entries {
		f, err := b.fragment(&kvpack.Cursor{}, e, "primary")
		if err != nil || string(f) != want[i] {
			t.Errorf("%s after the pack closed: %q, %v", e.filename, f, err)
		}
	}
}
