package iso

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/strata-build/strata/plugins/iso/fat"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/rpm"
)

// A boot tree made from packages, laid out as lorax lays one out: the
// kernel and initramfs in images/pxeboot/, isolinux in isolinux/, GRUB in
// EFI/BOOT/ and in the EFI system partition images/efiboot.img, with
// their configurations booting the kernel.

// bootRole is a boot file the tree takes from a package: where packages
// install it, and where it goes in the tree.
type bootRole struct {
	what    string
	pattern *regexp.Regexp
	to      string
}

var bootRoles = []bootRole{
	{"a kernel", regexp.MustCompile(`^/(usr/)?lib/modules/[^/]+/vmlinuz$|^/boot/vmlinuz-[^/]+$`), "images/pxeboot/vmlinuz"},
	{"an initramfs", regexp.MustCompile(`^/(usr/)?lib/modules/[^/]+/initramfs\.img$|^/boot/initramfs-[^/]+\.img$`), "images/pxeboot/initrd.img"},
	{"isolinux", regexp.MustCompile(`^/usr/(share/syslinux|lib/ISOLINUX)/isolinux\.bin$`), "isolinux/isolinux.bin"},
	{"ldlinux", regexp.MustCompile(`^/usr/(share/syslinux|lib/syslinux/modules/bios)/ldlinux\.c32$`), "isolinux/ldlinux.c32"},
	{"libcom32", regexp.MustCompile(`^/usr/(share/syslinux|lib/syslinux/modules/bios)/libcom32\.c32$`), "isolinux/libcom32.c32"},
	{"libutil", regexp.MustCompile(`^/usr/(share/syslinux|lib/syslinux/modules/bios)/libutil\.c32$`), "isolinux/libutil.c32"},
	{"GRUB for UEFI", regexp.MustCompile(`^/boot/efi/EFI/[^/]+/grubx64\.efi$`), "EFI/BOOT/grubx64.efi"},
	{"shim", regexp.MustCompile(`^/boot/efi/EFI/BOOT/BOOTX64\.EFI$`), "EFI/BOOT/BOOTX64.EFI"},
}

// packageBootTree writes the boot tree of pkgs into dir.
func packageBootTree(pkgs []sdk.Package, c *bootConfig, volumeID, title string, kickstart bool, ts time.Time, dir string) error {
	found, err := findBootFiles(pkgs)
	if err != nil {
		return err
	}
	var missing []string
	for _, role := range []string{"images/pxeboot/vmlinuz", "images/pxeboot/initrd.img"} {
		if found[role] == nil {
			missing = append(missing, roleNamed(role))
		}
	}
	bios := found["isolinux/isolinux.bin"] != nil && found["isolinux/ldlinux.c32"] != nil
	efi := found["EFI/BOOT/grubx64.efi"] != nil
	if !bios && !efi {
		missing = append(missing, "isolinux (isolinux.bin and ldlinux.c32, from syslinux) or GRUB for UEFI (grubx64.efi)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("boot: no package of the artifact installs %s", strings.Join(missing, ", nor "))
	}
	if !efi {
		delete(found, "EFI/BOOT/BOOTX64.EFI") // shim without GRUB boots nothing
	}
	if err := extractBootFiles(found, dir); err != nil {
		return err
	}
	args := kernelArgs(volumeID, kickstart, c)
	if bios {
		if err := writeFile(dir, "isolinux/isolinux.cfg", isolinuxConfig(title, args, c.serial)); err != nil {
			return err
		}
	} else {
		for _, p := range []string{"isolinux/isolinux.bin", "isolinux/ldlinux.c32", "isolinux/libcom32.c32", "isolinux/libutil.c32"} {
			os.Remove(filepath.Join(dir, p))
		}
	}
	if efi {
		return writeESP(dir, grubConfig(title, volumeID, args, c.serial), ts)
	}
	return nil
}

func roleNamed(to string) string {
	for _, r := range bootRoles {
		if r.to == to {
			return r.what
		}
	}
	return to
}

// bootFile is where a package installs a boot file.
type bootFile struct {
	pkg  sdk.Package
	path string
}

// findBootFiles reads the packages' file lists for the boot files, the
// last in path order where several packages install one.
func findBootFiles(pkgs []sdk.Package) (map[string]*bootFile, error) {
	found := map[string]*bootFile{}
	for _, p := range pkgs {
		h, err := rpm.ReadFile(p.Path)
		if err != nil {
			return nil, err
		}
		for _, f := range h.Files() {
			if !f.IsRegular() {
				continue
			}
			for _, r := range bootRoles {
				if r.pattern.MatchString(f.Path) && (found[r.to] == nil || found[r.to].path < f.Path) {
					found[r.to] = &bootFile{pkg: p, path: f.Path}
				}
			}
		}
	}
	return found, nil
}

// extractBootFiles writes each found file from its package's payload
// into dir.
func extractBootFiles(found map[string]*bootFile, dir string) error {
	byPkg := map[string]map[string]string{} // package file → payload path → tree path
	for to, f := range found {
		if byPkg[f.pkg.Path] == nil {
			byPkg[f.pkg.Path] = map[string]string{}
		}
		byPkg[f.pkg.Path][f.path] = to
	}
	pkgPaths := slices.Sorted(maps.Keys(byPkg))
	for _, p := range pkgPaths {
		if err := extractFrom(p, byPkg[p], dir); err != nil {
			return fmt.Errorf("boot: %s: %w", filepath.Base(p), err)
		}
	}
	return nil
}

func extractFrom(pkgPath string, want map[string]string, dir string) error {
	h, err := rpm.ReadFile(pkgPath)
	if err != nil {
		return err
	}
	f, err := os.Open(pkgPath)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Seek(h.HeaderEnd, io.SeekStart); err != nil {
		return err
	}
	pr, err := h.Payload(bufio.NewReaderSize(f, 256<<10))
	if err != nil {
		return err
	}
	defer pr.Close()
	for len(want) > 0 {
		m, err := pr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		to, ok := want[m.Path]
		if !ok || m.Size == 0 {
			continue
		}
		delete(want, m.Path)
		if err := writeFrom(dir, to, pr); err != nil {
			return err
		}
	}
	for p := range want {
		return fmt.Errorf("%s is in the file list but not in the payload", p)
	}
	return nil
}

func writeFrom(dir, rel string, r io.Reader) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return files.WriteFrom(p, r, 0o644)
}

