package iso

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/strata-build/strata/plugins/iso/iso9660"
	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

// content is what the disc carries besides its boot files and the
// metadata the plugin writes.
type content struct {
	arch string
	// dir holds the files that go on the disc, under prefix there.
	dir, prefix string
	// treeinfo is the repository's own .treeinfo, nil for ostree.
	treeinfo treeinfo
	// variant is the variant the disc is for.
	variant sdk.Variant
	// ostreeRef is the ref an ostree installer installs, "" for a DVD.
	ostreeRef string
}

// findInput finds the input v stands for: the upstream artifact of type
// typ that attr refers to, by the address strata gives every artifact's
// value.
func findInput(v cty.Value, typ, attr string, inputs []sdk.Input) (*sdk.Input, error) {
	addr := ""
	if v.IsKnown() && !v.IsNull() && v.Type().IsObjectType() && v.Type().HasAttribute("address") {
		if a := v.GetAttr("address"); a.IsKnown() && !a.IsNull() && a.Type() == cty.String {
			addr = a.AsString()
		}
	}
	for i, in := range inputs {
		if addr != "" && in.Address == addr {
			if in.Type != typ {
				return nil, fmt.Errorf("%s is %s, an artifact of type %s; write %s = artifact.%s.NAME", attr, addr, in.Type, attr, typ)
			}
			return &inputs[i], nil
		}
	}
	return nil, fmt.Errorf("%s is not a %s artifact this one is built from; write %s = artifact.%s.NAME", attr, typ, attr, typ)
}

// repoContent finds the repository a DVD carries: one architecture's
// tree of a yumrepo artifact.
func repoContent(c config, inputs []sdk.Input) (*content, error) {
	in, err := findInput(c.repo, "yumrepo", "repo", inputs)
	if err != nil {
		return nil, err
	}
	arch, err := pickArch(c.arch, repoArches(in.Outputs), in.Address)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(in.Path, arch)
	ti, err := readTreeinfo(filepath.Join(dir, ".treeinfo"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Address, err)
	}
	uid := ti.get("general", "variant")
	v := sdk.Variant{ID: uid, UID: uid, Name: uid, Type: "variant"}
	if s := ti["variant-"+uid]; s != nil {
		v = sdk.Variant{ID: s["id"], UID: uid, Name: s["name"], Type: s["type"]}
	}
	if uid == "" {
		return nil, fmt.Errorf("%s: its .treeinfo names no variant", in.Address)
	}
	return &content{arch: arch, dir: dir, treeinfo: ti, variant: v}, nil
}

// ostreeContent finds the ostree repository an ostree installer carries.
func ostreeContent(c config, req *sdk.BuildRequest) (*content, error) {
	in, err := findInput(c.ostree, "ostree", "ostree", req.Inputs)
	if err != nil {
		return nil, err
	}
	var arches []string
	for _, p := range in.Packages {
		if !slices.Contains(arches, p.TargetArch) {
			arches = append(arches, p.TargetArch)
		}
	}
	arch, err := pickArch(c.arch, arches, in.Address)
	if err != nil {
		return nil, err
	}
	str := func(attr string) string {
		if a := in.Outputs.GetAttr(attr); a.IsKnown() && !a.IsNull() {
			return a.AsString()
		}
		return ""
	}
	return &content{arch: arch, dir: filepath.Join(in.Path, str("repo")), prefix: "ostree/repo",
		variant: req.Content.VariantFor(req.Address), ostreeRef: str("ref")}, nil
}

func repoArches(outputs cty.Value) []string {
	var out []string
	if outputs.Type().IsObjectType() && outputs.Type().HasAttribute("repos") {
		if repos := outputs.GetAttr("repos"); repos.IsWhollyKnown() && !repos.IsNull() && repos.LengthInt() > 0 {
			for k := range repos.AsValueMap() {
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// pickArch is want if the upstream has it, else the upstream's only
// architecture.
func pickArch(want string, have []string, addr string) (string, error) {
	switch {
	case want != "" && slices.Contains(have, want):
		return want, nil
	case want != "":
		return "", fmt.Errorf("%s has no %s tree; it has %s", addr, want, orNone(have))
	case len(have) == 1:
		return have[0], nil
	case len(have) == 0:
		return "", fmt.Errorf("%s has no packages, so no architecture to make a disc for", addr)
	}
	return "", fmt.Errorf("%s has trees for %s: set arch to choose the disc's", addr, strings.Join(have, ", "))
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// files lists what the disc carries from the upstream, owned by root as
// on every installer disc, leaving out the metadata the plugin writes.
func (c *content) files() ([]iso9660.File, error) {
	files, err := iso9660.FromDir(c.dir, c.prefix)
	if err != nil {
		return nil, err
	}
	out := files[:0]
	for _, f := range files {
		if c.prefix == "" && (f.Path == ".treeinfo" || f.Path == ".discinfo") {
			continue
		}
		f.UID, f.GID = 0, 0
		out = append(out, f)
	}
	return out, nil
}

// merge adds files from another source (named by from) to the disc's; a
// file in both is an error, a directory in both is listed once.
func merge(disc, more []iso9660.File, from string) ([]iso9660.File, error) {
	have := map[string]fs.FileMode{}
	for _, f := range disc {
		have[f.Path] = f.Mode
	}
	out := disc
	for _, f := range more {
		if mode, dup := have[f.Path]; dup {
			if mode.IsDir() && f.Mode.IsDir() {
				continue
			}
			return nil, fmt.Errorf("%s has %s, which the disc's content has too", from, f.Path)
		}
		out = append(out, f)
	}
	return out, nil
}

// exists reports whether the regular file rel is in dir.
func exists(dir, rel string) bool {
	fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
	return err == nil && fi.Mode().IsRegular()
}
