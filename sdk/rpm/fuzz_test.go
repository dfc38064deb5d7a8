package rpm_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-build/strata/sdk/rpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

// FuzzRead feeds arbitrary bytes through every reader of this package: it
// must return errors, never panic or allocate without bound.
func FuzzRead(f *testing.F) {
	for _, path := range seedRPMs(f) {
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
		_, _ = p.SigKeyID()
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

// seedRPMs are packages to start fuzzing from: generated ones (a
// dependency of each kind, a hard link, a symbolic link, capabilities,
// zstd) and, beside a checkout that has it, rpm's own test packages.
func seedRPMs(f *testing.F) []string {
	dir := f.TempDir()
	var paths []string
	for _, r := range []sdktest.RPM{
		{Name: "seed", Version: "1", Release: "1", Requires: []string{"a >= 1", "(b or c)"}, Provides: []string{"seed(x) = 1"},
			Files: []sdktest.File{{Path: "/usr/bin/seed", Body: "ELF", Mode: 0o4755, Caps: "cap_net_raw=ep"}, {Path: "/usr/bin/alias", Body: "seed", Mode: 0o120777}}},
		{Name: "zseed", Version: "2", Release: "1", Arch: "x86_64", Compressor: "zstd", Files: []sdktest.File{{Path: "/etc/z.conf", Body: "z", Config: true}}},
	} {
		p, err := sdktest.BuildRPM(dir, r)
		if err != nil {
			f.Fatal(err)
		}
		paths = append(paths, p)
	}
	shared, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "testdata", "rpms", "*.rpm"))
	return append(paths, shared...)
}
