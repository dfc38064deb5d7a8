package compose

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/strata-build/strata/core/store"
)

type header struct {
	Type    string `json:"type"`
	Version string `json:"version"`
}

// lineage is compose/metadata/lineage.json: what every artifact was built
// from, by address.
type lineage struct {
	Header  header `json:"header"`
	Payload struct {
		Compose struct {
			ID      string `json:"id"`
			Name    string `json:"name"`
			Short   string `json:"short"`
			Version string `json:"version"`
		} `json:"compose"`
		Artifacts map[string]lineageArtifact `json:"artifacts"`
	} `json:"payload"`
}

type lineageArtifact struct {
	Key string `json:"key"`
	// Paths are where its parts are, under the compose directory.
	Paths          []string `json:"paths"`
	ManifestDigest string   `json:"manifest_digest"`
	// Published says where the artifact was published, with what its
	// plugin reported (an image's pushed reference and digest).
	Published *published `json:"published,omitempty"`
	// BuiltOn says where it was built, when not by the apply that
	// stored it (a Nomad node and allocation).
	BuiltOn string `json:"built_on,omitempty"`
	// Lineage is the stored entry's lineage object, whose fields follow
	// the ones above in the artifact's object.
	Lineage json.RawMessage `json:"-"`
}

// encode writes the document as json.MarshalIndent would with four
// spaces, each artifact's lineage copied as the store keeps it, indented
// for its place here: for a repository of tens of thousands of packages,
// decoding and encoding it again, or only scanning it, would be most of
// writing the compose's metadata.
func (l *lineage) encode() ([]byte, error) {
	header, err := json.MarshalIndent(l.Header, "    ", "    ")
	if err != nil {
		return nil, err
	}
	compose, err := json.MarshalIndent(l.Payload.Compose, "        ", "    ")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	size := 4096
	for _, a := range l.Payload.Artifacts {
		size += 1024 + len(a.Lineage)
	}
	b.Grow(size)
	fmt.Fprintf(&b, "{\n    \"header\": %s,\n    \"payload\": {\n        \"compose\": %s,\n        \"artifacts\": ", header, compose)
	addrs := slices.Sorted(maps.Keys(l.Payload.Artifacts))
	if len(addrs) == 0 {
		b.WriteString("{}")
	} else {
		b.WriteString("{\n")
		for i, addr := range addrs {
			name, err := json.Marshal(addr)
			if err != nil {
				return nil, err
			}
			if i > 0 {
				b.WriteString(",\n")
			}
			fmt.Fprintf(&b, "%s%s: ", store.LineageIndent, name)
			if err := l.Payload.Artifacts[addr].writeTo(&b); err != nil {
				return nil, err
			}
		}
		b.WriteString("\n        }")
	}
	b.WriteString("\n    }\n}\n")
	return b.Bytes(), nil
}

// writeTo writes the artifact's object indented for its place in the
// document: its fields, then its lineage's.
func (a lineageArtifact) writeTo(b *bytes.Buffer) error {
	head, err := json.MarshalIndent(a, store.LineageIndent, "    ")
	if err != nil {
		return err
	}
	closing := "\n" + store.LineageIndent + "}"
	lin := a.Lineage
	if len(lin) == 0 {
		b.Write(head)
		return nil
	}
	if !bytes.HasPrefix(lin, []byte("{\n")) || !bytes.HasSuffix(lin, []byte(closing)) || !bytes.HasSuffix(head, []byte(closing)) {
		return fmt.Errorf("the lineage of %s is not indented as the store writes it", a.Key)
	}
	b.Write(head[:len(head)-len(closing)])
	b.WriteString(",\n")
	b.Write(lin[2:])
	return nil
}

type published struct {
	To      string          `json:"to"`
	Outputs json.RawMessage `json:"outputs"`
}

func lineageDoc(info Info, arts []Artifact) *lineage {
	l := &lineage{Header: header{Type: "strata.lineage", Version: "1.0"}}
	l.Payload.Compose.Name, l.Payload.Compose.Short, l.Payload.Compose.Version = info.Name, info.Short, info.Version
	l.Payload.Artifacts = map[string]lineageArtifact{}
	for _, a := range arts {
		la := lineageArtifact{Key: a.Entry.Key, ManifestDigest: a.Entry.ManifestDigest, Lineage: a.Entry.Lineage, BuiltOn: a.Entry.BuiltOn}
		if a.Published != "" {
			la.Published = &published{To: a.Published, Outputs: a.PublishedOutputs}
		}
		for _, pl := range linked(a) {
			la.Paths = append(la.Paths, "compose/"+pl.ComposePath)
		}
		l.Payload.Artifacts[a.Addr.String()] = la
	}
	return l
}

// composeHeader is the "compose" object every productmd file carries.
func composeHeader(info Info, id string, respin int) map[string]any {
	return map[string]any{
		"id": id, "date": info.Date.UTC().Format("20060102"), "respin": respin, "type": info.Type, "label": nullable(info.Label),
	}
}

