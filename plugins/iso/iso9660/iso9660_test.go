package iso9660

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk/sdktest"
	"golang.org/x/text/encoding/charmap"
)

var stamp = time.Date(2024, 11, 25, 12, 0, 0, 0, time.UTC)

// content is a file of the image given by its bytes.
func content(path string, mode fs.FileMode, body string) File {
	return File{Path: path, Mode: mode, Size: int64(len(body)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(body)), nil
	}}
}

// testFiles hold what repositories and boot trees hold: deep and long
// names, names ISO 9660 cannot spell, UTF-8, symbolic links (relative,
// absolute, longer than an entry), modes with setuid, owners, an empty
// file and an empty directory.
func testFiles() []File {
	long := strings.Repeat("very-long-package-name-", 9) + "1.0-1.x86_64.rpm"
	files := []File{
		content("Packages/b/bash-5.2.26-3.fc41.x86_64.rpm", 0o644, strings.Repeat("bash payload\n", 3000)),
		content("Packages/b/bash-completion-2.13-1.fc41.noarch.rpm", 0o644, "completion"),
		content("Packages/v/"+long, 0o644, "long"),
		content("repodata/repomd.xml", 0o644, "<repomd/>\n"),
		content("repodata/0123456789abcdef-primary.xml.zst", 0o644, strings.Repeat("\x28\xb5\x2f\xfd", 100)),
		content("EFI/BOOT/grub.cfg", 0o600, "set timeout=1\n"),
		content("bin/su", 0o755|fs.ModeSetuid, "su"),
		content("balíček/čeština.txt", 0o644, "utf-8\n"),
		content("empty", 0o644, ""),
		{Path: "empty-dir", Mode: fs.ModeDir | 0o700, UID: 2, GID: 4},
		{Path: "lib", Mode: fs.ModeSymlink | 0o777, Target: "usr/lib"},
		{Path: "abs", Mode: fs.ModeSymlink | 0o777, Target: "/etc/../usr/./share"},
		{Path: "far", Mode: fs.ModeSymlink | 0o777, Target: strings.Repeat("a/", 150) + "end"},
	}
	owned := content(".treeinfo", 0o640, "[header]\n")
	owned.UID, owned.GID = 1000, 100
	return append(files, owned)
}

func writeImage(t *testing.T, files []File, opts Options) (string, Result) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.iso")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := Write(f, files, opts)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := f.Stat(); fi.Size() != res.Size || res.Size%SectorSize != 0 {
		t.Errorf("size %d, reported %d", fi.Size(), res.Size)
	}
	return path, res
}

// isoinfo finds the volume id, Joliet and Rock Ridge and lists every
// file in both trees; xorriso extracts exactly the files, modes, owners
// and links given.
func TestReadByTools(t *testing.T) {
	files := testFiles()
	iso, _ := writeImage(t, files, Options{VolumeID: "STRATA_TEST_41", Publisher: "strata", Time: stamp, Joliet: true})

	d := sdktest.Run(t, "isoinfo", "-d", "-i", iso)
	for _, want := range []string{"Volume id: STRATA_TEST_41", "Joliet with UCS level 3 found", "Rock Ridge signatures version 1 found"} {
		if !strings.Contains(d, want) {
			t.Errorf("isoinfo -d lacks %q:\n%s", want, d)
		}
	}
	var want, wantJoliet []string
	dirs := map[string]bool{}
	for _, f := range files {
		want = append(want, "/"+f.Path)
		if f.Mode&fs.ModeSymlink == 0 {
			wantJoliet = append(wantJoliet, "/"+jolietPath(f.Path))
		}
		for p := filepath.Dir(f.Path); p != "."; p = filepath.Dir(p) {
			dirs["/"+p] = true
		}
	}
	for p := range dirs {
		if !slices.Contains(want, p) {
			want, wantJoliet = append(want, p), append(wantJoliet, p)
		}
	}
	if diff := cmp.Diff(sorted(want), lines(sdktest.Run(t, "isoinfo", "-R", "-f", "-i", iso))); diff != "" {
		t.Errorf("isoinfo -R -f (-want +got):\n%s", diff)
	}
	// isoinfo knows no UTF-8; Latin-2 spells the test's names.
	joliet, err := charmap.ISO8859_2.NewDecoder().String(sdktest.Run(t, "isoinfo", "-J", "-j", "iso8859-2", "-f", "-i", iso))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sorted(wantJoliet), lines(joliet)); diff != "" {
		t.Errorf("isoinfo -J -f (-want +got):\n%s", diff)
	}

	out := filepath.Join(t.TempDir(), "out")
	sdktest.Run(t, "xorriso", "-osirrox", "on", "-indev", iso, "-extract", "/", out)
	for _, f := range files {
		p := filepath.Join(out, f.Path)
		fi, err := os.Lstat(p)
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			continue
		}
		switch {
		case f.Mode&fs.ModeSymlink != 0:
			if target, _ := os.Readlink(p); target != f.Target {
				t.Errorf("%s -> %q, want %q", f.Path, target, f.Target)
			}
			continue
		case f.Mode.IsRegular():
			r, _ := f.Open()
			body, _ := io.ReadAll(r)
			if got, _ := os.ReadFile(p); !bytes.Equal(got, body) {
				t.Errorf("%s: %d bytes differ from the %d given", f.Path, len(got), len(body))
			}
		}
		if fi.Mode() != f.Mode {
			t.Errorf("%s: mode %v, want %v", f.Path, fi.Mode(), f.Mode)
		}
		if os.Geteuid() == 0 {
			if uid, gid := owner(fi); uid != f.UID || gid != f.GID {
				t.Errorf("%s: owner %d:%d, want %d:%d", f.Path, uid, gid, f.UID, f.GID)
			}
		}
	}
}

