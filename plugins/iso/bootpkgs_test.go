package iso

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/plugins/iso/internal/boottest"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

// bootPackages are the packages a boot tree is made from: syslinux's
// isolinux (Debian's, at Fedora's paths), GRUB for UEFI (made with
// grub-mkimage to read EFI/BOOT/grub.cfg, as Fedora's does), and a
// kernel and an initramfs that are not real: booting stops when the
// loaders find them.
func bootPackages(t *testing.T) []sdk.Package {
	t.Helper()
	read := func(p string) string {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("%v (install isolinux and syslinux-common)", err)
		}
		return string(data)
	}
	grub := filepath.Join(t.TempDir(), "grubx64.efi")
	sdktest.Run(t, "grub-mkimage", "-O", "x86_64-efi", "-p", "/EFI/BOOT", "-o", grub,
		"normal", "configfile", "echo", "search", "search_label", "iso9660", "fat", "part_msdos", "linux", "serial", "terminal", "halt")
	syslinux := []sdktest.File{{Path: "/usr/share/syslinux/isolinux.bin", Body: read("/usr/lib/ISOLINUX/isolinux.bin")}}
	for _, m := range []string{"ldlinux", "libcom32", "libutil"} {
		syslinux = append(syslinux, sdktest.File{Path: "/usr/share/syslinux/" + m + ".c32", Body: read("/usr/lib/syslinux/modules/bios/" + m + ".c32")})
	}
	return sdktest.Packages(t, t.TempDir(), "x86_64",
		sdktest.RPM{Name: "syslinux", Version: "6.04", Release: "1", Arch: "x86_64", BuildTime: ts - 10, Files: syslinux},
		sdktest.RPM{Name: "grub2-efi-x64", Version: "2.06", Release: "1", Arch: "x86_64", BuildTime: ts - 10, Files: []sdktest.File{
			{Path: "/boot/efi/EFI/test/grubx64.efi", Body: read(grub), Mode: 0o700},
		}},
		sdktest.RPM{Name: "kernel", Version: "6.1.0", Release: "1", Arch: "x86_64", BuildTime: ts - 10, Files: []sdktest.File{
			{Path: "/usr/lib/modules/6.1.0-1.x86_64/vmlinuz", Body: "not a kernel", Mode: 0o755},
		}},
		sdktest.RPM{Name: "installer-initramfs", Version: "1", Release: "1", Arch: "x86_64", BuildTime: ts - 10, Files: []sdktest.File{
			{Path: "/usr/lib/modules/6.1.0-1.x86_64/initramfs.img", Body: "not an initramfs"},
		}},
	)
}

// A disc whose boot tree is made from packages: isolinux and GRUB boot
// from them with the configurations written for them, and each tries
// to start the kernel the disc carries (not a real one: the loaders say
// so, which shows they found it where the configurations say it is).
func TestBootFromPackages(t *testing.T) {
	repo := buildRepo(t, testPackages(t))
	cfg := body(map[string]cty.Value{"repo": ref(repo), "volume_id": cty.StringVal(volumeID),
		"boot": bootBlock("", map[string]string{"packages": "true", "cmdline": "quiet", "serial": "true"})})
	_, out, err := buildISOWith(t, "artifact.iso.dvd", cfg, bootPackages(t), repo)
	if err != nil {
		t.Fatal(err)
	}
	iso := filepath.Join(out, "Test-Server-dvd-x86_64-41.iso")
	x := extract(t, iso)
	args := "inst.stage2=hd:LABEL=" + volumeID + " console=tty0 console=ttyS0,115200 quiet"
	if got := readFile(t, filepath.Join(x, "isolinux", "isolinux.cfg")); !strings.Contains(got, "APPEND initrd=/images/pxeboot/initrd.img "+args+"\n") {
		t.Errorf("isolinux.cfg:\n%s", got)
	}
	if got := readFile(t, filepath.Join(x, "EFI", "BOOT", "grub.cfg")); !strings.Contains(got, "linux /images/pxeboot/vmlinuz "+args+"\n") ||
		!strings.Contains(got, "search --no-floppy --set=root -l '"+volumeID+"'") {
		t.Errorf("grub.cfg:\n%s", got)
	}
	if got := readFile(t, filepath.Join(x, "images", "pxeboot", "vmlinuz")); got != "not a kernel" {
		t.Errorf("images/pxeboot/vmlinuz is %q", got)
	}
	esp := filepath.Join(x, "images", "efiboot.img")
	if l := sdktest.Run(t, "mdir", "-b", "-i", esp, "::/EFI/BOOT"); !strings.Contains(l, "BOOTX64.EFI") || !strings.Contains(l, "grub.cfg") {
		t.Errorf("the EFI system partition holds:\n%s", l)
	}
	ti, err := readTreeinfo(filepath.Join(x, ".treeinfo"))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"kernel": "images/pxeboot/vmlinuz", "initrd": "images/pxeboot/initrd.img", "efiboot.img": "images/efiboot.img"} {
		if ti.get("images-x86_64", k) != v || !strings.HasPrefix(ti.get("checksums", v), "sha256:") {
			t.Errorf(".treeinfo lacks %s = %s with its checksum:\n%s", k, v, ti.bytes())
		}
	}
	sdktest.Run(t, "checkisomd5", iso)
	// Found but not a kernel; a kernel not found would be "Could not find
	// kernel image" and "file '/images/pxeboot/vmlinuz' not found".
	boottest.Until(t, "BIOS", "Booting kernel failed", iso)
	boottest.Until(t, "UEFI", "premature end of file /images/pxeboot/vmlinuz", iso)
}

// Kernel arguments find the disc by its label as udev escapes it, with
// the kickstart of an ostree installer.
func TestKernelArgs(t *testing.T) {
	got := kernelArgs("Fedora 41 (x)", true, &bootConfig{cmdline: "rd.live.check"})
	want := `inst.stage2=hd:LABEL=Fedora\x2041\x20\x28x\x29 inst.ks=hd:LABEL=Fedora\x2041\x20\x28x\x29:/ks.cfg rd.live.check`
	if got != want {
		t.Errorf("kernel arguments\n%s\nwant\n%s", got, want)
	}
}
