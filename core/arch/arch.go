// Package arch knows the compose architectures strata builds for and the
// package architectures that install on each, as rpm's compatibility
// table has them (without multilib).
package arch

import (
	"maps"
	"runtime"
	"slices"
)

// compatible lists, per compose architecture, the package architectures
// that install on it, best first.
var compatible = map[string][]string{
	"x86_64":  {"x86_64", "noarch"},
	"i686":    {"i686", "i586", "i486", "i386", "noarch"},
	"aarch64": {"aarch64", "noarch"},
	"ppc64le": {"ppc64le", "noarch"},
	"s390x":   {"s390x", "noarch"},
	"riscv64": {"riscv64", "noarch"},
}

// multilib lists, per compose architecture, the package architectures of
// its 32-bit companion that multilib adds, best first.
var multilib = map[string][]string{
	"x86_64": {"i686", "i586", "i486", "i386"},
	"ppc64":  {"ppc"},
	"s390x":  {"s390"},
}

// Multilib returns the architectures whose packages multilib adds to a
// compose architecture (i686 to x86_64), best first; none for most.
func Multilib(a string) []string { return multilib[a] }

// Known reports whether a is a compose architecture strata knows.
func Known(a string) bool { _, ok := compatible[a]; return ok }

// Compatible returns the package architectures that install on a
// compose architecture, best first.
func Compatible(a string) []string { return compatible[a] }

// Names are the compose architectures strata knows, sorted.
func Names() []string { return slices.Sorted(maps.Keys(compatible)) }

// Host is the architecture of the machine strata runs on, as rpm names
// it.
func Host() string {
	if a, ok := map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686", "ppc64le": "ppc64le", "s390x": "s390x"}[runtime.GOARCH]; ok {
		return a
	}
	return runtime.GOARCH
}
