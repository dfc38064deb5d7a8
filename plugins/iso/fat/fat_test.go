package fat

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-build/strata/plugins/iso/internal/boottest"
	"github.com/strata-build/strata/plugins/iso/iso9660"
	"github.com/strata-build/strata/sdk/sdktest"
)

var stamp = time.Date(2025, 6, 1, 12, 30, 44, 0, time.UTC)

func testFiles(big int) []File {
	return []File{
		{Path: "EFI/BOOT/BOOTX64.EFI", Data: bytes.Repeat([]byte("MZ"), 2600)},
		{Path: "EFI/BOOT/grub.cfg", Data: []byte("set timeout=5\n")},
		{Path: "EFI/BOOT/fonts/unicode.pf2", Data: bytes.Repeat([]byte{1}, big)},
		{Path: "EFI/BOOT/a rather long file name.conf", Data: []byte("long\n")},
		{Path: "EFI/BOOT/a rather long file name.conf2", Data: []byte("longer\n")},
		{Path: "EMPTY", Data: nil},
	}
}

// Images of FAT12 and FAT16 size, judged by fsck.fat and read back with
// mtools: every file, with its long name, its content and the stamp.
func TestReadByTools(t *testing.T) {
	for _, tc := range []struct {
		name, kind, bits string
		big              int
	}{{"small", "FAT12", "12 bit entries", 3000}, {"large", "FAT16", "16 bit entries", 9 << 20}} {
		t.Run(tc.name, func(t *testing.T) {
			img := writeImage(t, testFiles(tc.big), Options{Label: "EFIBOOT", Serial: 0x1234abcd, Time: stamp})
			fsck := sdktest.Run(t, "fsck.fat", "-n", "-v", img)
			if !strings.Contains(fsck, tc.bits) || strings.Contains(fsck, "differ") || strings.Contains(fsck, "wrong") {
				t.Errorf("fsck.fat:\n%s", fsck)
			}
			if info := sdktest.Run(t, "minfo", "-i", img, "::"); !strings.Contains(info, "disk type=\""+tc.kind) {
				t.Errorf("minfo does not see %s:\n%s", tc.kind, info)
			}
			out := t.TempDir()
			sdktest.Run(t, "mcopy", "-s", "-n", "-m", "-i", img, "::/EFI", "::/EMPTY", out)
			for _, f := range testFiles(tc.big) {
				got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
				if err != nil || !bytes.Equal(got, f.Data) {
					t.Errorf("%s read back: %v, %d bytes, want %d", f.Path, err, len(got), len(f.Data))
				}
			}
			fi, err := os.Stat(filepath.Join(out, "EFI", "BOOT", "grub.cfg"))
			if err != nil || !fi.ModTime().Equal(stamp) {
				t.Errorf("grub.cfg's time: %v %v, want %v", fi.ModTime(), err, stamp)
			}
			if dir := sdktest.Run(t, "mdir", "-i", img, "::/"); !strings.Contains(dir, "Volume in drive : is EFIBOOT") || !strings.Contains(dir, "1234-ABCD") {
				t.Errorf("mdir:\n%s", dir)
			}
		})
	}
}

// An EFI system partition of ours, the El Torito UEFI image of a disc,
// boots OVMF into GRUB.
func TestBootsUEFI(t *testing.T) {
	efi, err := os.ReadFile(boottest.EFIBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	esp, err := Image([]File{{Path: "EFI/BOOT/BOOTX64.EFI", Data: efi}}, Options{Label: "EFIBOOT", Time: stamp})
	if err != nil {
		t.Fatal(err)
	}
	iso := filepath.Join(t.TempDir(), "esp.iso")
	f, err := os.Create(iso)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	files := []iso9660.File{{Path: "images/efiboot.img", Mode: 0o644, Size: int64(len(esp)), Open: opener(esp)}}
	if _, err := iso9660.Write(f, files, iso9660.Options{VolumeID: "ESP", Time: stamp, Catalog: "boot.cat",
		Boot: []iso9660.BootEntry{{Platform: iso9660.EFI, Path: "images/efiboot.img"}}}); err != nil {
		t.Fatal(err)
	}
	boottest.UEFI(t, iso)
}

// The same files give the same bytes; bad input is refused.
func TestReproducibleAndRefuses(t *testing.T) {
	a, _ := Image(testFiles(100), Options{Label: "X", Time: stamp})
	b, _ := Image(testFiles(100), Options{Label: "X", Time: stamp})
	if !bytes.Equal(a, b) {
		t.Error("two images of the same files differ")
	}
	for _, tc := range []struct {
		files []File
		opts  Options
		want  string
	}{
		{nil, Options{Label: "TWELVE CHARS"}, "has 12 characters"},
		{[]File{{Path: "a/../b"}}, Options{}, "not a clean relative path"},
		{[]File{{Path: "a"}, {Path: "A"}}, Options{}, "given twice"},
		{[]File{{Path: "a"}, {Path: "a/b"}}, Options{}, "is a file and a directory"},
	} {
		if _, err := Image(tc.files, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.files, err, tc.want)
		}
	}
}

func writeImage(t *testing.T, files []File, opts Options) string {
	t.Helper()
	data, err := Image(files, opts)
	if err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(t.TempDir(), "fat.img")
	if err := os.WriteFile(img, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return img
}

func opener(data []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
}
