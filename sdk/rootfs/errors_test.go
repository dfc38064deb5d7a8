package rootfs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk/rootfs"
	"github.com/strata-build/strata/sdk/sdktest"
)

func TestAssembleRefuses(t *testing.T) {
	cases := []struct {
		name string
		rpms []sdktest.RPM
		want string
	}{{
		name: "escaping path",
		rpms: []sdktest.RPM{{Name: "evil", Version: "1", Release: "1", Files: []sdktest.File{
			{Path: "/usr/../../etc/shadow", Body: "x"},
		}}},
		want: `evil-1-1.noarch: path "/usr/../../etc/shadow" escapes the root`,
	}, {
		name: "name too long",
		rpms: []sdktest.RPM{{Name: "long", Version: "1", Release: "1", Files: []sdktest.File{
			{Path: "/usr/share/" + strings.Repeat("n", 256), Body: "x"},
		}}},
		want: "long-1-1.noarch: path \"/usr/share/nnn",
	}, {
		name: "conflicting content",
		rpms: []sdktest.RPM{
			{Name: "a", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/etc/x.conf", Body: "a"}}},
			{Name: "b", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/etc/x.conf", Body: "b"}}},
		},
		want: "file conflict: /etc/x.conf is installed by a-1-1.noarch and by b-1-1.noarch with different content",
	}, {
		name: "conflicting modes",
		rpms: []sdktest.RPM{
			{Name: "a", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/etc/x.conf", Body: "a", Mode: 0o600}}},
			{Name: "b", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/etc/x.conf", Body: "a", Mode: 0o644}}},
		},
		want: "different modes (0600, 0644)",
	}, {
		name: "file where a directory must be",
		rpms: []sdktest.RPM{
			{Name: "a", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/opt", Body: "file"}}},
			{Name: "b", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/opt/tool", Body: "x"}}},
		},
		want: "/opt is a file, so /opt cannot be a directory",
	}, {
		name: "symlink loop",
		rpms: []sdktest.RPM{
			{Name: "a", Version: "1", Release: "1", Files: []sdktest.File{
				{Path: "/x", Body: "y", Mode: 0o120777}, {Path: "/y", Body: "x", Mode: 0o120777},
			}},
			{Name: "b", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/x/file", Body: "x"}}},
		},
		want: "too many levels of symbolic links",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := rootfs.Assemble(context.Background(), buildPackages(t, c.rpms...), t.TempDir())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

// An absolute symlink target resolves inside the tree, never on the host.
func TestAbsoluteLinkStaysInside(t *testing.T) {
	pkgs := buildPackages(t,
		sdktest.RPM{Name: "a", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/data", Body: "/tmp", Mode: 0o120777}}},
		sdktest.RPM{Name: "b", Version: "1", Release: "1", Files: []sdktest.File{{Path: "/data/inside", Body: "x"}}},
	)
	tree, err := rootfs.Assemble(context.Background(), pkgs, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if e := tree.Lookup("tmp/inside"); e == nil || e.Kind != rootfs.File {
		t.Errorf("/data/inside should land at /tmp/inside inside the tree, got %+v", e)
	}
}