// composeInfo is productmd's composeinfo.json (format 1.2), with a variant
// for every variant artifacts are placed under.
func composeInfo(info Info, head map[string]any, arts []Artifact) any {
	variants := map[string]any{}
	for _, a := range arts {
		for _, pl := range placements(a) {
			if pl.Variant == "" || pl.Arch == "" {
				continue
			}
			v, ok := variants[pl.Variant].(map[string]any)
			if !ok {
				vi := info.Variants[pl.Variant]
				v = map[string]any{"id": vi.ID, "uid": pl.Variant, "name": vi.Name, "type": vi.Type,
					"arches": []string{}, "paths": map[string]map[string]string{}}
				variants[pl.Variant] = v
			}
			v["arches"] = addSorted(v["arches"].([]string), pl.Arch)
			paths := v["paths"].(map[string]map[string]string)
			set := func(kind, path string) {
				if paths[kind] == nil {
					paths[kind] = map[string]string{}
				}
				paths[kind][pl.Arch] = path
			}
			switch pl.Kind {
			case "repository":
				// productmd's keys: os_tree, source_tree, debug_tree…
				tree, prefix := "os_tree", ""
				if pl.Category == "source" || pl.Category == "debug" {
					tree, prefix = pl.Category+"_tree", pl.Category+"_"
				}
				set(tree, pl.ComposePath)
				set(prefix+"repository", pl.ComposePath)
				set(prefix+"packages", pl.ComposePath+"/Packages")
			case "image":
				set("isos", path.Dir(pl.ComposePath))
			}
		}
	}
	return map[string]any{
		"header": header{Type: "productmd.composeinfo", Version: "1.2"},
		"payload": map[string]any{
			"compose": head,
			"release": map[string]any{
				"name": info.Name, "short": info.Short, "version": info.Version, "type": "ga",
				"internal": false, "is_layered": false,
			},
			"variants": variants,
		},
	}
}

// rpmsDoc is productmd's rpms.json: every package of every repository,
// by variant, arch and source package.
func rpmsDoc(head map[string]any, arts []Artifact) ([]byte, error) {
	rpms := rpmsTree{}
	for _, a := range arts {
		for _, pl := range placements(a) {
			if pl.Kind != "repository" {
				continue
			}
			if rpms[pl.Variant] == nil {
				rpms[pl.Variant] = map[string]map[string]map[string]placedRPM{}
			}
			if rpms[pl.Variant][pl.Arch] == nil {
				rpms[pl.Variant][pl.Arch] = map[string]map[string]placedRPM{}
			}
			byArch := rpms[pl.Variant][pl.Arch]
			keys := sigKeys(a.Entry)
			for _, r := range pl.RPMs {
				if byArch[r.SRPMNEVRA] == nil {
					byArch[r.SRPMNEVRA] = map[string]placedRPM{}
				}
				category := pl.Category
				switch {
				case strings.HasSuffix(r.NEVRA, ".src"):
					category = "source"
				case category == "":
					category = "binary"
				}
				byArch[r.SRPMNEVRA][r.NEVRA] = placedRPM{Category: category, Path: pl.ComposePath + "/" + r.Path, SigKey: nullable(keys[strings.Replace(r.NEVRA, "-0:", "-", 1)])}
			}
		}
	}
	return rpms.encode(head)
}

// placedRPM is a package's entry in rpms.json, its fields in the order
// of a map's keys: a struct encodes faster, and there are tens of
// thousands.
type placedRPM struct {
	Category string `json:"category"`
	Path     string `json:"path"`
	SigKey   any    `json:"sigkey"`
}

// sigKeys maps the NEVRAs of an entry's packages to the keys that signed
// them. Only a lineage that records a key is decoded: for a repository
// of tens of thousands of packages that is most of writing rpms.json.
func sigKeys(e *store.Entry) map[string]string {
	if !bytes.Contains(e.Lineage, []byte(`"sigkey"`)) {
		return nil
	}
	l, err := e.DecodeLineage()
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, p := range l.Packages {
		if p.SigKey != "" {
			out[p.NEVRA] = p.SigKey
		}
	}
	return out
}

// imagesDoc is productmd's images.json: every image placement, by
// variant and arch, sorted by path as productmd sorts them.
func imagesDoc(head map[string]any, arts []Artifact) any {
	images := map[string]map[string][]image{}
	for _, a := range arts {
		for _, pl := range placements(a) {
			im := pl.Image
			if pl.Kind != "image" || im == nil {
				continue
			}
			if images[pl.Variant] == nil {
				images[pl.Variant] = map[string][]image{}
			}
			images[pl.Variant][pl.Arch] = append(images[pl.Variant][pl.Arch], image{
				Arch: pl.Arch, Bootable: im.Bootable, Checksums: map[string]string{"sha256": im.SHA256},
				DiscCount: im.DiscCount, DiscNumber: im.DiscNumber, Format: im.Format, ImplantMD5: nullable(im.ImplantMD5),
				MTime: im.MTime, Path: pl.ComposePath, Size: im.Size, Subvariant: im.Subvariant, Type: im.Type,
				VolumeID: nullable(im.VolumeID)})
		}
	}
	for _, byArch := range images {
		for _, list := range byArch {
			sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
		}
	}
	return map[string]any{"header": header{Type: "productmd.images", Version: "1.2"},
		"payload": map[string]any{"compose": head, "images": images}}
}

// image is one entry of images.json, its keys in productmd's order
// (sorted).
type image struct {
	Arch       string            `json:"arch"`
	Bootable   bool              `json:"bootable"`
	Checksums  map[string]string `json:"checksums"`
	DiscCount  int               `json:"disc_count"`
	DiscNumber int               `json:"disc_number"`
	Format     string            `json:"format"`
	ImplantMD5 any               `json:"implant_md5"`
	MTime      int64             `json:"mtime"`
	Path       string            `json:"path"`
	Size       int64             `json:"size"`
	Subvariant string            `json:"subvariant"`
	Type       string            `json:"type"`
	VolumeID   any               `json:"volume_id"`
}

func addSorted(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	list = append(list, s)
	sort.Strings(list)
	return list
}

func nullable(s string) any {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return s
}
