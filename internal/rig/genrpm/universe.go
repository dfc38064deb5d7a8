package genrpm

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/strata-build/strata/sdk/sdktest"
)

// Layer is a set of package names that may depend on each other and on
// the packages of the layers it builds on, as a module may on the
// modules it requires.
type Layer struct {
	Name     string
	Packages []string
	// On names the layers this one builds on, transitively closed or not.
	On []string
}

// UniverseOptions shape a generated universe.
type UniverseOptions struct {
	// Size is the median payload size in bytes; sizes spread around it
	// as a distribution's do (most small, a few large).
	Size int
	// Dist is the release's dist tag ("fc41").
	Dist string
	// Bump names packages generated one release newer, built a day
	// later: an update of each (and of its subpackages).
	Bump map[string]bool
	// Tag shapes the universe as a build tag is: beside the listed
	// packages, ones nobody lists that gathering must pull in (-libs
	// and -common subpackages holding the libraries, helpers providing
	// files, three providers of a capability, one of them obsoleted,
	// two alternatives of a rich dependency), and some dependencies
	// that cross into layers a package does not build on.
	Tag bool
}

// Universe describes a package for every name the layers list, with
// dependencies that stay inside what a package's layers may see (a name
// in several layers depends only on what all of them see), so every
// layer's packages with those of the layers it builds on form a closed
// set. Given specs replace generated ones by name. The same layers and
// options give the same specs.
func Universe(layers []Layer, given []Spec, opt UniverseOptions) ([]Spec, error) {
	byName := map[string]*Layer{}
	for i := range layers {
		byName[layers[i].Name] = &layers[i]
	}
	sees := map[string]map[string]bool{} // layer → the layers it sees, itself included
	var see func(l *Layer, into map[string]bool) error
	see = func(l *Layer, into map[string]bool) error {
		if into[l.Name] {
			return nil
		}
		into[l.Name] = true
		for _, on := range l.On {
			dep, ok := byName[on]
			if !ok {
				return fmt.Errorf("layer %s builds on %s, which is not a layer", l.Name, on)
			}
			if err := see(dep, into); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range layers {
		into := map[string]bool{}
		if err := see(&layers[i], into); err != nil {
			return nil, err
		}
		sees[layers[i].Name] = into
	}

	// Each name, in first-listed order, with the layers that list it.
	var order []string
	listedIn := map[string][]string{}
	for _, l := range layers {
		for _, name := range l.Packages {
			if len(listedIn[name]) == 0 {
				order = append(order, name)
			}
			if !slices.Contains(listedIn[name], l.Name) {
				listedIn[name] = append(listedIn[name], l.Name)
			}
		}
	}
	bumped := map[string]bool{}
	givenByName := map[string]Spec{}
	for _, s := range given {
		givenByName[s.Name] = s
	}

	// visible reports whether a package of layers `from` may require
	// one of layers `to`: every layer listing the requirer sees one
	// listing the requirement.
	visible := func(from, to []string) bool {
		for _, f := range from {
			ok := false
			for _, t := range to {
				if sees[f][t] {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		}
		return true
	}

	specs := make([]Spec, 0, len(order)) // specs[i] is order[i]'s
	requireOf := make([]string, 0, len(order))
	t := &tag{listed: listedIn}
	for i, name := range order {
		if s, ok := givenByName[name]; ok {
			specs = append(specs, s)
			requireOf = append(requireOf, name)
			delete(givenByName, name)
			continue
		}
		r := newRand(name)
		s := Spec{Name: name, Version: r.version(), Release: "1." + opt.Dist, Arch: "x86_64", Compress: "zstd",
			Summary: "The " + name + " package"}
		if opt.Dist == "" {
			s.Release = "1"
		}
		if noarch(name) || r.next()%4 == 0 {
			s.Arch = "noarch"
		}
		s.Size, s.Shape = r.size(opt.Size), "text"
		if s.Arch != "noarch" {
			s.Shape = "binary"
			s.Provides = []string{"lib" + name + ".so.1()(64bit)"}
		}
		// Up to four requirements among earlier names this one sees,
		// by library where the dependency was generated with one.
		want := int(r.next() % 5)
		for tries := 0; len(s.Requires) < want && tries < 24 && i > 0; tries++ {
			j := int(r.next() % uint64(i))
			dep := order[j]
			if !visible(listedIn[name], listedIn[dep]) && !(opt.Tag && r.next()%8 == 0) {
				continue
			}
			if req := requireOf[j]; !slices.Contains(s.Requires, req) {
				s.Requires = append(s.Requires, req)
			}
		}
		req := name
		if len(s.Provides) == 1 {
			req = s.Provides[0]
		}
		if opt.Bump[name] {
			s = bump(s)
			bumped[name] = true
		}
		if opt.Tag {
			s = t.subpackages(s, r)
		}
		specs = append(specs, s)
		requireOf = append(requireOf, req)
	}
	specs = append(specs, t.extra...)
	for _, s := range given {
		if _, left := givenByName[s.Name]; left {
			specs = append(specs, s) // given but listed in no layer
		}
	}
	for i, s := range specs {
		if opt.Bump[s.Name] && !bumped[s.Name] {
			specs[i] = bump(s)
		}
	}
	return specs, nil
}

// tag makes the packages of a build tag that nobody lists.
type tag struct {
	listed map[string][]string // the names layers list: no subpackage takes one
	extra  []Spec
	logger bool // the providers of system-logger are made
}

// subpackages splits a package as a build tag holds it and adds the
// packages its new requirements need: s's library may move to a -libs
// subpackage (with a -common one), and s may require a helper's file,
// the system-logger capability or one of two alternatives.
func (t *tag) subpackages(s Spec, r *rand) Spec {
	vr := s.Version + "-" + s.Release
	sub := func(suffix, arch string) Spec {
		return Spec{Name: s.Name + suffix, Version: s.Version, Release: s.Release, Arch: arch, Compress: "zstd", BuildTime: s.BuildTime,
			Summary: "The " + s.Name + suffix + " subpackage", Size: s.Size / 4, Shape: "text"}
	}
	free := func(suffixes ...string) bool {
		for _, sfx := range suffixes {
			if len(t.listed[s.Name+sfx]) > 0 {
				return false
			}
		}
		return true
	}
	if s.Arch != "noarch" && len(s.Provides) == 1 && r.next()%3 == 0 && free("-libs", "-common") {
		libs := sub("-libs", s.Arch)
		libs.Shape, libs.Provides, s.Provides = "binary", s.Provides, nil
		s.Requires = append(s.Requires, s.Name+"-libs = "+vr)
		if r.next()%2 == 0 {
			libs.Requires = []string{s.Name + "-common = " + vr}
			t.extra = append(t.extra, sub("-common", "noarch"))
		}
		t.extra = append(t.extra, libs)
	}
	switch r.next() % 16 {
	case 0:
		if !free("-helper") {
			break
		}
		helper := sub("-helper", "noarch")
		path := "/usr/libexec/" + s.Name + "/helper"
		helper.Files = []sdktest.File{{Path: path, Body: "#!/bin/sh\nexec " + s.Name + " \"$@\"\n", Mode: 0o755}}
		s.Requires = append(s.Requires, path)
		t.extra = append(t.extra, helper)
	case 1:
		s.Requires = append(s.Requires, "system-logger")
		if !t.logger {
			t.logger = true
			t.extra = append(t.extra,
				Spec{Name: "rsyslog-lite", Version: "8.2", Release: s.Release, Arch: "x86_64", Provides: []string{"system-logger"}, Obsoletes: []string{"sysklogd-lite < 2"}},
				Spec{Name: "syslog-ng-lite", Version: "4.7", Release: s.Release, Arch: "x86_64", Provides: []string{"system-logger"}},
				Spec{Name: "sysklogd-lite", Version: "1.5", Release: s.Release, Arch: "x86_64", Provides: []string{"system-logger"}})
		}
	case 2:
		if !free("-viewer", "-browser") {
			break
		}
		s.Requires = append(s.Requires, "("+s.Name+"-viewer or "+s.Name+"-browser)")
		t.extra = append(t.extra, sub("-viewer", "noarch"), sub("-browser", "noarch"))
	}
	return s
}

// bump makes s one release newer, built a day later.
func bump(s Spec) Spec {
	rel := s.Release
	if rel == "" {
		rel = "1"
	}
	n, rest := 0, rel
	for rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		n, rest = n*10+int(rest[0]-'0'), rest[1:]
	}
	s.Release = fmt.Sprint(n+1) + rest
	if s.BuildTime == 0 {
		s.BuildTime = DefaultBuildTime
	}
	s.BuildTime += 86400
	return s
}

// noarch reports whether a name looks like an architecture-independent
// package: documentation, data, fonts, scripts.
func noarch(name string) bool {
	for _, suffix := range []string{"-doc", "-docs", "-data", "-common", "-fonts", "-filesystem", "-l10n", "-backgrounds", "-icon-theme"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	for _, prefix := range []string{"python3-", "perl-", "google-", "texlive-", "langpacks-"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// TextFiles are the files of an architecture-independent package with
// about size bytes of text, compressing as documentation does.
func TextFiles(name string, size int) []sdktest.File {
	return []sdktest.File{
		{Path: "/usr/share/" + name + "/" + name + ".txt", Body: readme(Spec{Name: name, Version: "1.0", Release: "1", Size: size}), Mode: 0o644},
		{Path: "/usr/share/doc/" + name + "/README", Body: name + "\n", Mode: 0o644},
	}
}

// rand is a deterministic stream of numbers seeded by a package name.
type rand struct {
	sum [32]byte
	at  int
}

func newRand(seed string) *rand { return &rand{sum: sha256.Sum256([]byte(seed))} }

func (r *rand) next() uint64 {
	if r.at+8 > len(r.sum) {
		r.sum, r.at = sha256.Sum256(r.sum[:]), 0
	}
	v := binary.LittleEndian.Uint64(r.sum[r.at:])
	r.at += 8
	return v
}

// unit is a number in (0, 1).
func (r *rand) unit() float64 { return (float64(r.next()>>11) + 0.5) / (1 << 53) }

// version is a plausible upstream version.
func (r *rand) version() string {
	return fmt.Sprintf("%d.%d.%d", 1+r.next()%40, r.next()%20, r.next()%10)
}

// size spreads around median as package sizes do: log-normal, between
// a twentieth of the median and twenty times it.
func (r *rand) size(median int) int {
	normal := math.Sqrt(-2*math.Log(r.unit())) * math.Cos(2*math.Pi*r.unit())
	s := float64(median) * math.Exp(normal)
	s = math.Max(float64(median)/20, math.Min(s, float64(median)*20))
	return int(s)
}
