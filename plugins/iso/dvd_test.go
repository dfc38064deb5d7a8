package iso

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/strata-build/strata/plugins/iso/internal/boottest"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/host"
	"github.com/strata-build/strata/sdk/sdktest"
	"github.com/zclconf/go-cty/cty"
)

const volumeID = "Test-S-dvd-x86_64-41"

// A bootable DVD of a repository, judged by the tools that read discs:
// isoinfo sees the volume id, Rock Ridge and Joliet and lists every file;
// xorriso extracts the repository byte for byte and reports both El
// Torito entries; dnf reads the extracted repository; checkisomd5 and
// sha256sum -c pass; SeaBIOS and OVMF boot it from a CD drive and,
// hybrid, as a hard disk.
func TestDVD(t *testing.T) {
	repo := buildRepo(t, testPackages(t))
	boot := boottest.Tree(t)
	res, out, err := buildISO(t, "artifact.iso.dvd", body(map[string]cty.Value{"repo": ref(repo), "volume_id": cty.StringVal(volumeID),
		"boot": bootBlock(boot, map[string]string{"mbr": "/usr/lib/ISOLINUX/isohdpfx.bin"})}), repo)
	if err != nil {
		t.Fatal(err)
	}
	name := "Test-Server-dvd-x86_64-41.iso"
	iso := filepath.Join(out, name)

	d := sdktest.Run(t, "isoinfo", "-d", "-i", iso)
	for _, want := range []string{"Volume id: " + volumeID, "Joliet with UCS level 3 found", "Rock Ridge signatures version 1 found", "El Torito VD version 1 found"} {
		if !strings.Contains(d, want) {
			t.Errorf("isoinfo -d lacks %q:\n%s", want, d)
		}
	}
	repoDir := filepath.Join(repo.Path, "x86_64")
	want := append(listFiles(t, repoDir, ""), listFiles(t, boot, "")...)
	want = append(want, "/.discinfo", "/isolinux/boot.cat")
	sort.Strings(want)

	x := extract(t, iso)
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(sdktest.Run(t, "isoinfo", "-R", "-f", "-i", iso)), "\n") {
		if fi, err := os.Lstat(filepath.Join(x, l)); err != nil {
			t.Errorf("isoinfo lists %s, which xorriso did not extract", l)
		} else if !fi.IsDir() {
			got = append(got, l)
		}
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("isoinfo -R -f lists\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, sub := range []string{"Packages", "repodata", "media.repo"} {
		if out, err := exec.Command("diff", "-r", filepath.Join(repoDir, sub), filepath.Join(x, sub)).CombinedOutput(); err != nil {
			t.Errorf("the disc's %s differs from the repository's: %v\n%s", sub, err, out)
		}
	}
	for _, sub := range []string{"isolinux/ldlinux.c32", "isolinux/isolinux.cfg", "images/efiboot.img"} {
		if readFile(t, filepath.Join(boot, sub)) != readFile(t, filepath.Join(x, sub)) {
			t.Errorf("the disc's %s differs from the boot tree's", sub)
		}
	}
	// The disc's isolinux.bin carries its boot information table (bytes
	// 8 to 64), as -boot-info-table writes it; the rest is the tree's.
	if bin, disc := readFile(t, filepath.Join(boot, "isolinux/isolinux.bin")), readFile(t, filepath.Join(x, "isolinux/isolinux.bin")); bin[:8] != disc[:8] || bin[64:] != disc[64:] {
		t.Errorf("the disc's isolinux.bin differs from the boot tree's beyond its boot information table")
	}
	if got, ok := sdktest.DNF(t, map[string]string{"disc": x}, "repoquery", "--qf", "%{name}-%{version}", "--available"); !ok || !strings.Contains(got, "a-package-with-a-name-longer-than-iso-9660-level-2-allows-2.0") {
		t.Errorf("dnf repoquery on the extracted disc:\n%s", got)
	}

	checkTreeinfo(t, x, repoDir, boot)
	if got := readFile(t, filepath.Join(x, ".discinfo")); got != "1700000000\nTest 41\nx86_64\n1\n" {
		t.Errorf(".discinfo is %q", got)
	}

	report := sdktest.Run(t, "xorriso", "-indev", iso, "-report_el_torito", "plain")
	for _, want := range []string{"El Torito boot img :   1  BIOS  y   none  0x0000  0x00      4", "El Torito boot img :   2  UEFI  y   none  0x0000  0x00   4096"} {
		if !strings.Contains(report, want) {
			t.Errorf("xorriso -report_el_torito lacks %q:\n%s", want, report)
		}
	}
	sdktest.Run(t, "checkisomd5", iso)
	check := exec.Command("sha256sum", "--strict", "-c", checksumName(name))
	check.Dir = out
	if got, err := check.CombinedOutput(); err != nil || string(got) != name+": OK\n" {
		t.Errorf("sha256sum -c %s: %v\n%s", checksumName(name), err, got)
	}
	checkPlacements(t, res, iso)
	if report := sdktest.Run(t, "xorriso", "-indev", iso, "-report_system_area", "plain"); !strings.Contains(report, "MBR isohybrid") {
		t.Errorf("xorriso -report_system_area finds no isohybrid MBR:\n%s", report)
	}
	boottest.BIOS(t, iso)
	boottest.BIOSDisk(t, iso)
	boottest.UEFI(t, iso)
	boottest.UEFIDisk(t, iso)
}

