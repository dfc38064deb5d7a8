package rootfs_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/rootfs"
	"github.com/strata-build/strata/sdk/sdktest"
)

// FuzzAssemble installs arbitrary bytes, as a package beside a sound
// one, into a tree and writes it as a tar: a hostile package gives an
// error, never a panic, a path outside the tree or unbounded work.
func FuzzAssemble(f *testing.F) {
	dir := f.TempDir()
	base, err := sdktest.BuildRPM(dir, sdktest.RPM{Name: "base", Version: "1", Release: "1", Files: []sdktest.File{
		{Path: "/etc/passwd", Body: "root:x:0:0::/root:/bin/sh\n"}, {Path: "/lib", Body: "usr/lib", Mode: 0o120777},
	}})
	if err != nil {
		f.Fatal(err)
	}
	for _, r := range []sdktest.RPM{
		{Name: "tools", Version: "1", Release: "1", Files: []sdktest.File{
			{Path: "/usr/bin/ping", Body: "ELF", Mode: 0o4755, Owner: "nobody", Caps: "cap_net_raw=ep"},
			{Path: "/lib/libx.so.1", Body: "lib"}, {Path: "/usr/bin/pong", Body: "/usr/bin/ping", Mode: 0o120777},
		}},
		{Name: "z", Version: "1", Release: "1", Compressor: "zstd", Files: []sdktest.File{{Path: "/var/lib/z", Mode: 0o040700}}},
	} {
		p, err := sdktest.BuildRPM(dir, r)
		if err != nil {
			f.Fatal(err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "fuzzed.rpm")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		tree, err := rootfs.Assemble(ctx, []sdk.Package{{Path: base}, {Path: path}}, t.TempDir())
		if err != nil {
			return
		}
		for _, e := range tree.Entries() {
			if !filepath.IsLocal(e.Path) && e.Path != "" {
				t.Fatalf("entry %q is outside the tree", e.Path)
			}
		}
		rootfs.WriteTar(ctx, io.Discard, tree, rootfs.TarOptions{MTime: 1})
	})
}
