package sdk

import "strings"

// Content describes where an artifact's packages come from: the groups
// and modules that hold them and the variant they were selected for.
// Formats with metadata of their own (comps, modulemd) write it from here.
type Content struct {
	Groups  []Group
	Modules []Module
	// Variant is nil when the artifact selects no variant.
	Variant *Variant
}

// Group is a package group as comps describes one.
type Group struct {
	ID, Name, Description        string
	Mandatory, Default, Optional []string
	// Conditional maps a package to the package that brings it in.
	Conditional             map[string]string
	UserVisible             bool
	DisplayOrder            *int64
	NameTranslations        map[string]string
	DescriptionTranslations map[string]string
}

// Module is a module with its version and lifecycle.
type Module struct {
	ID, Name, Stream string
	Version          int64
	Context          string
	Summary          string
	Description      string
	License          []string
	// Groups are the ids of the module's groups.
	Groups []string
	// Requires are the modules this one requires, as "name:stream".
	Requires []string
	Profiles map[string][]string
	API      []string
	// EOL is the end of life, YYYY-MM-DD, or "".
	EOL string
	SLA string
}

// Variant is a product variant.
type Variant struct {
	ID string
	// UID names the variant in compose paths (productmd's variant uid).
	UID    string
	Name   string
	Type   string
	Arches []string
}

// VariantFor is the variant an artifact selects, its UID set, or when it
// selects none, one named after the artifact: artifact.yumrepo.os["ws"]
// stands for a variant "os-ws".
func (c Content) VariantFor(address string) Variant {
	if v := c.Variant; v != nil {
		out := *v
		if out.UID == "" {
			out.UID = out.ID
		}
		return out
	}
	name := address
	if parts := strings.SplitN(name, ".", 3); len(parts) == 3 {
		name = parts[2]
	}
	name = strings.Trim(strings.NewReplacer(`["`, "-", `"]`, "", "[", "-", "]", "").Replace(name), "-")
	return Variant{ID: name, UID: name, Name: name, Type: "variant"}
}

// Placement says where part of a built artifact belongs in the compose
// tree; strata links it there and writes the compose metadata from it.
type Placement struct {
	// Path is a directory or file of the artifact, "" for all of it.
	Path string
	// ComposePath is where it goes under the compose's compose/ directory,
	// e.g. "Server/x86_64/os".
	ComposePath string
	// Kind is "repository", "image", "ostree" or "other".
	Kind    string
	Variant string
	Arch    string
	// RPMs lists a repository's packages, for rpms.json.
	RPMs []PlacedRPM
	// Category is productmd's category of a repository's packages: ""
	// for binary packages, "source" or "debug" for a source or debuginfo
	// tree. A source tree serves every architecture: an artifact may
	// place it once per Arch, at the same ComposePath.
	Category string `json:",omitempty"`
	// Image describes an image (a file placed with Kind "image"), for
	// images.json.
	Image *Image `json:",omitempty"`
}

// Image is an image's entry in productmd's images.json.
type Image struct {
	// Type is productmd's image type: "dvd", "boot", "dvd-ostree"…
	Type string
	// Format is the file's format, such as "iso".
	Format     string
	Bootable   bool
	VolumeID   string
	ImplantMD5 string // hex, or "" when none is implanted
	SHA256     string
	Size       int64
	DiscNumber int
	DiscCount  int
	// Subvariant names the image's content, such as "Server".
	Subvariant string
	// MTime is the image's timestamp, in seconds since the epoch.
	MTime int64
}

// PlacedRPM is one package of a repository placement.
type PlacedRPM struct {
	// NEVRA and SRPMNEVRA are written name-epoch:version-release.arch,
	// with the epoch always present, as productmd does.
	NEVRA, SRPMNEVRA string
	// Path is relative to the placement's Path.
	Path string
}
