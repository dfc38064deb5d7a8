package rpm

import "strings"

// Flags are the sense flags of a dependency (rpm's rpmsenseFlags).
type Flags uint32

// Sense flags.
const (
	SenseLess         Flags = 1 << 1
	SenseGreater      Flags = 1 << 2
	SenseEqual        Flags = 1 << 3
	SensePostTrans    Flags = 1 << 5
	SensePreReq       Flags = 1 << 6
	SensePreTrans     Flags = 1 << 7
	SenseInterp       Flags = 1 << 8
	SenseScriptPre    Flags = 1 << 9
	SenseScriptPost   Flags = 1 << 10
	SenseScriptPreUn  Flags = 1 << 11
	SenseScriptPostUn Flags = 1 << 12
	SenseMissingOK    Flags = 1 << 19
	SenseRPMLib       Flags = 1 << 24
	SenseKeyring      Flags = 1 << 26

	SenseMask = SenseLess | SenseGreater | SenseEqual
)

// Dependency is one entry of a dependency list: a name, and when Flags has
// a comparison, a version "[epoch:]version[-release]".
type Dependency struct {
	Name    string
	Flags   Flags
	Version string
}

// Kind names a dependency list.
type Kind int

// The dependency lists of a package.
const (
	Provides Kind = iota
	Requires
	Conflicts
	Obsoletes
	Recommends
	Suggests
	Supplements
	Enhances
)

var kindTags = [...][3]Tag{
	Provides:    {TagProvideName, TagProvideFlags, TagProvideVersion},
	Requires:    {TagRequireName, TagRequireFlags, TagRequireVersion},
	Conflicts:   {TagConflictName, TagConflictFlags, TagConflictVersion},
	Obsoletes:   {TagObsoleteName, TagObsoleteFlags, TagObsoleteVersion},
	Recommends:  {TagRecommendName, TagRecommendFlags, TagRecommendVersion},
	Suggests:    {TagSuggestName, TagSuggestFlags, TagSuggestVersion},
	Supplements: {TagSupplementName, TagSupplementFlags, TagSupplementVersion},
	Enhances:    {TagEnhanceName, TagEnhanceFlags, TagEnhanceVersion},
}

// Deps returns one dependency list of the package, in header order. Lists
// whose flags or versions are shorter than their names are read as far as
// all three agree.
func (p *Package) Deps(k Kind) []Dependency {
	t := kindTags[k]
	names := p.Header.Strings(t[0])
	flags := p.Header.Uints(t[1])
	vers := p.Header.Strings(t[2])
	n := min(len(names), len(flags), len(vers))
	if len(flags) == 0 && len(vers) == 0 {
		n = len(names) // unversioned list, as old packages write Provides
	}
	out := make([]Dependency, n)
	for i := range out {
		out[i].Name = names[i]
		if i < len(flags) {
			out[i].Flags = Flags(flags[i])
		}
		if i < len(vers) {
			out[i].Version = vers[i]
		}
	}
	return out
}

// IsRich reports whether the dependency is a boolean ("rich") expression.
func (d Dependency) IsRich() bool { return strings.HasPrefix(d.Name, "(") }

// String formats the dependency as rpm -q --requires does.
func (d Dependency) String() string {
	if d.Flags&SenseMask == 0 || d.Version == "" {
		return d.Name
	}
	op := ""
	if d.Flags&SenseLess != 0 {
		op += "<"
	}
	if d.Flags&SenseGreater != 0 {
		op += ">"
	}
	if d.Flags&SenseEqual != 0 {
		op += "="
	}
	return d.Name + " " + op + " " + d.Version
}

// Overlaps reports whether the version ranges of a provide and a require of
// the same name intersect, as rpm's rpmdsCompare decides it. An unversioned
// side matches anything. A missing release on either side matches any
// release; a missing epoch loses to a nonzero one.
func Overlaps(provide, require Dependency) bool {
	pf, rf := provide.Flags&SenseMask, require.Flags&SenseMask
	if pf == 0 || rf == 0 || provide.Version == "" || require.Version == "" {
		return true
	}
	pe, ok1 := ParseEVR(provide.Version)
	re, ok2 := ParseEVR(require.Version)
	if !ok1 || !ok2 {
		return false
	}
	sense := compareForMatch(pe, re)
	switch {
	case sense < 0:
		return pf&SenseGreater != 0 || rf&SenseLess != 0
	case sense > 0:
		return pf&SenseLess != 0 || rf&SenseGreater != 0
	}
	return pf&rf != 0
}

// compareForMatch compares EVRs the way dependency matching does: releases
// are compared only when both sides have one.
func compareForMatch(a, b EVR) int {
	if a.Epoch != b.Epoch {
		if a.Epoch < b.Epoch {
			return -1
		}
		return 1
	}
	if c := Vercmp(a.Version, b.Version); c != 0 || a.Release == "" || b.Release == "" {
		return c
	}
	return Vercmp(a.Release, b.Release)
}
