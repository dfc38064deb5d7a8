package compose

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/core/store"
)

// lineage.json, written with each artifact's stored lineage copied, is
// what json.MarshalIndent writes of the same document decoded.
func TestLineageEncodesAsMarshalIndent(t *testing.T) {
	doc := lineageDoc(info, nil)
	doc.Payload.Compose.ID = "T-1-20260102.0"
	type decoded struct {
		Key            string     `json:"key"`
		Paths          []string   `json:"paths"`
		ManifestDigest string     `json:"manifest_digest"`
		Published      *published `json:"published,omitempty"`
		store.Lineage
	}
	want := map[string]decoded{}
	for addr, l := range map[string]store.Lineage{
		`artifact.yumrepo.os["a<b>&c"]`: {Address: `artifact.yumrepo.os["a<b>&c"]`, Plugin: store.PluginRef{Name: "yumrepo", Version: "0.2.0", Protocol: 1},
			Modules: []store.ModuleRef{{Name: "gnome", Stream: "47", Version: 2}}, Inputs: []store.InputRef{},
			Packages: []store.PackageRef{{NEVRA: "a-1-1.x86_64", SHA256: "00", Arch: "x86_64", Source: "source.rpm_dir.koji"}}},
		"artifact.iso.dvd": {Address: "artifact.iso.dvd", Modules: []store.ModuleRef{}, Packages: []store.PackageRef{},
			Inputs: []store.InputRef{{Address: "artifact.yumrepo.os", Key: "k"}}, Timestamp: 1700000000},
	} {
		stored, err := store.EncodeLineage(l)
		if err != nil {
			t.Fatal(err)
		}
		a := lineageArtifact{Key: "key of " + addr, Paths: []string{"compose/x"}, ManifestDigest: "d", Lineage: stored}
		if addr == "artifact.iso.dvd" {
			a.Published = &published{To: "oci://registry/x", Outputs: json.RawMessage(`{"digest":"sha256:1"}`)}
		}
		doc.Payload.Artifacts[addr] = a
		want[addr] = decoded{a.Key, a.Paths, a.ManifestDigest, a.Published, l}
	}
	got, err := doc.encode()
	if err != nil {
		t.Fatal(err)
	}
	var plain struct {
		Header  header `json:"header"`
		Payload struct {
			Compose   any                `json:"compose"`
			Artifacts map[string]decoded `json:"artifacts"`
		} `json:"payload"`
	}
	plain.Header, plain.Payload.Compose, plain.Payload.Artifacts = doc.Header, doc.Payload.Compose, want
	wantData, err := json.MarshalIndent(plain, "", "    ")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(wantData)+"\n", string(got)); diff != "" {
		t.Errorf("lineage.json (-MarshalIndent +ours):\n%s", diff)
	}
	doc.Payload.Artifacts = map[string]lineageArtifact{}
	plain.Payload.Artifacts = map[string]decoded{}
	wantData, _ = json.MarshalIndent(plain, "", "    ")
	if got, err := doc.encode(); err != nil || string(got) != string(wantData)+"\n" {
		t.Errorf("no artifacts:\n%s\nwant\n%s", got, wantData)
	}
}

// rpms.json, written by hand for its tens of thousands of packages, is
// what encoding/json writes of the same document: escapes, empty
// levels, null and present signing keys.
func TestRPMsEncodeAsEncodingJSON(t *testing.T) {
	tree := rpmsTree{
		"Server": {
			"x86_64": {
				"bash-0:5.2-1.src": {
					"bash-0:5.2-1.x86_64":      {Category: "binary", Path: "Server/x86_64/os/Packages/b/bash-5.2-1.x86_64.rpm", SigKey: "a15b79cc"},
					"bash-doc-0:5.2-1.noarch":  {Category: "binary", Path: "Server/x86_64/os/Packages/b/bash-doc<&>.rpm", SigKey: nil},
					"bash-0:5.2-1.src":         {Category: "source", Path: "Server/source/tree/Packages/b/bash \"quoted\" \\ é\u2028\x01.rpm"},
					"zzz-0:1-1.x86_64":         {Category: "debug", Path: "a\tb"},
					"Äpfel-0:1-1.x86_64":       {Category: "binary", Path: "p"},
					"bash-0:5.2-1.x86_64\xff!": {Category: "binary", Path: "invalid \xff utf-8"},
				},
				"empty-0:1-1.src": {},
			},
			"aarch64": {},
		},
		"Everything": {},
	}
	head := map[string]any{"id": "Fedora-41-20261205.0", "date": "20261205", "respin": 0, "type": "production", "label": nil}
	got, err := tree.encode(head)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.MarshalIndent(map[string]any{"header": header{Type: "productmd.rpms", Version: "1.2"},
		"payload": map[string]any{"compose": head, "rpms": tree}}, "", "    ")
	if err != nil {
		t.Fatal(err)
	}
	if want = append(want, '\n'); string(got) != string(want) {
		t.Errorf("rpms.json:\n%s\nencoding/json:\n%s", got, want)
	}
	empty, _ := rpmsTree{}.encode(head)
	want, _ = json.MarshalIndent(map[string]any{"header": header{Type: "productmd.rpms", Version: "1.2"},
		"payload": map[string]any{"compose": head, "rpms": rpmsTree{}}}, "", "    ")
	if string(empty) != string(want)+"\n" {
		t.Errorf("empty rpms.json:\n%s\nencoding/json:\n%s", empty, want)
	}
}
