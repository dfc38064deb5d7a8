package sdktest

import (
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk/rpm"
)

// A source package built here is one as rpm tells them, with sound
// digests, and its binaries name it as their source.
func TestSourcePackage(t *testing.T) {
	dir := t.TempDir()
	src, err := BuildRPM(dir, RPM{Name: "hello", Version: "2.0", Release: "1", Arch: "x86_64", Source: true,
		Requires: []string{"gcc"}, Files: []File{{Path: "/hello.spec", Body: "Name: hello"}}})
	if err != nil {
		t.Fatal(err)
	}
	bin, err := BuildRPM(dir, RPM{Name: "hello-libs", Version: "2.0", Release: "1", Arch: "x86_64", SourceRPM: "hello-2.0-1.src.rpm",
		Files: []File{{Path: "/usr/lib64/libhello.so.1", Body: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(src, "/hello-2.0-1.src.rpm") {
		t.Errorf("source package written as %s", src)
	}
	for path, want := range map[string]string{src: "src ", bin: "x86_64 hello-2.0-1.src.rpm"} {
		p, err := rpm.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Arch() + " " + p.Header.String(rpm.TagSourceRPM); got != want {
			t.Errorf("%s reads as %q, want %q", path, got, want)
		}
	}
	NeedTool(t, "rpm")
	if out := Run(t, "rpm", "-qp", "--qf", "%{SOURCEPACKAGE} %{SOURCERPM} %{ARCH}", src); out != "1 (none) x86_64" {
		t.Errorf("rpm reads the source package as %q", out)
	}
	if out := Run(t, "rpm", "-Kv", "--nosignature", src); strings.Count(out, "digest: OK") != 2 {
		t.Errorf("rpm -K:\n%s", out)
	}
}
