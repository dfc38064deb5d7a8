package iso

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/strata-build/strata/plugins/iso/iso9660"
	"github.com/strata-build/strata/sdk"
)

func (isoType) Build(ctx context.Context, req *sdk.BuildRequest, r sdk.Reporter) (*sdk.BuildResponse, error) {
	c, diags := decode(req.Config, req.Compose)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	var cn *content
	var err error
	if !c.repo.IsNull() {
		cn, err = repoContent(c, req.Inputs)
	} else {
		cn, err = ostreeContent(c, req)
	}
	if err != nil {
		return nil, err
	}
	files, err := cn.files()
	if err != nil {
		return nil, err
	}
	var boot *bootTree
	if c.boot != nil {
		given := c.boot
		if c.boot.packages {
			if given, err = bootFromPackages(c, cn, req); err != nil {
				return nil, err
			}
		}
		if boot, err = openBoot(given, cn.arch, req.ConfigDir); err != nil {
			return nil, err
		}
		if err := boot.hashImages(); err != nil {
			return nil, err
		}
		if files, err = merge(files, boot.files, "the boot tree "+boot.name); err != nil {
			return nil, err
		}
	}
	ts := req.Timestamp
	meta := []iso9660.File{
		memFile(".treeinfo", discTreeinfo(cn, boot, req.Compose, ts).bytes()),
		memFile(".discinfo", discinfo(req.Compose, cn.arch, ts)),
	}
	if cn.ostreeRef != "" {
		meta = append(meta, memFile("ks.cfg", kickstart(c.kickstart, c.osname, cn.ostreeRef)))
	}
	if files, err = merge(files, meta, "the metadata strata writes"); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	name := c.imageName(req.Compose, cn.variant.UID, cn.arch)
	opts := iso9660.Options{VolumeID: c.volumeID, Publisher: c.publisher, Preparer: "strata iso " + Version,
		Application: req.Compose.Name + " " + req.Compose.Version, Time: time.Unix(ts, 0).UTC(), Joliet: true, ImplantMD5: c.implant}
	if boot != nil {
		opts.Boot, opts.Catalog, opts.HybridMBR = boot.boot, boot.catalog, boot.mbr
	}
	r.Progress(0, 2, fmt.Sprintf("writing %s (%d files)", name, len(files)))
	res, sum, err := writeImage(filepath.Join(req.OutputDir, name), files, opts)
	if err != nil {
		return nil, err
	}
	r.Progress(1, 2, "writing CHECKSUM")
	if err := os.WriteFile(filepath.Join(req.OutputDir, checksumName(name)), checksumFile(name, res.Size, sum), 0o644); err != nil {
		return nil, err
	}
	im := &sdk.Image{Type: c.imageType, Format: "iso", Bootable: boot != nil, VolumeID: c.volumeID, ImplantMD5: res.MD5,
		SHA256: sum, Size: res.Size, DiscNumber: 1, DiscCount: 1, Subvariant: cn.variant.UID, MTime: ts}
	dir := path.Join(cn.variant.UID, cn.arch, "iso")
	r.Progress(2, 2, "done")
	return &sdk.BuildResponse{
		Outputs: outputs(c, name, im),
		Placements: []sdk.Placement{
			{Path: name, ComposePath: path.Join(dir, name), Kind: "image", Variant: cn.variant.UID, Arch: cn.arch, Image: im},
			{Path: checksumName(name), ComposePath: path.Join(dir, checksumName(name)), Kind: "other", Variant: cn.variant.UID, Arch: cn.arch},
		},
		Known: map[string]string{name: sum},
	}, nil
}

// bootFromPackages makes the boot tree from the artifact's packages of
// the disc's architecture, in the work directory.
func bootFromPackages(c config, cn *content, req *sdk.BuildRequest) (*bootConfig, error) {
	var pkgs []sdk.Package
	for _, p := range req.Packages {
		if p.TargetArch == cn.arch {
			pkgs = append(pkgs, p)
		}
	}
	dir := filepath.Join(req.WorkDir, "boot")
	title := req.Compose.Name + " " + req.Compose.Version
	if err := packageBootTree(pkgs, c.boot, c.volumeID, title, cn.ostreeRef != "", time.Unix(req.Timestamp, 0), dir); err != nil {
		return nil, err
	}
	return &bootConfig{tree: dir, catalog: c.boot.catalog, mbr: c.boot.mbr}, nil
}

// writeImage writes the image to path and returns what it is, with its
// sha256, read back once the implanted MD5 is in place.
func writeImage(path string, files []iso9660.File, opts iso9660.Options) (iso9660.Result, string, error) {
	f, err := os.Create(path)
	if err != nil {
		return iso9660.Result{}, "", err
	}
	defer f.Close()
	res, err := iso9660.Write(f, files, opts)
	if err != nil {
		return res, "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return res, "", err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return res, "", err
	}
	return res, hex.EncodeToString(h.Sum(nil)), f.Close()
}

// memFile is a file of the disc held in memory.
func memFile(name string, data []byte) iso9660.File {
	return iso9660.File{Path: name, Mode: 0o644, Size: int64(len(data)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}
