package repodata

import (
	"strings"

	"github.com/strata-build/strata/sdk/rpm"
)

// flagNames maps sense & 0xF to createrepo_c's flag strings.
var flagNames = map[rpm.Flags]string{2: "LT", 4: "GT", 8: "EQ", 10: "LE", 12: "GE"}

// flagBits is flagNames the other way round, for the reader.
var flagBits = func() map[string]rpm.Flags {
	out := make(map[string]rpm.Flags, len(flagNames))
	for bits, name := range flagNames {
		out[name] = bits
	}
	return out
}()

// preFlags mark a requirement needed before install (rpm 4 PREREQ,
// %pre, %post; and %pretrans, %posttrans as createrepo_c 1.1.1+ does).
const preFlags = rpm.SensePreReq | rpm.SenseScriptPre | rpm.SenseScriptPost | rpm.SensePreTrans | rpm.SensePostTrans

// convertOne turns a header dependency into an entry; ok is false for a
// dependency createrepo_c drops (a non-numeric epoch).
func convertOne(d rpm.Dependency) (Dep, bool) {
	e := Dep{Name: d.Name, Flags: flagNames[d.Flags&0xf]}
	if e.Flags == "" {
		return e, true
	}
	v := d.Version
	e.Epoch = "0"
	if i := strings.IndexByte(v, ':'); i >= 0 {
		e.Epoch, v = v[:i], v[i+1:]
		for _, c := range e.Epoch {
			if c < '0' || c > '9' {
				return Dep{}, false
			}
		}
		if e.Epoch == "" {
			e.Epoch = "0"
		}
	}
	e.Version, e.Release, _ = strings.Cut(v, "-")
	return e, true
}

func convert(deps []rpm.Dependency) []Dep {
	out := make([]Dep, 0, len(deps))
	for _, d := range deps {
		if e, ok := convertOne(d); ok {
			out = append(out, e)
		}
	}
	return out
}

// requires filters requirements as createrepo_c's parsehdr.c does: it
// drops rpmlib() requirements, requirements on the package's own primary
// files, requirements equal to one of its provides and repeats of the
// last kept requirement of a name, and keeps only the highest libc.so.6
// requirement, moved to the end.
func requires(reqs, provides []rpm.Dependency, files []File) []Dep {
	own := map[string]bool{}
	for _, f := range files {
		if IsPrimary(f.Path) {
			own[f.Path] = true
		}
	}
	provided := map[rpm.Dependency]bool{}
	for _, p := range provides {
		provided[rpm.Dependency{Name: p.Name, Flags: p.Flags & 0xf, Version: p.Version}] = true
	}
	type key struct {
		flags, version string
		pre            bool
	}
	last := map[string]key{}
	var out []Dep
	var libc *Dep
	libcVersion := ""
	for _, r := range reqs {
		if strings.HasPrefix(r.Name, "rpmlib(") || own[r.Name] {
			continue
		}
		if provided[rpm.Dependency{Name: r.Name, Flags: r.Flags & 0xf, Version: r.Version}] {
			continue
		}
		e, ok := convertOne(r)
		if !ok {
			continue
		}
		e.Pre = r.Flags&preFlags != 0
		if strings.HasPrefix(r.Name, "libc.so.6") {
			v := libcVer(r.Name)
			if libc == nil || rpm.Vercmp(v, libcVersion) > 0 {
				copy := e
				libc, libcVersion = &copy, v
			}
			continue
		}
		k := key{e.Flags, r.Version, e.Pre}
		if prev, seen := last[r.Name]; seen && prev == k {
			continue
		}
		last[r.Name] = k
		out = append(out, e)
	}
	if libc != nil {
		out = append(out, *libc)
	}
	return out
}

// libcVer is the version in "libc.so.6(GLIBC_2.34)(64bit)", or "".
func libcVer(name string) string {
	rest := strings.TrimPrefix(name, "libc.so.6")
	if !strings.HasPrefix(rest, "(") {
		return ""
	}
	v, _, _ := strings.Cut(rest[1:], ")")
	return strings.TrimPrefix(v, "GLIBC_")
}
