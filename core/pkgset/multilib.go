package pkgset

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-build/strata/core/arch"
)

// multilib adds the 32-bit build (i686 beside x86_64) of each package of
// the set that one of the set's multilib methods takes, as Pungi's
// multilib phase does, and queues its requirements; it reports whether
// it added any.
func (g *gatherer) multilib() bool {
	companions := arch.Multilib(g.arch)
	if len(companions) == 0 || len(g.opts.Multilib) == 0 || slices.Contains(g.opts.Multilib, "none") {
		return false
	}
	g.extra = companions
	added := false
	for _, p := range append(append([]*Package(nil), g.set.ByArch[g.arch]...), g.added...) {
		if p.Arch == "noarch" || slices.Contains(companions, p.Arch) {
			continue
		}
		c := g.u.best(p.Name, "", func(c *Package) bool { return slices.Contains(companions, c.Arch) && c.Damaged == "" })
		if c == nil || g.in[c] || !g.allowed(c) || matchesAny(g.opts.MultilibBlacklist, c.Name) {
			continue
		}
		method := multilibMethod(c, g.opts.Multilib)
		if matchesAny(g.opts.MultilibWhitelist, c.Name) {
			method = "whitelist"
		}
		if method == "" {
			continue
		}
		g.pull(c, p, "multilib ("+method+")")
		pull := g.set.Pulled[c]
		pull.Multilib = true
		g.set.Pulled[c] = pull
		added = true
	}
	return added
}

// runtimeFiles are what makes a package a runtime multilib package, as
// Pungi's runtime method reads a package's files: shared libraries in the
// library directories, PAM and NSS modules, and the plugin directories
// of the usual stacks (GTK, GStreamer, Qt, SASL, ALSA, PKCS#11, GIO).
var runtimeFiles = regexp.MustCompile(`^/(usr/)?lib/(lib[^/]*\.so(\.[0-9]+)*|security/[^/]+\.so|` +
	`(gtk-[234]\.0|gstreamer-[01]\.[0-9]+|qt[456]?/plugins|sasl2|alsa-lib|pkcs11|gio/modules|gdk-pixbuf-2\.0)/.+)$`)

// multilibMethod is the first of methods that takes c, or "".
func multilibMethod(c *Package, methods []string) string {
	for _, m := range methods {
		switch m {
		case "all":
			return m
		case "devel":
			if strings.HasSuffix(c.Name, "-devel") || strings.HasSuffix(c.Name, "-static") {
				return m
			}
			fallthrough
		case "runtime":
			for _, f := range c.fileList() {
				if runtimeFiles.MatchString(f) {
					return m
				}
			}
		}
	}
	return ""
}

func matchesAny(globs []string, name string) bool {
	for _, g := range globs {
		if ok, _ := path.Match(g, name); ok {
			return true
		}
	}
	return false
}
