// Package boottest builds boot trees from Debian's isolinux and GRUB and
// boots disc images in QEMU, for the tests of the iso plugin.
package boottest

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/strata-build/strata/sdk/sdktest"
)

// Markers are what the boot tree prints on the serial console.
const (
	BIOSMarker = "BIOS_MARKER_OK"
	UEFIMarker = "UEFI_MARKER_OK"
)

// Tree builds a lorax-style boot tree from Debian's isolinux and GRUB:
// isolinux/ prints BIOSMarker on the serial console and powers off; a
// GRUB EFI image in the EFI system partition images/efiboot.img prints
// UEFIMarker and halts.
func Tree(t testing.TB) string {
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
	CopyFile(t, "/usr/lib/ISOLINUX/isolinux.bin", filepath.Join(tree, "isolinux", "isolinux.bin"))
	for _, m := range []string{"ldlinux", "libcom32", "libutil", "poweroff"} {
		CopyFile(t, "/usr/lib/syslinux/modules/bios/"+m+".c32", filepath.Join(tree, "isolinux", m+".c32"))
	}
	cfg := "SERIAL 0 115200\nSAY " + BIOSMarker + "\nSAY powering off\nPROMPT 0\nTIMEOUT 1\nDEFAULT off\nLABEL off\n  COM32 poweroff.c32\n"
	if err := os.WriteFile(filepath.Join(tree, "isolinux", "isolinux.cfg"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	efi := EFIBinary(t)
	img := filepath.Join(tree, "images", "efiboot.img")
	sdktest.Run(t, "mkfs.vfat", "-C", "-n", "EFIBOOT", img, "2048")
	sdktest.Run(t, "mmd", "-i", img, "::/EFI", "::/EFI/BOOT")
	sdktest.Run(t, "mcopy", "-i", img, efi, "::/EFI/BOOT/BOOTX64.EFI")
	return tree
}

// EFIBinary builds a GRUB EFI binary that prints UEFIMarker and halts,
// to be EFI/BOOT/BOOTX64.EFI of an EFI system partition, and returns its
// path.
func EFIBinary(t testing.TB) string {
	t.Helper()
	work := t.TempDir()
	grubCfg := filepath.Join(work, "grub.cfg")
	if err := os.WriteFile(grubCfg, []byte("echo "+UEFIMarker+"\nhalt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	efi := filepath.Join(work, "BOOTX64.EFI")
	sdktest.Run(t, "grub-mkstandalone", "-O", "x86_64-efi", "--locales=", "--fonts=", "--themes=",
		"--install-modules=normal echo halt configfile", "--modules=normal echo halt", "-o", efi, "boot/grub/grub.cfg="+grubCfg)
	return efi
}

// CopyFile copies a file the test needs from the machine.
func CopyFile(t testing.TB, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatalf("%v (install isolinux, syslinux-common and ovmf)", err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

var qemu = []string{"-accel", "tcg", "-m", "512", "-nographic", "-no-reboot"}

// BIOS boots iso from a CD drive with SeaBIOS and wants BIOSMarker.
func BIOS(t testing.TB, iso string) {
	t.Helper()
	Until(t, "BIOS", BIOSMarker, iso)
}

// Until boots iso from a CD drive with firmware "BIOS" (SeaBIOS) or
// "UEFI" (OVMF) and wants marker on the console.
func Until(t testing.TB, firmware, marker, iso string) {
	t.Helper()
	if firmware == "BIOS" {
		boot(t, marker, append(qemu, "-cdrom", iso, "-boot", "d")...)
		return
	}
	boot(t, marker, append(append(qemu, ovmf(t)...), "-cdrom", iso)...)
}

// BIOSDisk boots a hybrid iso as a hard disk (a USB stick) with SeaBIOS
// and wants BIOSMarker.
func BIOSDisk(t testing.TB, iso string) {
	t.Helper()
	boot(t, BIOSMarker, append(qemu, disk(iso)...)...)
}

// UEFIDisk boots a hybrid iso as a hard disk with OVMF and wants
// UEFIMarker.
func UEFIDisk(t testing.TB, iso string) {
	t.Helper()
	boot(t, UEFIMarker, append(append(qemu, ovmf(t)...), disk(iso)...)...)
}

func disk(iso string) []string {
	return []string{"-drive", "file=" + iso + ",format=raw,if=ide,snapshot=on"}
}

// ovmf are the arguments that give the machine OVMF's firmware and a
// copy of its variables.
func ovmf(t testing.TB) []string {
	vars := filepath.Join(t.TempDir(), "vars.fd")
	CopyFile(t, "/usr/share/OVMF/OVMF_VARS_4M.fd", vars)
	return []string{"-drive", "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
		"-drive", "if=pflash,format=raw,unit=1,file=" + vars}
}

// UEFI boots iso from a CD drive with OVMF and wants UEFIMarker.
func UEFI(t testing.TB, iso string) {
	t.Helper()
	Until(t, "UEFI", UEFIMarker, iso)
}

// boot runs qemu until marker shows on the console, or it exits, or
// ninety seconds pass. A machine emulated without acceleration on a
// loaded host sometimes loses console output; a second boot must then
// show it.
func boot(t testing.TB, marker string, args ...string) {
	t.Helper()
	sdktest.NeedTool(t, "qemu-system-x86_64")
	for try := 1; try <= 2; try++ {
		out, err := runUntil(marker, args)
		if err == nil {
			return
		}
		t.Logf("boot %d: %v; no %s on the console:\n%s", try, err, marker, tail(out, 2000))
	}
	t.Errorf("qemu-system-x86_64 %s: no %s on the console in two boots", strings.Join(args, " "), marker)
}

// runUntil runs qemu, reading its console, and stops it once marker
// shows; it returns what the console showed.
func runUntil(marker string, args []string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "qemu-system-x86_64", args...)
	r, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); w.Close() }()
	var seen []byte
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		seen = append(seen, buf[:n]...)
		if strings.Contains(escapes.ReplaceAllString(string(seen), ""), marker) {
			cmd.Process.Kill()
			r.Close() // what qemu wrote last is not waited for
			<-exited
			return string(seen), nil
		}
		if err != nil {
			werr := <-exited
			if werr == nil {
				werr = fmt.Errorf("qemu exited")
			}
			return string(seen), werr
		}
	}
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
