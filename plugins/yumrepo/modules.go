package yumrepo

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/strata-build/strata/plugins/yumrepo/modulemd"
	"github.com/strata-build/strata/sdk"
)

// modulesFor describes the artifact's modules for one architecture's
// repository: a stream per module with the packages it brought in, and
// defaults that make each stream the default, so dnf shows their
// packages without enabling anything.
func modulesFor(c sdk.Content, arch string, entries []*entry, timestamp int64) ([]modulemd.Stream, []modulemd.Defaults) {
	var streams []modulemd.Stream
	var defaults []modulemd.Defaults
	for _, m := range c.Modules {
		s := modulemd.Stream{
			Name: m.Name, Stream: m.Stream, Version: uint64(m.Version), Context: m.Context, Arch: arch,
			Summary: m.Summary, Description: m.Description, ModuleLicense: m.License,
			Profiles: m.Profiles, API: m.API, EOL: m.EOL, Requires: map[string][]string{},
		}
		if s.Version == 0 {
			s.Version = uint64(timestamp)
		}
		for _, r := range m.Requires {
			name, stream, _ := strings.Cut(r, ":")
			s.Requires[name] = append(s.Requires[name], stream)
		}
		if s.Context == "" {
			s.Context = streamContext(m)
		}
		licenses := map[string]bool{}
		for _, e := range entries {
			for _, id := range e.pkg.Modules {
				if id == m.ID && e.meta.Dropped == "" {
					s.Artifacts = append(s.Artifacts, nevra(e.pkg))
					if e.meta.License != "" {
						licenses[e.meta.License] = true
					}
				}
			}
		}
		for l := range licenses {
			s.ContentLicense = append(s.ContentLicense, l)
		}
		sort.Strings(s.ContentLicense)
		if len(s.ModuleLicense) == 0 {
			s.ModuleLicense = s.ContentLicense
		}
		if len(s.ModuleLicense) == 0 {
			s.ModuleLicense = []string{"MIT"}
		}
		if s.Summary == "" {
			s.Summary = "The " + m.Name + " module"
		}
		if s.Description == "" {
			s.Description = s.Summary + "."
		}
		streams = append(streams, s)
		d := modulemd.Defaults{Module: m.Name, Stream: m.Stream}
		if _, ok := m.Profiles["default"]; ok {
			d.Profiles = []string{"default"}
		}
		defaults = append(defaults, d)
	}
	return streams, defaults
}

// streamContext is a stream's context when the module sets none: a hash of
// what the stream is built against, as MBS derives it.
func streamContext(m sdk.Module) string {
	reqs := append([]string(nil), m.Requires...)
	sort.Strings(reqs)
	sum := sha256.Sum256([]byte(m.Name + ":" + m.Stream + ":" + strings.Join(reqs, ",")))
	return hex.EncodeToString(sum[:4])
}
