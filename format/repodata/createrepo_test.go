package repodata

import (
	"compress/gzip"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk/sdktest"
)

// createrepo runs createrepo_c on dir and returns its primary, filelists
// and other XML split into package elements, keyed by pkgid and name.
func createrepo(t *testing.T, dir string) map[string][3]string {
	t.Helper()
	bin := sdktest.NeedTool(t, "createrepo_c")
	if out, err := exec.Command(bin, "-q", "--no-database", "--simple-md-filenames", dir).CombinedOutput(); err != nil {
		t.Fatalf("createrepo_c: %v\n%s", err, out)
	}
	out := map[string][3]string{}
	for i, kind := range []string{"primary", "filelists", "other"} {
		f, err := os.Open(filepath.Join(dir, "repodata", kind+".xml.gz"))
		if err != nil {
			t.Fatal(err)
		}
		z, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(z)
		f.Close()
		for _, chunk := range splitPackages(string(data)) {
			k := packageKey(chunk)
			v := out[k]
			v[i] = chunk
			out[k] = v
		}
	}
	return out
}

var (
	pkgidRE = regexp.MustCompile(`(?:pkgid="YES">|pkgid=")([0-9a-f]{64})`)
	nameRE  = regexp.MustCompile(`<name>([^<]*)</name>|name="([^"]*)" arch`)
)

func packageKey(chunk string) string {
	n := nameRE.FindStringSubmatch(chunk)
	return pkgidRE.FindStringSubmatch(chunk)[1] + " " + n[1] + n[2]
}

// splitPackages cuts a metadata file into its <package> elements, each
// with its final newline, as our chunks are.
func splitPackages(doc string) []string {
	var out []string
	for {
		i := strings.Index(doc, "<package")
		if i < 0 {
			return out
		}
		doc = doc[i:]
		j := strings.Index(doc, "</package>\n")
		out = append(out, doc[:j+len("</package>\n")])
		doc = doc[j+len("</package>\n"):]
	}
}

// ours renders every RPM in dir as createrepo_c would lay it out: at the
// top of the repository, dated by its file.
func ours(t *testing.T, dir string) map[string][3]string {
	t.Helper()
	out := map[string][3]string{}
	for _, md := range described(t, dir) {
		c, err := md.Chunks()
		if err != nil {
			t.Fatal(err)
		}
		out[packageKey(c.Primary)] = [3]string{c.Primary, c.Filelists, c.Other}
	}
	return out
}

// createrepo_c 0.17 marks only %pre/%post requirements pre="1"; we follow
// 1.1.1+, which marks %pretrans and %posttrans ones too. dnf does not show
// the difference; the comparison leaves the attribute out.
var preRE = regexp.MustCompile(` pre="1"`)

func normalise(m map[string][3]string) map[string][3]string {
	for k, v := range m {
		v[0] = preRE.ReplaceAllString(v[0], "")
		m[k] = v
	}
	return m
}

// Our metadata of every package is what createrepo_c writes for it, byte
// for byte: the shared RPMs of rpm's and createrepo_c's suites, and
// generated ones for what those lack.
func TestMetadataMatchesCreaterepo(t *testing.T) {
	dir := t.TempDir()
	shared := filepath.Join(sdktest.SharedTestdata(t), "rpms")
	entries, _ := os.ReadDir(shared)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(shared, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range edgeCases() {
		if _, err := sdktest.BuildRPM(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	want := normalise(createrepo(t, dir))
	got := normalise(ours(t, dir))
	if len(want) != 14 {
		t.Fatalf("createrepo_c described %d packages, want the 12 shared and 2 generated (it leaves out the one with a control character)", len(want))
	}
	keys := slices.Sorted(maps.Keys(want))
	for _, k := range keys {
		for i, kind := range []string{"primary", "filelists", "other"} {
			if diff := cmp.Diff(want[k][i], got[k][i]); diff != "" {
				t.Errorf("%s %s (-createrepo_c +ours):\n%s", k, kind, diff)
			}
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("we describe %s, which createrepo_c leaves out", k)
		}
	}
}
