package iso9660

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/strata-build/strata/plugins/iso/internal/boottest"
	"github.com/strata-build/strata/sdk/sdktest"
)

// An image with a BIOS entry for isolinux (with its boot information
// table) and a UEFI entry for the EFI system partition: xorriso reports
// both entries, SeaBIOS boots it from a CD drive to isolinux's marker,
// and OVMF to GRUB's.
func TestBoot(t *testing.T) {
	files, err := FromDir(boottest.Tree(t), "")
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

	boottest.BIOS(t, iso)
	boottest.UEFI(t, iso)
}

// A hybrid image, its MBR from isolinux's isohdpfx.bin: xorriso
// recognises the isohybrid MBR, its partition over the whole image, which
// has grown to a whole MiB, and the EFI system partition's; the implanted
// MD5 covers the MBR; and SeaBIOS and OVMF boot the image as a hard disk,
// as from a USB stick.
func TestHybrid(t *testing.T) {
	mbr, err := os.ReadFile("/usr/lib/ISOLINUX/isohdpfx.bin")
	if err != nil {
		t.Fatalf("%v (install isolinux)", err)
	}
	files, err := FromDir(boottest.Tree(t), "")
	if err != nil {
		t.Fatal(err)
	}
	iso, res := writeImage(t, files, Options{VolumeID: "HYBRID", Time: stamp, Joliet: true, ImplantMD5: true, Catalog: "isolinux/boot.cat",
		HybridMBR: mbr, Boot: []BootEntry{
			{Platform: BIOS, Path: "isolinux/isolinux.bin", LoadSectors: 4, InfoTable: true},
			{Platform: EFI, Path: "images/efiboot.img"},
		}})
	if res.Size%(1<<20) != 0 {
		t.Errorf("the image is %d bytes, not a whole MiB", res.Size)
	}
	report := sdktest.Run(t, "xorriso", "-indev", iso, "-report_system_area", "plain")
	for _, want := range []string{"System area summary: MBR isohybrid cyl-align-on",
		fmt.Sprintf("MBR partition      :   1   0x80  0x00            0 %12d", res.Size/512),
		"MBR partition      :   2   0x00  0xef", "MBR partition path :   2  /images/efiboot.img"} {
		if !strings.Contains(report, want) {
			t.Errorf("xorriso -report_system_area lacks %q:\n%s", want, report)
		}
	}
	sdktest.Run(t, "checkisomd5", iso)
	boottest.BIOSDisk(t, iso)
	boottest.UEFIDisk(t, iso)
}
