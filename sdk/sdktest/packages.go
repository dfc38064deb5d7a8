package sdktest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/parallel"
	"github.com/zclconf/go-cty/cty"
)

// Packages builds rpms into dir and describes them as selected for arch.
func Packages(t testing.TB, dir, arch string, rpms ...RPM) []sdk.Package {
	t.Helper()
	var out []sdk.Package
	for _, r := range rpms {
		path, err := BuildRPM(dir, r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Package(t, path, arch))
	}
	return out
}

// Package describes a package file named NAME-VERSION-RELEASE.ARCH.rpm,
// selected for arch, with its size and digest as strata gives them.
func Package(t testing.TB, path, arch string) sdk.Package {
	t.Helper()
	p := sdk.Package{Path: path, TargetArch: arch}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.SHA256, err = files.SHA256(path); err != nil {
		t.Fatal(err)
	}
	p.Size = fi.Size()
	name := strings.TrimSuffix(filepath.Base(path), ".rpm")
	dot := strings.LastIndexByte(name, '.')
	parts := strings.Split(name[:max(dot, 0)], "-")
	if dot < 0 || len(parts) < 3 {
		t.Fatalf("%s is not named NAME-VERSION-RELEASE.ARCH.rpm", path)
	}
	p.Arch = name[dot+1:]
	p.Name = strings.Join(parts[:len(parts)-2], "-")
	p.Version, p.Release = parts[len(parts)-2], parts[len(parts)-1]
	return p
}

// Attrs is an artifact body as strata passes it: every attribute of the
// schema, null unless set.
func Attrs(schema []sdk.Attribute, set map[string]cty.Value) cty.Value {
	m := map[string]cty.Value{}
	for _, a := range schema {
		m[a.Name] = cty.NullVal(a.Type)
	}
	for k, v := range set {
		m[k] = v
	}
	return cty.ObjectVal(m)
}

// Run runs a command the test needs (see NeedTool) and returns its
// output; a failure ends the test with that output.
func Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(NeedTool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// WriteRPMs builds every rpm into dir, on all CPUs.
func WriteRPMs(dir string, rpms []RPM) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return parallel.Do(len(rpms), func(i int) error {
		if _, err := BuildRPM(dir, rpms[i]); err != nil {
			return fmt.Errorf("%s: %w", rpms[i].Name, err)
		}
		return nil
	})
}
