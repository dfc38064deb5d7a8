package iso9660

import (
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
