package yumrepo

import (
	"testing"

	"github.com/strata-build/strata/format/repodata"
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
