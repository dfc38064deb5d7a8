// Package modulemd writes the modules metadata of a yum repository:
// modulemd documents (version 2) for each module stream and
// modulemd-defaults documents (version 1) naming its default stream and
// profiles, in the YAML libmodulemd reads (see libmodulemd's
// yaml_specs/modulemd_stream_v2.yaml and modulemd_defaults_v1.yaml).
package modulemd

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Stream is one module stream built for one architecture.
type Stream struct {
	Name, Stream string
	Version      uint64
	Context      string
	Arch         string
	Summary      string
	Description  string
	// ModuleLicense and ContentLicense are license identifiers of the
	// module's metadata and of its packages.
	ModuleLicense, ContentLicense []string
	// Requires maps required modules to their streams.
	Requires map[string][]string
	// Profiles map profile names to package names.
	Profiles map[string][]string
	API      []string
	// Artifacts are the packages, as name-epoch:version-release.arch.
	Artifacts []string
	// EOL is the end of life, YYYY-MM-DD, or "".
	EOL string
}

// Defaults names a module's default stream and its default profiles.
type Defaults struct {
	Module, Stream string
	Profiles       []string
}

// Write writes the streams then the defaults as one YAML stream of
// documents, each sorted so that equal content gives equal bytes.
func Write(w io.Writer, streams []Stream, defaults []Defaults) error {
	var b strings.Builder
	sort.Slice(streams, func(i, j int) bool {
		return streams[i].Name+":"+streams[i].Stream < streams[j].Name+":"+streams[j].Stream
	})
	sort.Slice(defaults, func(i, j int) bool { return defaults[i].Module < defaults[j].Module })
	for _, s := range streams {
		writeStream(&b, s)
	}
	for _, d := range defaults {
		b.WriteString("---\ndocument: modulemd-defaults\nversion: 1\ndata:\n")
		fmt.Fprintf(&b, "  module: %s\n  stream: %s\n  profiles:\n    %s: %s\n", quote(d.Module), quote(d.Stream), quote(d.Stream), flow(d.Profiles))
		b.WriteString("...\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeStream(b *strings.Builder, s Stream) {
	b.WriteString("---\ndocument: modulemd\nversion: 2\ndata:\n")
	fmt.Fprintf(b, "  name: %s\n  stream: %s\n  version: %d\n  context: %s\n  arch: %s\n",
		quote(s.Name), quote(s.Stream), s.Version, quote(s.Context), quote(s.Arch))
	fmt.Fprintf(b, "  summary: %s\n  description: %s\n", quote(s.Summary), quote(s.Description))
	if s.EOL != "" {
		fmt.Fprintf(b, "  servicelevels:\n    rawhide:\n      eol: %s\n", s.EOL)
	}
	b.WriteString("  license:\n")
	list(b, "    module", s.ModuleLicense)
	if len(s.ContentLicense) > 0 {
		list(b, "    content", s.ContentLicense)
	}
	if len(s.Requires) > 0 {
		b.WriteString("  dependencies:\n  - requires:\n")
		for _, m := range slices.Sorted(maps.Keys(s.Requires)) {
			fmt.Fprintf(b, "      %s: %s\n", quote(m), flow(s.Requires[m]))
		}
	}
	if len(s.Profiles) > 0 {
		b.WriteString("  profiles:\n")
		for _, p := range slices.Sorted(maps.Keys(s.Profiles)) {
			fmt.Fprintf(b, "    %s:\n", quote(p))
			list(b, "      rpms", s.Profiles[p])
		}
	}
	if len(s.API) > 0 {
		b.WriteString("  api:\n")
		list(b, "    rpms", s.API)
	}
	if len(s.Artifacts) > 0 {
		b.WriteString("  artifacts:\n")
		list(b, "    rpms", s.Artifacts)
	}
	b.WriteString("...\n")
}

// list writes "key:" and a block sequence, sorted.
func list(b *strings.Builder, key string, items []string) {
	items = append([]string(nil), items...)
	sort.Strings(items)
	indent := strings.Repeat(" ", len(key)-len(strings.TrimLeft(key, " ")))
	b.WriteString(key + ":\n")
	for _, it := range items {
		b.WriteString(indent + "- " + quote(it) + "\n")
	}
}

func flow(items []string) string {
	q := make([]string, len(items))
	for i, it := range items {
		q[i] = quote(it)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// quote writes a YAML double-quoted scalar: every string is quoted, so
// none is read as a number, a boolean or null.
func quote(s string) string {
	return strconv.Quote(s)
}
