package iso

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

// Configurations refused before anything is built, each naming the
// attribute at fault.
func TestValidate(t *testing.T) {
	repo := cty.ObjectVal(map[string]cty.Value{"repos": cty.MapVal(map[string]cty.Value{"x86_64": cty.StringVal("x86_64")})})
	for _, tc := range []struct {
		name string
		set  map[string]cty.Value
		path string
		want string
	}{
		{"long volume id", map[string]cty.Value{"repo": repo, "volume_id": cty.StringVal(strings.Repeat("A", 33))}, "volume_id", "has 33 characters; ISO 9660 allows 32"},
		{"volume id character", map[string]cty.Value{"repo": repo, "volume_id": cty.StringVal("Test#41")}, "volume_id", `has '#' at 4`},
		{"nothing on the disc", map[string]cty.Value{"volume_id": cty.StringVal("X")}, "", "Set repo = artifact.yumrepo.NAME"},
		{"repo and ostree", map[string]cty.Value{"repo": repo, "ostree": repo, "volume_id": cty.StringVal("X")}, "ostree", "write one artifact for each"},
		{"kickstart without ostree", map[string]cty.Value{"repo": repo, "volume_id": cty.StringVal("X"), "kickstart": cty.StringVal("reboot")}, "kickstart", "set ostree"},
		{"unknown type", map[string]cty.Value{"repo": repo, "volume_id": cty.StringVal("X"), "type": cty.StringVal("floppy")}, "type", "dvd-ostree"},
		{"osname ostree refuses", map[string]cty.Value{"ostree": repo, "volume_id": cty.StringVal("X"), "osname": cty.StringVal("fedora host")}, "osname", "is a stateroot name"},
		{"file name with a directory", map[string]cty.Value{"repo": repo, "volume_id": cty.StringVal("X"), "filename": cty.StringVal("a/b.iso")}, "filename", "without directories"},
		{"two boot trees", map[string]cty.Value{"repo": repo, "volume_id": cty.StringVal("X"), "boot": bootBlock("boot", map[string]string{"packages": "true"})}, "boot.packages", "not both"},
		{"no boot tree", map[string]cty.Value{"repo": repo, "volume_id": cty.StringVal("X"), "boot": bootBlock("", nil)}, "boot", "or packages = true"},
		{"boot path outside the tree", map[string]cty.Value{"repo": repo, "volume_id": cty.StringVal("X"), "boot": bootBlock("boot", map[string]string{"bios": "../isolinux.bin"})}, "boot.bios", "inside the boot tree"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := isoType{}.Validate(context.Background(), body(tc.set))
			if len(diags) != 1 || !strings.Contains(diags[0].Detail, tc.want) || pathString(diags[0].Path) != tc.path {
				t.Fatalf("diagnostics %+v, want one at %q saying %q", diags, tc.path, tc.want)
			}
		})
	}
}

// A body without the schema's attributes, or no object at all, is
// decoded without a panic.
func TestValidateOddValues(t *testing.T) {
	for _, v := range []cty.Value{cty.EmptyObjectVal, cty.StringVal("x"), cty.DynamicVal, cty.NullVal(cty.DynamicPseudoType)} {
		isoType{}.Validate(context.Background(), v)
	}
}

