package oci

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/strata-build/strata/sdk"
	"github.com/zclconf/go-cty/cty"
)

// config is a decoded artifact body. Values that are unknown while
// planning stay at their defaults.
type config struct {
	// base is the base image's outputs (artifact.oci.X); null when the
	// image has no base.
	base cty.Value

	tag          string
	archive      bool
	entrypoint   []string
	cmd          []string
	env          map[string]string
	workdir      string
	user         string
	labels       map[string]string
	exposedPorts []string
	annotations  map[string]string
	version      string
	source       string
	revision     string

	push     string
	insecure bool
}

func attributes() []sdk.Attribute {
	return []sdk.Attribute{
		{Name: "base", Type: cty.DynamicPseudoType, Description: "The image to layer on (artifact.oci.NAME): its layers are kept and one layer with the added packages' files is added."},
		{Name: "tag", Type: cty.String, Description: `The tag in the layout's index.json; default the tag of push, else "latest".`},
		{Name: "archive", Type: cty.Bool, Description: "Also write the image as an oci-archive tar (default false)."},
		{Name: "entrypoint", Type: cty.List(cty.String), Description: "The image's entrypoint; a layered image inherits its base's."},
		{Name: "cmd", Type: cty.List(cty.String), Description: "The image's default command; a layered image inherits its base's."},
		{Name: "env", Type: cty.Map(cty.String), Description: "Environment variables, added to the base's (PATH is set when neither sets it)."},
		{Name: "workdir", Type: cty.String, Description: "The working directory."},
		{Name: "user", Type: cty.String, Description: `The user the container runs as ("name", "uid" or "uid:gid").`},
		{Name: "labels", Type: cty.Map(cty.String), Description: "Labels of the image configuration, added to the base's."},
		{Name: "exposed_ports", Type: cty.List(cty.String), Description: `Ports the image exposes: "80", "80/tcp", "53/udp".`},
		{Name: "annotations", Type: cty.Map(cty.String), Description: "More manifest annotations."},
		{Name: "version", Type: cty.String, Description: "org.opencontainers.image.version; default the compose version."},
		{Name: "source", Type: cty.String, Description: "org.opencontainers.image.source: where the image's definition lives."},
		{Name: "revision", Type: cty.String, Description: "org.opencontainers.image.revision: the revision of that source."},
		{Name: "push", Type: cty.String, Description: `Push the image after it is built, to a reference such as "registry.example.com/fedora/base:41".`},
		{Name: "insecure", Type: cty.Bool, Description: "Push over plain HTTP (a registry on localhost, say)."},
	}
}

// decode reads a configuration and reports what is wrong with it, with
// attribute paths.
func decode(v cty.Value) (config, sdk.Diagnostics) {
	c := config{base: cty.NullVal(cty.DynamicPseudoType), tag: "latest"}
	var diags sdk.Diagnostics
	get := func(attr string) (cty.Value, bool) {
		if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute(attr) {
			return cty.NilVal, false
		}
		a := v.GetAttr(attr)
		return a, a.IsWhollyKnown() && !a.IsNull()
	}
	str := func(attr string) string {
		if a, ok := get(attr); ok {
			return a.AsString()
		}
		return ""
	}
	list := func(attr string) []string {
		a, ok := get(attr)
		if !ok {
			return nil
		}
		out := []string{}
		for _, e := range a.AsValueSlice() {
			if !e.IsNull() {
				out = append(out, e.AsString())
			}
		}
		return out
	}
	strMap := func(attr string) map[string]string {
		a, ok := get(attr)
		if !ok {
			return nil
		}
		out := map[string]string{}
		for k, e := range a.AsValueMap() {
			if !e.IsNull() {
				out[k] = e.AsString()
			}
		}
		return out
	}
	if a, ok := get("base"); ok {
		c.base = a
	} else if v.IsKnown() && !v.IsNull() && v.Type().HasAttribute("base") && !v.GetAttr("base").IsNull() {
		c.base = cty.DynamicVal // known after the base is built
	}
	c.entrypoint, c.cmd = list("entrypoint"), list("cmd")
	c.env, c.labels, c.annotations = strMap("env"), strMap("labels"), strMap("annotations")
	c.workdir, c.user = str("workdir"), str("user")
	c.version, c.source, c.revision = str("version"), str("source"), str("revision")
	if a, ok := get("archive"); ok {
		c.archive = a.True()
	}
	if a, ok := get("insecure"); ok {
		c.insecure = a.True()
	}
	if c.push = str("push"); c.push != "" {
		ref, err := name.NewTag(c.push, name.StrictValidation)
		if err != nil {
			diags = append(diags, sdk.Errorf(cty.GetAttrPath("push"), "Invalid push reference",
				"push must be a reference with a registry, a repository and a tag, such as \"registry.example.com/fedora/base:41\": %v.", err))
		} else {
			c.tag = ref.TagStr()
		}
	}
	if t := str("tag"); t != "" {
		if !tagPattern.MatchString(t) {
			diags = append(diags, sdk.Errorf(cty.GetAttrPath("tag"), "Invalid tag",
				"%q is not a tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'.", t))
		}
		c.tag = t
	}
	for i, p := range parsePorts(list("exposed_ports")) {
		if p.err != "" {
			diags = append(diags, sdk.Errorf(cty.GetAttrPath("exposed_ports").IndexInt(i), "Invalid port", "%s", p.err))
			continue
		}
		c.exposedPorts = append(c.exposedPorts, p.port)
	}
	for _, k := range slices.Sorted(maps.Keys(c.env)) {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			diags = append(diags, sdk.Errorf(cty.GetAttrPath("env").IndexString(k), "Invalid environment variable",
				"%q cannot name an environment variable: it must be non-empty, without '='.", k))
		}
	}
	return c, diags
}

type port struct{ port, err string }

var portRE = regexp.MustCompile(`^([0-9]+)(?:/(tcp|udp|sctp))?$`)

// parsePorts normalises ports to "N/proto", as image configurations
// spell them.
func parsePorts(ports []string) []port {
	var out []port
	for _, p := range ports {
		m := portRE.FindStringSubmatch(p)
		if m == nil {
			out = append(out, port{err: fmt.Sprintf("%q is not a port: write \"80\", \"80/tcp\", \"53/udp\" or \"9/sctp\".", p)})
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > 65535 {
			out = append(out, port{err: fmt.Sprintf("port %s is outside 1-65535.", m[1])})
			continue
		}
		proto := m[2]
		if proto == "" {
			proto = "tcp"
		}
		out = append(out, port{port: fmt.Sprintf("%d/%s", n, proto)})
	}
	return out
}

// tagPattern is a tag as the OCI distribution specification defines it.
var tagPattern = regexp.MustCompile(`^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$`)