func writeFile(dir, rel string, data []byte) error {
	return writeFrom(dir, rel, bytes.NewReader(data))
}

// writeESP writes grub.cfg beside GRUB and the EFI system partition
// image holding EFI/BOOT/.
func writeESP(dir string, grubCfg []byte, ts time.Time) error {
	if err := writeFile(dir, "EFI/BOOT/grub.cfg", grubCfg); err != nil {
		return err
	}
	// Without shim, GRUB is what the firmware starts.
	if _, err := os.Stat(filepath.Join(dir, "EFI", "BOOT", "BOOTX64.EFI")); os.IsNotExist(err) {
		if err := os.Rename(filepath.Join(dir, "EFI", "BOOT", "grubx64.efi"), filepath.Join(dir, "EFI", "BOOT", "BOOTX64.EFI")); err != nil {
			return err
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "EFI", "BOOT"))
	if err != nil {
		return err
	}
	var files []fat.File
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, "EFI", "BOOT", e.Name()))
		if err != nil {
			return err
		}
		files = append(files, fat.File{Path: path.Join("EFI/BOOT", e.Name()), Data: data})
	}
	img, err := fat.Image(files, fat.Options{Label: "ANACONDA", Time: ts, Spare: 256 << 10})
	if err != nil {
		return err
	}
	return writeFile(dir, "images/efiboot.img", img)
}

// kernelArgs are the installer's kernel arguments: where its second
// stage is (the disc, by label), the kickstart of an ostree installer,
// the serial console, then the configuration's.
func kernelArgs(volumeID string, kickstart bool, c *bootConfig) string {
	label := "hd:LABEL=" + labelEscape(volumeID)
	args := []string{"inst.stage2=" + label}
	if kickstart {
		args = append(args, "inst.ks="+label+":/ks.cfg")
	}
	if c.serial {
		args = append(args, "console=tty0", "console=ttyS0,115200")
	}
	if c.cmdline != "" {
		args = append(args, c.cmdline)
	}
	return strings.Join(args, " ")
}

// labelEscape escapes a label as udev names it in /dev/disk/by-label,
// which is where dracut looks: "Fedora 41" is "Fedora\x2041".
func labelEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("#+-.:=@_", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	return b.String()
}

// isolinuxConfig boots the kernel from BIOS after five seconds.
func isolinuxConfig(title, args string, serial bool) []byte {
	var b strings.Builder
	if serial {
		b.WriteString("SERIAL 0 115200\n")
	}
	fmt.Fprintf(&b, "DEFAULT install\nPROMPT 1\nTIMEOUT 50\n\nLABEL install\n  MENU LABEL ^Install %s\n  KERNEL /images/pxeboot/vmlinuz\n  APPEND initrd=/images/pxeboot/initrd.img %s\n", title, args)
	return []byte(b.String())
}

// grubConfig boots the kernel from UEFI after five seconds, finding the
// disc by its label.
func grubConfig(title, volumeID, args string, serial bool) []byte {
	var b strings.Builder
	b.WriteString("set default=\"0\"\nset timeout=5\n")
	if serial {
		b.WriteString("serial --unit=0 --speed=115200\nterminal_input serial console\nterminal_output serial console\n")
	}
	fmt.Fprintf(&b, "search --no-floppy --set=root -l '%s'\n\nmenuentry 'Install %s' --class gnu-linux --class gnu --class os {\n\tlinux /images/pxeboot/vmlinuz %s\n\tinitrd /images/pxeboot/initrd.img\n}\n",
		strings.ReplaceAll(volumeID, "'", `'\''`), strings.ReplaceAll(title, "'", `'\''`), args)
	return []byte(b.String())
}