// Builds refused with a clear error, leaving nothing written.
func TestRefuses(t *testing.T) {
	repo := buildRepo(t, testPackages(t))
	tree := func(drop ...string) string {
		dir := t.TempDir()
		for _, f := range []string{"isolinux/isolinux.bin", "isolinux/ldlinux.c32", "images/efiboot.img"} {
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(drop, f) {
				if err := os.WriteFile(filepath.Join(dir, f), []byte(f), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		return dir
	}
	conflicting := tree()
	if err := os.WriteFile(filepath.Join(conflicting, "media.repo"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	other := repo
	other.Address = "artifact.yumrepo.other"
	for _, tc := range []struct {
		name string
		set  map[string]cty.Value
		want string
	}{
		{"no ldlinux.c32", map[string]cty.Value{"boot": bootBlock(tree("isolinux/ldlinux.c32"), nil)}, "lacks isolinux/ldlinux.c32 (isolinux loads it)"},
		{"named images missing", map[string]cty.Value{"boot": bootBlock(tree("isolinux/isolinux.bin", "images/efiboot.img"), map[string]string{"bios": "isolinux/isolinux.bin", "efi": "images/efiboot.img"})},
			"lacks isolinux/isolinux.bin (bios), images/efiboot.img (efi)"},
		{"no boot image", map[string]cty.Value{"boot": bootBlock(tree("isolinux/isolinux.bin", "images/efiboot.img"), nil)}, "has no boot image"},
		{"hybrid without a BIOS image", map[string]cty.Value{"boot": bootBlock(tree("isolinux/isolinux.bin"), map[string]string{"mbr": "/usr/lib/ISOLINUX/isohdpfx.bin"})}, "mbr makes the disc boot its BIOS image from a disk"},
		{"hybrid MBR missing", map[string]cty.Value{"boot": bootBlock(tree(), map[string]string{"mbr": "/nonexistent/isohdpfx.bin"})}, "the hybrid MBR: open /nonexistent/isohdpfx.bin"},
		{"boot files from no package", map[string]cty.Value{"boot": bootBlock("", map[string]string{"packages": "true"})},
			"boot: no package of the artifact installs a kernel, nor an initramfs, nor isolinux (isolinux.bin and ldlinux.c32, from syslinux) or GRUB for UEFI"},
		{"boot tree missing", map[string]cty.Value{"boot": bootBlock(filepath.Join(t.TempDir(), "none"), nil)}, "is not a directory"},
		{"boot tree file on the repository's", map[string]cty.Value{"boot": bootBlock(conflicting, nil)}, "the boot tree " + conflicting + " has media.repo, which the disc's content has too"},
		{"repo not an input", map[string]cty.Value{"repo": ref(other)}, "repo is not a yumrepo artifact this one is built from"},
		{"repo of another type", map[string]cty.Value{"repo": ref(commitLike(repo))}, "repo is artifact.yumrepo.os, an artifact of type ostree"},
		{"arch the repo lacks", map[string]cty.Value{"arch": cty.StringVal("aarch64")}, "artifact.yumrepo.os has no aarch64 tree; it has x86_64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set := map[string]cty.Value{"repo": ref(repo), "volume_id": cty.StringVal("X")}
			for k, v := range tc.set {
				set[k] = v
			}
			inputs := []sdk.Input{repo}
			if tc.name == "repo of another type" {
				inputs = []sdk.Input{commitLike(repo)}
			}
			_, out, err := buildISO(t, "artifact.iso.dvd", body(set), inputs...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if left, _ := os.ReadDir(out); len(left) > 0 {
				t.Errorf("the failed build left %d files", len(left))
			}
		})
	}
}

// Two builds from the same inputs are the same bytes.
func TestReproducible(t *testing.T) {
	repo := buildRepo(t, testPackages(t))
	var sums []string
	for i := 0; i < 2; i++ {
		res, _, err := buildISO(t, "artifact.iso.dvd", body(map[string]cty.Value{"repo": ref(repo), "volume_id": cty.StringVal(volumeID)}), repo)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, res.Outputs.GetAttr("sha256").AsString())
	}
	if sums[0] != sums[1] {
		t.Errorf("two builds: %s and %s", sums[0], sums[1])
	}
}

// commitLike is in, said to be an ostree commit.
func commitLike(in sdk.Input) sdk.Input {
	in.Type = "ostree"
	return in
}

func pathString(p cty.Path) string {
	var parts []string
	for _, s := range p {
		if a, ok := s.(cty.GetAttrStep); ok {
			parts = append(parts, a.Name)
		}
	}
	return strings.Join(parts, ".")
}