// Two images of the same files are the same bytes.
func TestReproducible(t *testing.T) {
	opts := Options{VolumeID: "REPRO", Time: stamp, Joliet: true, ImplantMD5: true}
	a, _ := writeImage(t, testFiles(), opts)
	b, _ := writeImage(t, testFiles(), opts)
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if !bytes.Equal(da, db) {
		t.Error("two images of the same files differ")
	}
}

// The MD5 implanted while writing is the one implantisomd5 implants in
// the same image afterwards, checkisomd5 passes it, and fails it once a
// byte of a file changes.
func TestImplantedMD5(t *testing.T) {
	iso, res := writeImage(t, testFiles(), Options{VolumeID: "MD5", Time: stamp, Joliet: true, ImplantMD5: true})
	got, err := os.ReadFile(iso)
	if err != nil {
		t.Fatal(err)
	}
	blank := append([]byte(nil), got...)
	copy(blank[appDataOffset:], bytes.Repeat([]byte(" "), appDataSize))
	theirs := filepath.Join(t.TempDir(), "theirs.iso")
	if err := os.WriteFile(theirs, blank, 0o644); err != nil {
		t.Fatal(err)
	}
	sdktest.Run(t, "implantisomd5", theirs)
	want, _ := os.ReadFile(theirs)
	if !bytes.Equal(got, want) {
		t.Errorf("our implant differs from implantisomd5's:\nours:   %q\ntheirs: %q", got[appDataOffset:appDataOffset+200], want[appDataOffset:appDataOffset+200])
	}
	if check := sdktest.Run(t, "checkisomd5", "--verbose", iso); !strings.Contains(check, res.MD5) {
		t.Errorf("checkisomd5 does not show %s:\n%s", res.MD5, check)
	}
	i := bytes.Index(got, []byte("bash payload"))
	got[i] ^= 1
	if err := os.WriteFile(iso, got, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("checkisomd5", iso).CombinedOutput(); err == nil {
		t.Errorf("checkisomd5 passed a changed image:\n%s", out)
	}
}

// Bad input is refused before anything is written.
func TestRefuses(t *testing.T) {
	huge := File{Path: "images/install.img", Mode: 0o644, Size: 5 << 30, Open: func() (io.ReadCloser, error) {
		t.Error("a file over 4 GiB was opened")
		return nil, io.EOF
	}}
	cases := []struct {
		name  string
		files []File
		opts  Options
		want  string
	}{
		{"long volume id", nil, Options{VolumeID: strings.Repeat("A", 33)}, "has 33 characters; ISO 9660 allows 32"},
		{"volume id with a character labels mangle", nil, Options{VolumeID: "Fedora#41"}, `has '#' at 6`},
		{"volume id beyond ASCII", nil, Options{VolumeID: "Fedóra"}, `has 'ó' at 3`},
		{"file over 4 GiB", []File{huge}, Options{VolumeID: "BIG"}, "images/install.img: 5368709120 bytes"},
		{"missing boot image", testFiles(), Options{VolumeID: "BOOT", Boot: []BootEntry{{Platform: BIOS, Path: "isolinux/isolinux.bin"}}, Catalog: "isolinux/boot.cat"},
			"boot image isolinux/isolinux.bin is not a file of the image"},
		{"unclean path", []File{content("a/../b", 0o644, "")}, Options{VolumeID: "X"}, `"a/../b" is not a clean relative path`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf sink
			_, err := Write(&buf, c.files, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
			if buf.n != 0 {
				t.Errorf("%d bytes were written", buf.n)
			}
		})
	}
}

// sink counts what is written to it.
type sink struct{ n int }

func (s *sink) Write(p []byte) (int, error)            { s.n += len(p); return len(p), nil }
func (s *sink) WriteAt(p []byte, _ int64) (int, error) { s.n += len(p); return len(p), nil }

// jolietPath is a path with each name cut to Joliet's 103 characters.
func jolietPath(p string) string {
	parts := strings.Split(p, "/")
	for i, name := range parts {
		if r := []rune(name); len(r) > maxJolietID {
			parts[i] = string(r[:maxJolietID])
		}
	}
	return strings.Join(parts, "/")
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return sorted(out)
}

func sorted(s []string) []string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	return s
}

func owner(fi fs.FileInfo) (uint32, uint32) {
	st := fi.Sys().(*syscall.Stat_t)
	return st.Uid, st.Gid
}
