package yumrepo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/host"
	"github.com/strata-build/strata/sdk/rpm"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// pkgsOf describes every RPM in dir for a build request, selected for
// x86_64 (src packages and other arches included, as createrepo_c
// includes whatever the directory holds).
func pkgsOf(t testing.TB, dir string, modules map[string][]string) []sdk.Package {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.rpm"))
	var out []sdk.Package
	for _, p := range paths {
		h, err := rpm.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := files.SHA256(p)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(p)
		e, _ := h.Epoch()
		out = append(out, sdk.Package{Name: h.Name(), Epoch: e, Version: h.Version(), Release: h.Release(), Arch: h.Arch(),
			Path: p, SHA256: sum, Size: st.Size(), BuildTime: h.BuildTime(), TargetArch: "x86_64", Modules: modules[h.Name()]})
	}
	return out
}

// build runs the plugin in process, over the protocol, into a fresh
// directory, and returns the x86_64 repository's path.
func build(t testing.TB, req *sdk.BuildRequest, config map[string]cty.Value) (string, *host.BuildResult) {
	t.Helper()
	client := sdktest.Connect(t, Plugin())
	if req.OutputDir == "" {
		req.OutputDir = t.TempDir()
	}
	req.WorkDir = t.TempDir()
	if req.CacheDir == "" {
		req.CacheDir = t.TempDir()
	}
	if req.Address == "" {
		req.Address = "artifact.yumrepo.test"
	}
	if req.Timestamp == 0 {
		req.Timestamp = 1764000000
	}
	attrs := map[string]cty.Value{
		"compression": cty.NullVal(cty.String), "changelog_limit": cty.NullVal(cty.Number),
		"comps": cty.NullVal(cty.Bool), "modulemd": cty.NullVal(cty.Bool),
	}
	for k, v := range config {
		attrs[k] = v
	}
	req.Config = cty.ObjectVal(attrs)
	res, err := client.Build(context.Background(), "yumrepo", req, &sdktest.Recorder{})
	if err != nil {
		t.Fatal(err)
	}
	// Metadata is readable by all, as createrepo_c leaves it.
	meta, _ := filepath.Glob(filepath.Join(req.OutputDir, "x86_64", "repodata", "*"))
	for _, m := range meta {
		if fi, err := os.Stat(m); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644 (%v)", m, fi.Mode(), err)
		}
	}
	return filepath.Join(req.OutputDir, "x86_64"), res
}

// universe generates n packages whose dependencies are closed: sonames,
// versioned requirements, file requirements and rich dependencies.
func universe(t testing.TB, dir string, n int) {
	t.Helper()
	var specs []sdktest.RPM
	for i := 0; i < n; i++ {
		s := sdktest.RPM{
			Name: fmt.Sprintf("gen%03d", i), Version: fmt.Sprintf("%d.%d", 1+i%3, i%7), Release: fmt.Sprintf("%d.fc41", 1+i%2),
			Arch: []string{"x86_64", "noarch"}[i%2], Epoch: uint32(i % 5 / 4), Summary: fmt.Sprintf("Generated package %d <%d>", i, i),
			Provides: []string{fmt.Sprintf("libgen%03d.so.%d()(64bit)", i, 1+i%2)},
			Files: []sdktest.File{
				{Path: fmt.Sprintf("/usr/bin/gen%03d", i), Body: "#!/bin/sh\n", Mode: 0o755},
				{Path: fmt.Sprintf("/usr/share/gen%03d", i), Mode: 0o40755},
				{Path: fmt.Sprintf("/usr/share/gen%03d/data-%d", i, i), Body: strings.Repeat("d", i%50)},
				{Path: fmt.Sprintf("/etc/gen%03d.conf", i), Body: "x=1\n", Config: true},
			},
		}
		if i > 0 {
			s.Requires = append(s.Requires, fmt.Sprintf("libgen%03d.so.%d()(64bit)", i-1, 1+(i-1)%2))
		}
		if i > 2 {
			s.Requires = append(s.Requires, fmt.Sprintf("gen%03d >= 1.0", i/2), fmt.Sprintf("/usr/bin/gen%03d", i/3))
		}
		if i%10 == 5 {
			s.Requires = append(s.Requires, fmt.Sprintf("(gen%03d or gen%03d)", i-1, i-2))
		}
		specs = append(specs, s)
	}
	if err := sdktest.WriteRPMs(dir, specs); err != nil {
		t.Fatal(err)
	}
}
