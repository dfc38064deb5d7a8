package eval

import (
	"maps"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Compose is the decoded compose block.
type Compose struct {
	Name, Short, Version, Type, Label string
	// Closure is "error", "warn" or "off".
	Closure string
	// Duplicates is "warn" (take one of the files holding one NEVRA) or
	// "error".
	Duplicates string
	Arches     []string
	// Timestamp, when set, is the time stamped into every artifact.
	Timestamp *int64
	// Gather is every artifact's gathering unless it says otherwise.
	Gather Gather
	// SigKeys are the keys every source's packages must be signed with,
	// unless the source says otherwise.
	SigKeys []string
	Range   hcl.Range
}

// Gather says how an artifact's listed packages are completed from the
// sources (Pungi's gather phase).
type Gather struct {
	// Method is "deps" (pull in what the listed packages require) or
	// "none" (only check closure).
	Method string
	// WeakDeps follows weak dependencies (Recommends, Supplements).
	WeakDeps bool
	// Greedy is "none" (the best provider) or "all" (every provider).
	Greedy string
	// Exclude are globs of package names never pulled in.
	Exclude []string
	// Multilib are Pungi's multilib methods ("runtime", "devel", "all";
	// none by default) adding the 32-bit builds of the set's packages,
	// with globs of names always (whitelist) or never (blacklist) added.
	Multilib                             []string
	MultilibWhitelist, MultilibBlacklist []string
	// Sources and Debuginfo ship, in trees of their own, the source
	// packages of what the artifact holds and its debuginfo packages;
	// only types that ship trees (repositories) take them.
	Sources, Debuginfo bool
}

// Gather methods and greedy settings.
var (
	gatherMethods   = []string{"deps", "none"}
	multilibMethods = []string{"none", "runtime", "devel", "all"}
	greedyModes     = []string{"none", "all"}
)

// Source is a package source.
type Source struct {
	Type string // "rpm_dir" or "repo"
	Name string
	// Location is the directory of an rpm_dir, or the path or URL of a
	// repo, as written (relative paths are relative to the configuration).
	Location string
	// SigKeys are the keys its packages must be signed with, in order of
	// preference; the compose's when it sets none.
	SigKeys []string
	Range   hcl.Range
}

// Group is a package group, as comps describes one.
type Group struct {
	ID          string
	Name        string
	Description string
	Mandatory   []string
	Default     []string
	Optional    []string
	// Conditional maps a package to the package whose presence brings it.
	Conditional             map[string]string
	UserVisible             bool
	DisplayOrder            *int64
	NameTranslations        map[string]string
	DescriptionTranslations map[string]string
	Range                   hcl.Range
}

// Packages returns every package name the group lists, conditional
// ones last in name order.
func (g *Group) Packages() []string {
	out := append(append(append([]string(nil), g.Mandatory...), g.Default...), g.Optional...)
	conditional := slices.Sorted(maps.Keys(g.Conditional))
	return append(out, conditional...)
}

// Spec is a package named in a configuration: a name ("bash") or a pin
// ("bash-5.2.26-1.fc41", "bash-0:5.2.26-1.fc41.x86_64").
type Spec struct {
	Text  string
	Range hcl.Range
}

// Module is a module: groups and packages with a version and lifecycle.
type Module struct {
	ID          string
	Name        string
	Stream      string
	Version     int64
	Context     string
	Summary     string
	Description string
	License     []string
	Groups      []string // group ids
	Packages    []Spec
	Requires    []string // module ids
	Profiles    map[string][]string
	API         []string
	EOL         *time.Time
	SLA         string
	// NoGather says the module's packages' requirements are only
	// checked, not pulled in (gather = "none").
	NoGather bool
	Range    hcl.Range
	EOLRange hcl.Range
}

// Variant selects modules into a product variant.
type Variant struct {
	ID string
	// UID names the variant in compose paths, as productmd's variant uid
	// ("Server" in compose/Server/x86_64/os); the block label by default.
	UID      string
	Name     string
	Type     string
	Modules  []string // module ids
	Packages []Spec
	Arches   []string
	// Exclude are globs of package names never pulled into its artifacts.
	Exclude []string
	// Multilib, MultilibWhitelist and MultilibBlacklist are its
	// artifacts' multilib settings unless they set their own.
	Multilib, MultilibWhitelist, MultilibBlacklist []string
	Range                                          hcl.Range
}
