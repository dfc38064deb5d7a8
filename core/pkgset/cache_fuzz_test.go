package pkgset

import (
	"reflect"
	"testing"

	"github.com/strata-build/strata/sdk/rpm"
)

// A header cache record, however damaged, decodes to a package or to a
// miss; never a panic. What decodes encodes again to a record that
// decodes to the same package.
func FuzzCacheRecord(f *testing.F) {
	f.Add(encodePackage(&Package{Name: "bash", Version: "5.2", Release: "1", Arch: "x86_64", Files: "/usr/bin/bash",
		Provides: []rpm.Dependency{{Name: "bash", Flags: rpm.SenseEqual, Version: "5.2-1"}},
		Requires: []rpm.Dependency{{Name: "(glibc or musl)"}}, Supplements: []rpm.Dependency{{Name: "x"}}}))
	f.Add(encodePackage(&Package{}))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, ok := decodePackage(b, newInterner())
		if !ok {
			return
		}
		again, ok := decodePackage(encodePackage(p), nil)
		if !ok || !reflect.DeepEqual(again, p) {
			t.Fatalf("%+v encoded and decoded again is %+v (%v)", p, again, ok)
		}
	})
}
