package iso

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strata-build/strata/plugins/iso/iso9660"
	"github.com/strata-build/strata/sdk/files"
)

// bootTree is a boot tree resolved for a disc.
type bootTree struct {
	// dir is the tree's directory; name is how the configuration names
	// it, for messages.
	dir, name string
	files     []iso9660.File
	boot      []iso9660.BootEntry
	// catalog is the boot catalog's path on the disc.
	catalog string
	// mbr is the hybrid MBR's code, nil for a disc that is not hybrid.
	mbr []byte
	// images are the .treeinfo images by platform and name, stage2 its
	// installer image, checksums the sha256 of each.
	images    map[string]map[string]string
	stage2    string
	checksums map[string]string
}

// knownImages are the images of a lorax boot tree .treeinfo lists, by
// name, when the tree has no .treeinfo of its own.
var knownImages = []struct{ name, path string }{
	{"kernel", "images/pxeboot/vmlinuz"},
	{"initrd", "images/pxeboot/initrd.img"},
	{"efiboot.img", "images/efiboot.img"},
	{"eltorito.img", "images/eltorito.img"},
}

// openBoot checks a boot tree and lists its files, its El Torito
// entries and the images .treeinfo names. A relative tree is in
// configDir.
func openBoot(c *bootConfig, arch, configDir string) (*bootTree, error) {
	dir := c.dir(configDir)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("the boot tree %s is not a directory", c.tree)
	}
	b := &bootTree{dir: dir, name: c.tree, catalog: c.catalog, images: map[string]map[string]string{}, checksums: map[string]string{}}
	bios, efi := c.bios, c.efi
	if bios == "" && efi == "" {
		for _, p := range []string{"isolinux/isolinux.bin", "images/eltorito.img"} {
			if bios == "" && exists(dir, p) {
				bios = p
			}
		}
		if exists(dir, "images/efiboot.img") {
			efi = "images/efiboot.img"
		}
		if bios == "" && efi == "" {
			return nil, fmt.Errorf("the boot tree %s has no boot image: none of isolinux/isolinux.bin, images/eltorito.img, images/efiboot.img; set bios or efi", c.tree)
		}
	}
	var missing []string
	if bios != "" {
		if !exists(dir, bios) {
			missing = append(missing, bios+" (bios)")
		} else if path.Base(bios) == "isolinux.bin" && !exists(dir, path.Join(path.Dir(bios), "ldlinux.c32")) {
			missing = append(missing, path.Join(path.Dir(bios), "ldlinux.c32")+" (isolinux loads it)")
		}
		b.boot = append(b.boot, iso9660.BootEntry{Platform: iso9660.BIOS, Path: bios, LoadSectors: 4, InfoTable: true})
	}
	if efi != "" {
		if !exists(dir, efi) {
			missing = append(missing, efi+" (efi)")
		}
		b.boot = append(b.boot, iso9660.BootEntry{Platform: iso9660.EFI, Path: efi})
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the boot tree %s lacks %s", c.tree, strings.Join(missing, ", "))
	}
	if c.mbr != "" {
		if bios == "" {
			return nil, fmt.Errorf("mbr makes the disc boot its BIOS image from a disk, and the boot tree %s has none; set bios", c.tree)
		}
		var err error
		if b.mbr, err = os.ReadFile(inDir(configDir, c.mbr)); err != nil {
			return nil, fmt.Errorf("the hybrid MBR: %w", err)
		}
	}
	if b.catalog == "" {
		b.catalog = "boot.cat"
		if path.Base(bios) == "isolinux.bin" {
			b.catalog = path.Join(path.Dir(bios), "boot.cat")
		}
	}
	if err := b.readImages(arch); err != nil {
		return nil, err
	}
	files, err := iso9660.FromDir(dir, "")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.Path == ".treeinfo" || f.Path == ".discinfo" || f.Path == b.catalog {
			continue
		}
		f.UID, f.GID = 0, 0
		b.files = append(b.files, f)
	}
	return b, nil
}

// readImages takes the images and stage2 the boot tree's .treeinfo names
// (lorax writes one), else the images a lorax tree has.
func (b *bootTree) readImages(arch string) error {
	own, err := readTreeinfo(filepath.Join(b.dir, ".treeinfo"))
	switch {
	case err == nil:
		for name, s := range own {
			if platform, ok := strings.CutPrefix(name, "images-"); ok {
				b.images[platform] = s
			}
		}
		b.stage2 = own.get("stage2", "mainimage")
	case errors.Is(err, fs.ErrNotExist):
		for _, im := range knownImages {
			if exists(b.dir, im.path) {
				b.add(arch, im.name, im.path)
			}
		}
		if exists(b.dir, "images/install.img") {
			b.stage2 = "images/install.img"
		}
	default:
		return fmt.Errorf("the boot tree's .treeinfo: %w", err)
	}
	var missing []string
	for _, p := range b.imagePaths() {
		if !exists(b.dir, p) {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the boot tree %s lacks %s, which its .treeinfo names", b.name, strings.Join(missing, ", "))
	}
	return nil
}

// imagePaths are the paths of the images and stage2, each once.
func (b *bootTree) imagePaths() []string {
	var out []string
	for _, platform := range slices.Sorted(maps.Keys(b.images)) {
		for _, name := range slices.Sorted(maps.Keys(b.images[platform])) {
			if p := b.images[platform][name]; !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	if b.stage2 != "" && !slices.Contains(out, b.stage2) {
		out = append(out, b.stage2)
	}
	return out
}

// hashImages records the sha256 of each image for .treeinfo.
func (b *bootTree) hashImages() error {
	for _, p := range b.imagePaths() {
		sum, err := files.SHA256(filepath.Join(b.dir, filepath.FromSlash(p)))
		if err != nil {
			return fmt.Errorf("the boot tree's %s: %w", p, err)
		}
		b.checksums[p] = sum
	}
	return nil
}

// dir is the boot tree's directory.
func (c *bootConfig) dir(configDir string) string { return inDir(configDir, c.tree) }

// inDir is path, in configDir if relative.
func inDir(configDir, path string) string {
	if filepath.IsAbs(path) || configDir == "" {
		return path
	}
	return filepath.Join(configDir, path)
}

func (b *bootTree) add(platform, name, p string) {
	if b.images[platform] == nil {
		b.images[platform] = map[string]string{}
	}
	b.images[platform][name] = p
}
