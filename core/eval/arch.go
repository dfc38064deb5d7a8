package eval

import "sort"

// compatible lists, per compose architecture, the package architectures
// that install on it, best first (rpm's arch compatibility, without
// multilib).
var compatible = map[string][]string{
	"x86_64":  {"x86_64", "noarch"},
	"i686":    {"i686", "i586", "i486", "i386", "noarch"},
	"aarch64": {"aarch64", "noarch"},
	"ppc64le": {"ppc64le", "noarch"},
	"s390x":   {"s390x", "noarch"},
	"riscv64": {"riscv64", "noarch"},
}

// KnownArch reports whether a is a compose architecture strata knows.
func KnownArch(a string) bool { _, ok := compatible[a]; return ok }

// CompatibleArches returns the package architectures that install on a
// compose architecture, best first.
func CompatibleArches(a string) []string { return compatible[a] }

func knownArchNames() []string {
	var out []string
	for a := range compatible {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}