// checkTreeinfo checks the disc's .treeinfo: the repository's, with the
// disc's media and the boot images with their checksums.
func checkTreeinfo(t *testing.T, disc, repoDir, boot string) {
	t.Helper()
	got, err := readTreeinfo(filepath.Join(disc, ".treeinfo"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := readTreeinfo(filepath.Join(repoDir, ".treeinfo"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := files.SHA256(filepath.Join(boot, "images", "efiboot.img"))
	if err != nil {
		t.Fatal(err)
	}
	want.set("media", "discnum", "1", "totaldiscs", "1")
	want.set("images-x86_64", "efiboot.img", "images/efiboot.img")
	want.set("checksums", "images/efiboot.img", "sha256:"+sum)
	if string(got.bytes()) != string(want.bytes()) {
		t.Errorf(".treeinfo is\n%s\nwant\n%s", got.bytes(), want.bytes())
	}
	if raw := readFile(t, filepath.Join(disc, ".treeinfo")); raw != string(want.bytes()) {
		t.Errorf(".treeinfo is not written as productmd writes it:\n%s", raw)
	}
}

// checkPlacements checks what the build says of the image against the file.
func checkPlacements(t *testing.T, res *host.BuildResult, iso string) {
	t.Helper()
	fi, err := os.Stat(iso)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := files.SHA256(iso)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(iso)
	if len(res.Placements) != 2 {
		t.Fatalf("placements: %+v", res.Placements)
	}
	pl := res.Placements[0]
	im := pl.Image
	if pl.Path != name || pl.ComposePath != "Server/x86_64/iso/"+name || pl.Kind != "image" || pl.Variant != "Server" || pl.Arch != "x86_64" || im == nil {
		t.Fatalf("image placement: %+v", pl)
	}
	if im.SHA256 != sum || im.Size != fi.Size() || im.VolumeID != volumeID || !im.Bootable || im.Type != "dvd" || im.Format != "iso" ||
		im.DiscNumber != 1 || im.DiscCount != 1 || im.Subvariant != "Server" || len(im.ImplantMD5) != 32 || im.MTime != ts {
		t.Errorf("image: %+v", im)
	}
	if got := res.Outputs.GetAttr("sha256").AsString(); got != sum {
		t.Errorf("outputs.sha256 = %s, want %s", got, sum)
	}
}

// listFiles lists the files and links under dir as isoinfo names them,
// leaving out the metadata the plugin writes.
func listFiles(t *testing.T, dir, prefix string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, prefix+"/"+filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
