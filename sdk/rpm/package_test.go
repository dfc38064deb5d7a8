package rpm_test

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk/rpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

func sharedRPMs(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(sdktest.SharedTestdata(t), "rpms", "*.rpm"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test RPMs: %v", err)
	}
	return paths
}

// rpmQuery runs the real rpm on a package with a query format.
func rpmQuery(t *testing.T, path, format string) string {
	t.Helper()
	out, err := exec.Command(sdktest.NeedTool(t, "rpm"), "-qp", "--nosignature", "--nodigest", "--qf", format, path).Output()
	if err != nil {
		t.Fatalf("rpm -qp %s: %v", path, err)
	}
	return string(out)
}

// ourQuery renders the same fields as queryFormat from our reader.
const queryFormat = `%{NAME}|%{EPOCH}|%{VERSION}|%{RELEASE}|%{ARCH}|%{BUILDTIME}|%{SOURCERPM}
[R %{REQUIRENAME}|%{REQUIREFLAGS}|%{REQUIREVERSION}
][P %{PROVIDENAME}|%{PROVIDEFLAGS}|%{PROVIDEVERSION}
][C %{CONFLICTNAME}|%{CONFLICTFLAGS}|%{CONFLICTVERSION}
][O %{OBSOLETENAME}|%{OBSOLETEFLAGS}|%{OBSOLETEVERSION}
][W %{RECOMMENDNAME}|%{RECOMMENDFLAGS}|%{RECOMMENDVERSION}
][F %{FILENAMES}|%{FILEMODES}|%{FILESIZES}|%{FILEUSERNAME}|%{FILEGROUPNAME}|%{FILEFLAGS}|%{FILELINKTOS}|%{FILEINODES}|%{FILECAPS}|%{FILEDIGESTS}
]`

func ourQuery(p *rpm.Package) string {
	var b strings.Builder
	epoch := "(none)"
	if e, ok := p.Epoch(); ok {
		epoch = fmt.Sprint(e)
	}
	arch := p.Header.String(rpm.TagArch)
	src := p.Header.String(rpm.TagSourceRPM)
	if src == "" {
		src = "(none)"
	}
	fmt.Fprintf(&b, "%s|%s|%s|%s|%s|%d|%s\n", p.Name(), epoch, p.Version(), p.Release(), arch, p.BuildTime(), src)
	for _, k := range []struct {
		letter string
		kind   rpm.Kind
	}{{"R", rpm.Requires}, {"P", rpm.Provides}, {"C", rpm.Conflicts}, {"O", rpm.Obsoletes}, {"W", rpm.Recommends}} {
		for _, d := range p.Deps(k.kind) {
			fmt.Fprintf(&b, "%s %s|%d|%s\n", k.letter, d.Name, d.Flags, d.Version)
		}
	}
	for _, f := range p.Files() {
		if !p.Header.Has(rpm.TagFileCaps) {
			f.Caps = "(none)"
		}
		fmt.Fprintf(&b, "F %s|%d|%d|%s|%s|%d|%s|%d|%s|%s\n", f.Path, uint16(f.Mode), f.Size, f.User, f.Group, f.Flags, f.LinkTo, f.Inode, f.Caps, f.Digest)
	}
	return b.String()
}

func TestReadAgreesWithRPM(t *testing.T) {
	sdktest.NeedTool(t, "rpm")
	for _, path := range append(sharedRPMs(t), generatedRPMs(t)...) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			p, err := rpm.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := rpmQuery(t, path, queryFormat)
			if diff := cmp.Diff(want, ourQuery(p)); diff != "" {
				t.Errorf("rpm -qp and our reader differ (-rpm +ours):\n%s", diff)
			}
		})
	}
}

// Archer's header range, as createrepo_c reports it.
func TestHeaderRange(t *testing.T) {
	p, err := rpm.ReadFile(filepath.Join(sdktest.SharedTestdata(t), "rpms", "Archer-3.4.5-6.x86_64.rpm"))
	if err != nil {
		t.Fatal(err)
	}
	if p.HeaderStart != 4504 || p.HeaderEnd != 7517 {
		t.Errorf("header range = %d-%d, want 4504-7517", p.HeaderStart, p.HeaderEnd)
	}
	if got := p.NEVRA(); got != "Archer-2:3.4.5-6.x86_64" {
		t.Errorf("NEVRA = %q", got)
	}
}

// The payload's regular files must hash to the digests in the header.
func TestPayloadMatchesHeaderDigests(t *testing.T) {
	for _, path := range append(sharedRPMs(t), generatedRPMs(t)...) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r := bufio.NewReader(f)
			p, err := rpm.Read(r)
			if err != nil {
				t.Fatal(err)
			}
			digests := map[string]string{}
			for _, file := range p.Files() {
				if file.IsRegular() && !file.IsGhost() {
					digests[file.Path] = file.Digest
				}
			}
			newHash := sha256.New
			if algo, ok := p.Header.Uint(5011); !ok || algo == 1 { // FILEDIGESTALGO: 1 is MD5
				newHash = md5.New
			}
			pr, err := p.Payload(r)
			if err != nil {
				t.Fatal(err)
			}
			defer pr.Close()
			seen := 0
			for {
				e, err := pr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				want, ok := digests[e.Path]
				if !ok || e.Size == 0 && want != emptyDigest(newHash) {
					continue // directories, symlinks, and hard links before the one carrying the data
				}
				h := newHash()
				if _, err := io.Copy(h, pr); err != nil {
					t.Fatal(err)
				}
				if got := hex.EncodeToString(h.Sum(nil)); got != want {
					t.Errorf("%s: payload digest %s, header says %s", e.Path, got, want)
				}
				seen++
			}
			if seen == 0 && len(digests) > 0 {
				t.Errorf("no regular file of %d was found in the payload", len(digests))
			}
		})
	}
}

func emptyDigest(h func() hash.Hash) string { return hex.EncodeToString(h().Sum(nil)) }

// Every truncation of a package is an error with an offset, never a panic.
func TestTruncatedPackages(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sdktest.SharedTestdata(t), "rpms", "empty-0-0.x86_64.rpm"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := rpm.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < int(p.HeaderEnd); n++ {
		_, err := rpm.Read(bytes.NewReader(data[:n]))
		var fe *rpm.FormatError
		if !errors.As(err, &fe) {
			t.Fatalf("truncated to %d bytes: err = %v, want a FormatError", n, err)
		}
		if fe.Offset > int64(n) {
			t.Fatalf("truncated to %d bytes: error offset %d is past the end", n, fe.Offset)
		}
	}
}

func TestCorruptHeaderNamesFileAndOffset(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sdktest.SharedTestdata(t), "rpms", "fake_bash-1.1.1-1.x86_64.rpm"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := rpm.Read(bytes.NewReader(data))
	// Point the first main-header entry's data far past the end.
	bad := append([]byte(nil), data...)
	copy(bad[p.HeaderStart+16+8:], []byte{0x7f, 0xff, 0xff, 0xff})
	path := filepath.Join(t.TempDir(), "bad.rpm")
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = rpm.ReadFile(path)
	want := fmt.Sprintf("%s: offset %d: header entry 0", path, p.HeaderStart+16)
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want prefix %q", err, want)
	}
}
