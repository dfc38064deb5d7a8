package sdk

import (
	"github.com/strata-build/strata/sdk/manifest"
	"github.com/strata-build/strata/sdk/rpm"
	"github.com/zclconf/go-cty/cty"
)

// Package is a resolved package: which file holds it and what it is.
type Package struct {
	Name    string
	Epoch   uint64
	Version string
	Release string
	Arch    string
	// Path is the package file, readable by the plugin.
	Path string
	// SHA256 is the hex digest of the whole file. In a plan request it
	// may be empty: planning reads only the headers of local packages.
	SHA256    string
	Size      int64
	BuildTime int64
	// TargetArch is the compose architecture the package was selected for.
	TargetArch string
	// Modules are the names of the modules that brought the package in.
	Modules []string
	// Scriptlets says the package runs scripts when installed, as far as
	// its source tells: packages read from files say, repository
	// metadata does not.
	Scriptlets bool
	// Category is productmd's: "" for a binary package, "source" for the
	// source package of binaries selected for TargetArch, "debug" for
	// their debuginfo and debugsource packages (see Schema.Trees).
	Category string
}

// NEVRA formats the package as name-[epoch:]version-release.arch.
func (p Package) NEVRA() string {
	return rpm.NEVRA(p.Name, rpm.EVR{Epoch: p.Epoch, Version: p.Version, Release: p.Release}, p.Arch)
}

// Input is an upstream artifact: one this artifact's configuration refers
// to.
type Input struct {
	Address string // e.g. artifact.oci.base
	Type    string
	Key     string // the upstream's cache key
	// Path is the directory holding the upstream's files; empty while
	// planning an upstream that is not built yet.
	Path string
	// Outputs are the upstream's outputs; unknown while planning an
	// upstream that is not built yet.
	Outputs cty.Value
	// Packages are the packages the upstream was built from.
	Packages []Package
	// Manifest lists the upstream's files as the store recorded them;
	// set for a build's Previous only.
	Manifest []manifest.File
}

// Compose names the product being composed.
type Compose struct {
	Name, Short, Version, Type string
}

// PlanRequest asks a Type to plan one artifact.
type PlanRequest struct {
	Address  string
	Config   cty.Value
	Packages []Package
	Inputs   []Input
	Compose  Compose
	Content  Content
	// ConfigDir is the configuration's directory, absolute: a relative
	// path in Config is relative to it.
	ConfigDir string
}

// PlanResponse is a Type's plan of one artifact.
type PlanResponse struct {
	// Outputs is the object the artifact will evaluate to, with unknown
	// values where only a build can tell. cty.NilVal means "all unknown".
	Outputs cty.Value
	// KeyMaterial is anything else the result depends on; it becomes part
	// of the cache key.
	KeyMaterial []byte
	// Publish names where the artifact is sent after it is built and
	// stored (a registry reference, say); empty when it stays local. The
	// Type must implement Publisher. strata publishes again when this
	// changes or the last attempt failed, without rebuilding.
	Publish string
}

// PublishRequest asks a Publisher to send a stored artifact.
type PublishRequest struct {
	Address string
	Config  cty.Value
	// Path is the artifact's directory in the store; read it, never
	// write it.
	Path string
	// Outputs are the artifact's outputs from its build.
	Outputs cty.Value
}

// PublishResponse describes what was published.
type PublishResponse struct {
	// Outputs describe the publication, such as the pushed reference
	// and digest; strata records them in its state and the lineage.
	Outputs cty.Value
}

// BuildRequest asks a Type to build one artifact.
type BuildRequest struct {
	Address  string
	Config   cty.Value
	Packages []Package
	Inputs   []Input
	Compose  Compose
	Content  Content
	// ConfigDir is the configuration's directory, absolute: a relative
	// path in Config is relative to it.
	ConfigDir string
	// OutputDir is an empty directory for the artifact's files. Everything
	// in it when Build returns is the artifact.
	OutputDir string
	// WorkDir is scratch space, removed after the build.
	WorkDir string
	// CacheDir persists across builds, for this plugin alone. What a
	// plugin keeps there must be keyed by what it was made from.
	CacheDir string
	// Timestamp is the time to stamp into the artifact, in seconds since
	// the epoch, derived from its inputs; never the clock.
	Timestamp int64
	// Previous is the artifact's last build that strata still holds (the
	// same address, built from other inputs), or nil: a plugin that keeps
	// history, like an ostree commit's parent, or that builds
	// incrementally starts from it. Its files belong to the store: link
	// or copy them, never change them in place. Its Packages are empty;
	// its Manifest lists the files under its Path, and files hard-linked
	// from it are not hashed again when the build is listed. The package
	// files the previous build named in PackageFiles are in neither.
	Previous *Input
	// PoolPackages says strata places package files itself: instead of
	// linking or copying one of Packages into OutputDir, a plugin may
	// name it in BuildResponse.PackageFiles, and strata holds it once in
	// its store for every artifact that ships it (a repository of tens of
	// thousands of packages is then stored without linking each).
	PoolPackages bool
}

// BuildResponse is the result of a successful build.
type BuildResponse struct {
	// Outputs is the object the artifact evaluates to.
	Outputs cty.Value
	// Placements say where the artifact's parts belong in the compose
	// tree; none puts it all under <type>/<name>/.
	Placements []Placement
	// Known maps output files (slash-separated paths) to the sha256 the
	// plugin knows they have, such as packages linked or copied in whose
	// digest strata gave it; the manifest takes these without reading the
	// files. strata checks them itself.
	Known map[string]string
	// PackageFiles are files of the artifact the plugin did not write,
	// when the request's PoolPackages allows it: each output path
	// (slash-separated) is the request's package of that sha256, which
	// strata places there itself. The path must not be one the plugin
	// wrote.
	PackageFiles map[string]string
}
