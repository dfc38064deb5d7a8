package iso9660

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/strata-build/strata/sdk/sdktest"
)

// bootTree builds a boot tree from Debian's isolinux and GRUB: isolinux
// prints BIOS_MARKER_OK on the serial console and powers off; a GRUB EFI
// image in an EFI system partition image prints UEFI_MARKER_OK and halts.
func bootTree(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"grub-mkstandalone", "mkfs.vfat", "mmd", "mcopy"} {
		sdktest.NeedTool(t, tool)
	}
	tree := t.TempDir()
	for _, d := range []string{"isolinux", "images"} {
		if err := os.MkdirAll(filepath.Join(tree, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, "/usr/lib/ISOLINUX/isolinux.bin", filepath.Join(tree, "isolinux", "isolinux.bin"))
	for _, m := range []string{"ldlinux", "libcom32", "libutil", "poweroff"} {
		copyFile(t, "/usr/lib/syslinux/modules/bios/"+m+".c32", filepath.Join(tree, "isolinux", m+".c32"))
	}
	cfg := "SERIAL 0 115200\nSAY BIOS_MARKER_OK\nSAY powering off\nPROMPT 0\nTIMEOUT 1\nDEFAULT off\nLABEL off\n  COM32 poweroff.c32\n"
	if err := os.WriteFile(filepath.Join(tree, "isolinux", "isolinux.cfg"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	grubCfg := filepath.Join(work, "grub.cfg")
	if err := os.WriteFile(grubCfg, []byte("echo UEFI_MARKER_OK\nhalt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	efi := filepath.Join(work, "BOOTX64.EFI")
	sdktest.Run(t, "grub-mkstandalone", "-O", "x86_64-efi", "--locales=", "--fonts=", "--themes=",
		"--install-modules=normal echo halt configfile", "--modules=normal echo halt", "-o", efi, "boot/grub/grub.cfg="+grubCfg)
	img := filepath.Join(tree, "images", "efiboot.img")
	sdktest.Run(t, "mkfs.vfat", "-C", "-n", "EFIBOOT", img, "2048")
	sdktest.Run(t, "mmd", "-i", img, "::/EFI", "::/EFI/BOOT")
	sdktest.Run(t, "mcopy", "-i", img, efi, "::/EFI/BOOT/BOOTX64.EFI")
	return tree
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatalf("%v (install isolinux and syslinux-common)", err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// An image with a BIOS entry for isolinux (with its boot information
// table) and a UEFI entry for the EFI system partition: xorriso reports
// both entries, SeaBIOS boots it from a CD drive to isolinux's marker,
// and OVMF to GRUB's.
func TestBoot(t *testing.T) {
	files, err := FromDir(bootTree(t), "")
	if err != nil {
		t.Fatal(err)
	}
	iso, _ := writeImage(t, files, Options{VolumeID: "BOOT_TEST", Time: stamp, Joliet: true, ImplantMD5: true, Catalog: "isolinux/boot.cat",
		Boot: []BootEntry{
			{Platform: BIOS, Path: "isolinux/isolinux.bin", LoadSectors: 4, InfoTable: true},
			{Platform: EFI, Path: "images/efiboot.img"},
		}})
	report := sdktest.Run(t, "xorriso", "-indev", iso, "-report_el_torito", "plain")
	for _, want := range []string{"El Torito boot img :   1  BIOS  y   none  0x0000  0x00      4", "El Torito boot img :   2  UEFI  y   none  0x0000  0x00   4096"} {
		if !strings.Contains(report, want) {
			t.Errorf("xorriso -report_el_torito lacks %q:\n%s", want, report)
		}
	}
	// xorriso recognises the boot information table it would write.
	if opts := sdktest.Run(t, "xorriso", "-indev", iso, "-report_el_torito", "as_mkisofs"); !strings.Contains(opts, "-boot-info-table") {
		t.Errorf("xorriso finds no boot information table:\n%s", opts)
	}
	if d := sdktest.Run(t, "isoinfo", "-d", "-i", iso); !strings.Contains(d, "El Torito VD version 1 found") {
		t.Errorf("isoinfo -d:\n%s", d)
	}
	sdktest.Run(t, "checkisomd5", iso)

	qemu := []string{"-accel", "tcg", "-m", "512", "-nographic", "-no-reboot"}
	boot(t, "BIOS_MARKER_OK", append(qemu, "-cdrom", iso, "-boot", "d")...)
	vars := filepath.Join(t.TempDir(), "vars.fd")
	copyFile(t, "/usr/share/OVMF/OVMF_VARS_4M.fd", vars)
	boot(t, "UEFI_MARKER_OK", append(qemu,
		"-drive", "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
		"-drive", "if=pflash,format=raw,unit=1,file="+vars, "-cdrom", iso)...)
}

// boot runs qemu until it exits, and wants marker on the console. A
// machine emulated without acceleration on a loaded host sometimes loses
// console output; a second boot must then show it.
func boot(t *testing.T, marker string, args ...string) {
	t.Helper()
	var out string
	for try := 1; try <= 2; try++ {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		b, err := exec.CommandContext(ctx, sdktest.NeedTool(t, "qemu-system-x86_64"), args...).CombinedOutput()
		cancel()
		out = string(b)
		if strings.Contains(escapes.ReplaceAllString(out, ""), marker) {
			return
		}
		t.Logf("boot %d: %v; no %s on the console:\n%s", try, err, marker, tail(out, 2000))
	}
	t.Errorf("qemu-system-x86_64 %s: no %s on the console in two boots", strings.Join(args, " "), marker)
}

// escapes are the terminal's control sequences firmware consoles send:
// SeaBIOS mirrors the screen onto the serial port, and its cursor moves
// may fall inside the marker.
var escapes = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
