package oci

import (
	"maps"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-build/strata/sdk"
)

// defaultPath is PATH for images that set none, as Fedora's images set it.
const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

func timeOf(ts int64) time.Time { return time.Unix(ts, 0).UTC() }

// imageConfig is the configuration of an image: its base's (empty
// without one) with what the artifact sets on top, as a Dockerfile's
// FROM and ENV, LABEL, CMD… would give.
func imageConfig(base *v1.ConfigFile, c config, p v1.Platform, ts int64) *v1.ConfigFile {
	cf := base.DeepCopy()
	cf.Architecture, cf.OS, cf.Variant = p.Architecture, p.OS, p.Variant
	cf.Created = v1.Time{Time: timeOf(ts)}
	cf.Author, cf.DockerVersion, cf.Container = "", "", ""
	cf.RootFS.Type = "layers"
	cfg := &cf.Config
	if c.entrypoint != nil {
		// As in a Dockerfile, a new entrypoint drops the base's command.
		cfg.Entrypoint, cfg.Cmd = c.entrypoint, nil
	}
	if c.cmd != nil {
		cfg.Cmd = c.cmd
	}
	if c.workdir != "" {
		cfg.WorkingDir = c.workdir
	}
	if c.user != "" {
		cfg.User = c.user
	}
	cfg.Env = mergeEnv(cfg.Env, c.env)
	if len(c.labels) > 0 && cfg.Labels == nil {
		cfg.Labels = map[string]string{}
	}
	for k, v := range c.labels {
		cfg.Labels[k] = v
	}
	if len(c.exposedPorts) > 0 && cfg.ExposedPorts == nil {
		cfg.ExposedPorts = map[string]struct{}{}
	}
	for _, port := range c.exposedPorts {
		cfg.ExposedPorts[port] = struct{}{}
	}
	return cf
}

// mergeEnv sets vars over env, keeping env's order and adding new names
// sorted; PATH is set when neither has it.
func mergeEnv(env []string, vars map[string]string) []string {
	out := append([]string(nil), env...)
	index := map[string]int{}
	for i, kv := range out {
		index[strings.SplitN(kv, "=", 2)[0]] = i
	}
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		kv := k + "=" + vars[k]
		if i, ok := index[k]; ok {
			out[i] = kv
			continue
		}
		index[k] = len(out)
		out = append(out, kv)
	}
	if _, ok := index["PATH"]; !ok {
		out = append([]string{defaultPath}, out...)
	}
	return out
}

// annotations are the manifest's: the OCI image annotations from the
// artifact's inputs (never the clock), its base, and any it sets.
func annotations(req *sdk.BuildRequest, c config, base *baseImage) map[string]string {
	a := map[string]string{
		"org.opencontainers.image.created": timeOf(req.Timestamp).Format(time.RFC3339),
		"org.opencontainers.image.version": req.Compose.Version,
	}
	if c.version != "" {
		a["org.opencontainers.image.version"] = c.version
	}
	if c.source != "" {
		a["org.opencontainers.image.source"] = c.source
	}
	if c.revision != "" {
		a["org.opencontainers.image.revision"] = c.revision
	}
	if base != nil {
		a["org.opencontainers.image.base.digest"] = base.digest
		if base.input.Outputs.Type().HasAttribute("push") {
			if ref := base.input.Outputs.GetAttr("push"); ref.IsKnown() && !ref.IsNull() && ref.AsString() != "" {
				a["org.opencontainers.image.base.name"] = ref.AsString()
			}
		}
	}
	for k, v := range c.annotations {
		a[k] = v
	}
	return a
}
