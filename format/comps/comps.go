// Package comps reads and writes comps.xml, the group file yum and dnf
// read for dnf group list/info/install: groups with their mandatory,
// default, optional and conditional packages and translations,
// categories, environments and langpacks. The element order is
// libcomps's (libcomps/src/comps_doc.c, comps_doc_xml_str); the elements
// are those of Fedora's comps.dtd
// (https://pagure.io/fedora-comps/blob/main/f/comps.dtd).
package comps

// Comps is one comps document.
type Comps struct {
	Groups       []Group
	Categories   []Category
	Environments []Environment
	Langpacks    []Langpack
	// Unknown lists the elements Read did not recognise.
	Unknown []Unknown
}

// Group is a package group.
type Group struct {
	ID, Name, Description   string
	NameTranslations        map[string]string
	DescriptionTranslations map[string]string
	Default                 bool
	UserVisible             bool
	DisplayOrder            *int64
	Packages                []PackageReq
}

// PackageReq is one package of a group; Type is "mandatory", "default",
// "optional" or "conditional" (with Requires).
type PackageReq struct {
	Name, Type, Requires string
	// Arch limits the package to some architectures ("aarch64,x86_64").
	Arch string
}

// Category groups groups for installers.
type Category struct {
	ID, Name, Description string
	DisplayOrder          *int64
	Groups                []string
}

// Environment is an installable set of groups, with optional extras.
type Environment struct {
	ID, Name, Description string
	DisplayOrder          *int64
	Groups, Options       []string
}

// Langpack installs Install (a pattern with %s for the language) beside
// a package named Name, for each installed language.
type Langpack struct {
	Name, Install string
}

// Unknown is an element Read did not recognise: its name, and where it
// was ("<comps>", `group "core"`, `environment "server"`).
type Unknown struct {
	Element, In string
}
