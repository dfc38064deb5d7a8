package iso

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/strata-build/strata/plugins/iso/iso9660"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/zclconf/go-cty/cty"
)

// config is a decoded artifact body. Values unknown while planning keep
// their zero values.
type config struct {
	// repo and ostree are the upstream artifacts' values; null when not
	// set, unknown until they are built.
	repo, ostree cty.Value

	arch      string
	volumeID  string
	imageType string
	filename  string
	kickstart string
	osname    string
	publisher string
	implant   bool
	boot      *bootConfig
}

// bootConfig is the boot block.
type bootConfig struct {
	// tree is the boot tree's directory; bios, efi and catalog are
	// inside it. mbr is the hybrid MBR's file, beside the configuration.
	tree, bios, efi, catalog, mbr string
	// packages makes the boot tree from the artifact's packages, with
	// cmdline and serial in its configurations.
	packages, serial bool
	cmdline          string
}

// imageTypes are productmd's image types (SUPPORTED_IMAGE_TYPES).
var imageTypes = []string{"boot", "cd", "docker", "dvd", "dvd-ostree", "ec2", "kvm", "live", "netinst", "p2v",
	"qcow2", "raw-xz", "rescue", "vagrant-libvirt", "vagrant-virtualbox"}

func attributes() []sdk.Attribute {
	return []sdk.Attribute{
		{Name: "repo", Type: cty.DynamicPseudoType, Description: "The repository the disc carries (artifact.yumrepo.NAME): its Packages/, repodata/ and media.repo, with its .treeinfo made the disc's."},
		{Name: "ostree", Type: cty.DynamicPseudoType, Description: "Instead of repo, the ostree commit the disc installs (artifact.ostree.NAME): its repository goes under ostree/repo with a ks.cfg whose ostreesetup points at it."},
		{Name: "arch", Type: cty.String, Description: "The repository's architecture the disc is for; needed when the repository has several."},
		{Name: "volume_id", Type: cty.String, Required: true, Description: `The volume label installers find the disc by, such as "Fedora-S-dvd-x86_64-41"; at most 32 characters.`},
		{Name: "type", Type: cty.String, Description: `The productmd image type in images.json; default "dvd", or "dvd-ostree" for an ostree installer.`},
		{Name: "filename", Type: cty.String, Description: `The image's file name; default "<short>-<variant>-<type>-<arch>-<version>.iso".`},
		{Name: "kickstart", Type: cty.String, Description: "Kickstart commands written into ks.cfg before ostreesetup (ostree only)."},
		{Name: "osname", Type: cty.String, Description: "The ostree stateroot and remote name ostreesetup uses; default the compose's short name in lower case."},
		{Name: "publisher", Type: cty.String, Description: "The volume's publisher; default the compose name."},
		{Name: "implant_md5", Type: cty.Bool, Description: "Implant the image's MD5 for checkisomd5, as implantisomd5 does (default true)."},
	}
}

func blocks() []sdk.NestedBlock {
	return []sdk.NestedBlock{{
		Name: "boot", Nesting: sdk.NestingSingle,
		Description: "Makes the disc bootable from a boot tree (the directory lorax writes: isolinux/, images/, EFI/), whose files the disc carries.",
		Block: sdk.Block{Attributes: []sdk.Attribute{
			{Name: "tree", Type: cty.String, Description: "The boot tree's directory, relative to the configuration."},
			{Name: "packages", Type: cty.Bool, Description: "Instead of tree, make the boot tree from the artifact's packages: the kernel and initramfs, isolinux from syslinux, GRUB (and shim) for UEFI."},
			{Name: "cmdline", Type: cty.String, Description: "More kernel arguments for a boot tree made from packages."},
			{Name: "serial", Type: cty.Bool, Description: "Boot menus and kernel on the serial console too (a boot tree made from packages)."},
			{Name: "bios", Type: cty.String, Description: `The BIOS El Torito image in the tree; default "isolinux/isolinux.bin" or "images/eltorito.img", whichever the tree has.`},
			{Name: "efi", Type: cty.String, Description: `The EFI system partition image in the tree; default "images/efiboot.img" if the tree has it.`},
			{Name: "catalog", Type: cty.String, Description: `Where the boot catalog goes; default "isolinux/boot.cat" with isolinux, else "boot.cat".`},
			{Name: "mbr", Type: cty.String, Description: `Makes the image hybrid, bootable by BIOS from a USB stick: isolinux's isohdpfx.bin (such as "/usr/share/syslinux/isohdpfx.bin"), relative to the configuration.`},
		}},
	}}
}

