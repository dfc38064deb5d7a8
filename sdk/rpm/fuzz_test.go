package rpm_test

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/strata-build/strata/sdk/rpm"
)

// FuzzRead feeds arbitrary bytes through every reader of this package: it
// must return errors, never panic or allocate without bound.
func FuzzRead(f *testing.F) {
	for _, path := range sharedRPMs(&testing.T{}) {
		if data, err := os.ReadFile(path); err == nil && len(data) < 16<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		p, err := rpm.Read(r)
		if err != nil {
			return
		}
		_ = p.NEVRA()
		_ = p.Files()
		for k := rpm.Provides; k <= rpm.Enhances; k++ {
			for _, d := range p.Deps(k) {
				_ = d.String()
			}
		}
		pr, err := p.Payload(r)
		if err != nil {
			return
		}
		defer pr.Close()
		for i := 0; i < 1000; i++ {
			if _, err := pr.Next(); err != nil {
				return
			}
			if _, err := io.Copy(io.Discard, io.LimitReader(pr, 1<<20)); err != nil {
				return
			}
		}
	})
}
