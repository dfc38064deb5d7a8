package iso

import (
	"context"
	"encoding/json"

	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/manifest"
	"github.com/zclconf/go-cty/cty"
)

type isoType struct{}

func (isoType) Schema() sdk.Schema {
	return sdk.Schema{
		Description: "An installer disc image (ISO 9660 with Rock Ridge and Joliet) of a yum repository or an ostree commit, bootable with a boot tree, its MD5 implanted.",
		// The selection names the disc's variant (an ostree installer's).
		Packages: true,
		Block:    sdk.Block{Attributes: attributes(), Blocks: blocks()},
	}
}

func (isoType) Validate(_ context.Context, v cty.Value) sdk.Diagnostics {
	_, diags := decode(v, sdk.Compose{})
	return diags
}

// Plan checks the boot tree, whose files become part of the cache key.
func (isoType) Plan(_ context.Context, req *sdk.PlanRequest) (*sdk.PlanResponse, sdk.Diagnostics) {
	c, diags := decode(req.Config, req.Compose)
	if diags.HasErrors() {
		return nil, diags
	}
	resp := &sdk.PlanResponse{Outputs: outputs(c, c.filename, nil)}
	if c.boot != nil && !c.boot.packages {
		b, err := openBoot(c.boot, c.arch, req.ConfigDir)
		if err != nil {
			return nil, append(diags, sdk.Errorf(cty.GetAttrPath("boot").GetAttr("tree"), "Unusable boot tree", "%s.", capitalize(err.Error())))
		}
		files, err := manifest.Scan(c.boot.dir(req.ConfigDir), nil)
		if err != nil {
			return nil, append(diags, sdk.Errorf(cty.GetAttrPath("boot").GetAttr("tree"), "Unreadable boot tree", "%s.", capitalize(err.Error())))
		}
		// The boot tree's files and the hybrid MBR are what the disc
		// depends on beside its inputs.
		resp.KeyMaterial, _ = json.Marshal(struct {
			Tree []manifest.File
			MBR  []byte
		}{files, b.mbr})
	}
	return resp, diags
}

// outputs is the artifact's value; name is "" and im nil where only the
// build can tell.
func outputs(c config, name string, im *sdk.Image) cty.Value {
	unknown := cty.UnknownVal(cty.String)
	o := map[string]cty.Value{"file": unknown, "volume_id": cty.StringVal(c.volumeID), "sha256": unknown,
		"implant_md5": unknown, "size": cty.UnknownVal(cty.Number)}
	if name != "" {
		o["file"] = cty.StringVal(name)
	}
	if im != nil {
		o["sha256"], o["implant_md5"], o["size"] = cty.StringVal(im.SHA256), cty.StringVal(im.ImplantMD5), cty.NumberIntVal(im.Size)
	}
	return cty.ObjectVal(o)
}