// decode reads a configuration and reports what is wrong with it, with
// attribute paths.
func decode(v cty.Value, compose sdk.Compose) (config, sdk.Diagnostics) {
	c := config{repo: cty.NullVal(cty.DynamicPseudoType), ostree: cty.NullVal(cty.DynamicPseudoType), implant: true,
		osname: strings.ToLower(compose.Short), publisher: compose.Name}
	var diags sdk.Diagnostics
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() {
		return c, diags
	}
	get := func(obj cty.Value, attr string) (cty.Value, bool) {
		if !obj.Type().IsObjectType() || !obj.Type().HasAttribute(attr) {
			return cty.NilVal, false
		}
		a := obj.GetAttr(attr)
		return a, a.IsWhollyKnown() && !a.IsNull()
	}
	str := func(obj cty.Value, attr string) string {
		if a, ok := get(obj, attr); ok && a.Type() == cty.String {
			return a.AsString()
		}
		return ""
	}
	orNull := func(attr string) cty.Value {
		if !v.Type().HasAttribute(attr) || v.GetAttr(attr).IsNull() {
			return cty.NullVal(cty.DynamicPseudoType)
		}
		return v.GetAttr(attr)
	}
	c.repo, c.ostree = orNull("repo"), orNull("ostree")
	c.arch, c.volumeID, c.imageType = str(v, "arch"), str(v, "volume_id"), str(v, "type")
	c.filename, c.kickstart = str(v, "filename"), str(v, "kickstart")
	if s := str(v, "osname"); s != "" {
		c.osname = s
		if !osnamePattern.MatchString(s) {
			diags = append(diags, sdk.Errorf(cty.GetAttrPath("osname"), "Invalid osname",
				"osname %q is a stateroot name: letters, digits, _, . and -, not starting with . or -.", s))
		}
	}
	if s := str(v, "publisher"); s != "" {
		c.publisher = s
	}
	if a, ok := get(v, "implant_md5"); ok {
		c.implant = a.True()
	}
	if b := orNull("boot"); !b.IsNull() && b.IsKnown() {
		c.boot = &bootConfig{tree: str(b, "tree"), bios: str(b, "bios"), efi: str(b, "efi"), catalog: str(b, "catalog"), mbr: str(b, "mbr"),
			cmdline: str(b, "cmdline")}
		if a, ok := get(b, "packages"); ok {
			c.boot.packages = a.True()
		}
		if a, ok := get(b, "serial"); ok {
			c.boot.serial = a.True()
		}
		treeSet := b.Type().IsObjectType() && b.Type().HasAttribute("tree") && !b.GetAttr("tree").IsNull()
		switch {
		case treeSet && c.boot.packages:
			diags = append(diags, sdk.Errorf(cty.GetAttrPath("boot").GetAttr("packages"), "Two boot trees",
				"boot takes its files from tree or from packages, not both."))
		case !treeSet && !c.boot.packages:
			diags = append(diags, sdk.Errorf(cty.GetAttrPath("boot"), "No boot tree",
				`boot needs tree = "DIR" (a lorax boot tree) or packages = true (boot files from the artifact's packages).`))
		case treeSet && (c.boot.serial || c.boot.cmdline != ""):
			diags = append(diags, sdk.Errorf(cty.GetAttrPath("boot").GetAttr("cmdline"), "Kernel arguments for a given tree",
				"cmdline and serial go into the configurations of a boot tree made from packages; a given tree has its own."))
		}
	}
	errorf := func(attr, summary, format string, args ...any) {
		diags = append(diags, sdk.Errorf(cty.GetAttrPath(attr), summary, format, args...))
	}
	switch {
	case c.repo.IsNull() && c.ostree.IsNull():
		diags = append(diags, sdk.Errorf(nil, "Nothing to put on the disc",
			"Set repo = artifact.yumrepo.NAME for an installer DVD, or ostree = artifact.ostree.NAME for an ostree installer."))
	case !c.repo.IsNull() && !c.ostree.IsNull():
		errorf("ostree", "Both repo and ostree", "A disc carries a repository or an ostree commit; write one artifact for each.")
	}
	if c.ostree.IsNull() && c.kickstart != "" {
		errorf("kickstart", "Kickstart without ostree", "kickstart is written with the ostreesetup of an ostree installer; set ostree, or drop kickstart.")
	}
	if a, ok := get(v, "volume_id"); ok {
		if err := iso9660.CheckVolumeID(a.AsString()); err != nil {
			errorf("volume_id", "Invalid volume id", "%s.", capitalize(err.Error()))
		}
	}
	if c.imageType != "" && !slices.Contains(imageTypes, c.imageType) {
		errorf("type", "Unknown image type", "type is one of productmd's image types: %s.", strings.Join(imageTypes, ", "))
	}
	if _, set := get(v, "filename"); set {
		if err := files.CheckName(c.filename); err != nil {
			errorf("filename", "Invalid file name", "filename is a file name, without directories: %s.", err)
		}
	}
	if c.imageType == "" {
		c.imageType = "dvd"
		if !c.ostree.IsNull() {
			c.imageType = "dvd-ostree"
		}
	}
	if b := c.boot; b != nil {
		for attr, p := range map[string]string{"bios": b.bios, "efi": b.efi, "catalog": b.catalog} {
			if p != "" && (path.IsAbs(p) || path.Clean(p) != p || strings.HasPrefix(p, "../")) {
				diags = append(diags, sdk.Errorf(cty.GetAttrPath("boot").GetAttr(attr), "Invalid boot path",
					"%s = %q is a clean path inside the boot tree.", attr, p))
			}
		}
	}
	return c, diags
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// imageName is the image's file name.
func (c config) imageName(compose sdk.Compose, subvariant, arch string) string {
	if c.filename != "" {
		return c.filename
	}
	return fmt.Sprintf("%s-%s-%s-%s-%s.iso", compose.Short, subvariant, c.imageType, arch, compose.Version)
}
