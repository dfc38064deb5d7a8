package compose

import (
	"strings"

	"github.com/strata-build/strata/core/store"
)

type header struct {
	Type    string `json:"type"`
	Version string `json:"version"`
}

// lineage is compose/metadata/lineage.json: what every artifact was built
// from, by address.
type lineage struct {
	Header  header `json:"header"`
	Payload struct {
		Compose struct {
			ID      string `json:"id"`
			Name    string `json:"name"`
			Short   string `json:"short"`
			Version string `json:"version"`
		} `json:"compose"`
		Artifacts map[string]lineageArtifact `json:"artifacts"`
	} `json:"payload"`
}

type lineageArtifact struct {
	Key            string `json:"key"`
	Path           string `json:"path"`
	ManifestDigest string `json:"manifest_digest"`
	store.Lineage
}

func lineageDoc(info Info, arts []Artifact) *lineage {
	l := &lineage{Header: header{Type: "strata.lineage", Version: "1.0"}}
	l.Payload.Compose.Name, l.Payload.Compose.Short, l.Payload.Compose.Version = info.Name, info.Short, info.Version
	l.Payload.Artifacts = map[string]lineageArtifact{}
	for _, a := range arts {
		l.Payload.Artifacts[a.Addr.String()] = lineageArtifact{
			Key: a.Entry.Key, Path: "compose/" + Path(a.Addr), ManifestDigest: a.Entry.ManifestDigest, Lineage: a.Entry.Lineage,
		}
	}
	return l
}

// composeInfo is productmd's composeinfo.json (format 1.2).
func composeInfo(info Info, id string, respin int) any {
	label := info.Label
	typ := map[string]string{"production": "production", "nightly": "nightly", "test": "test", "ci": "ci"}[info.Type]
	return map[string]any{
		"header": header{Type: "productmd.composeinfo", Version: "1.2"},
		"payload": map[string]any{
			"compose": map[string]any{
				"id": id, "date": info.Date.UTC().Format("20060102"), "respin": respin, "type": typ, "label": nullable(label),
			},
			"release": map[string]any{
				"name": info.Name, "short": info.Short, "version": info.Version, "type": "ga",
				"internal": false, "is_layered": false,
			},
			"variants": map[string]any{},
		},
	}
}

func nullable(s string) any {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return s
}
