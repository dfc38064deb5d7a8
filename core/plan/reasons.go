package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// reasons explains why an artifact built with oldKey must be rebuilt now
// that its key input is in.
func (p *Plan) reasons(oldKey string, in *KeyInput) []string {
	raw, err := p.Opts.Store.ReadKeyInput(oldKey)
	if err != nil {
		return []string{"its previous build is no longer in the store"}
	}
	var old KeyInput
	if err := json.Unmarshal(raw, &old); err != nil {
		return []string{"its previous build was recorded by another version of strata"}
	}
	return diffKeyInputs(&old, in)
}

func diffKeyInputs(old, cur *KeyInput) []string {
	var out []string
	if old.Plugin != cur.Plugin || old.PluginVersion != cur.PluginVersion || old.Protocol != cur.Protocol {
		out = append(out, fmt.Sprintf("plugin %s %s → %s %s", old.Plugin, old.PluginVersion, cur.Plugin, cur.PluginVersion))
	}
	out = append(out, diffConfig(old.Config, cur.Config)...)
	for _, k := range changedKeys(old.ArtifactExprs, cur.ArtifactExprs) {
		out = append(out, fmt.Sprintf("expression of %s changed", k))
	}
	out = append(out, diffPackages(old.Packages, cur.Packages, pulledNames(old.Pulled, cur.Pulled))...)
	out = append(out, diffContent(old.Content, cur.Content)...)
	out = append(out, diffInputs(old.Inputs, cur.Inputs)...)
	if old.Timestamp != cur.Timestamp {
		out = append(out, fmt.Sprintf("timestamp %d → %d", old.Timestamp, cur.Timestamp))
	}
	if old.Compose != cur.Compose {
		out = append(out, fmt.Sprintf("compose %s %s → %s %s", old.Compose.Name, old.Compose.Version, cur.Compose.Name, cur.Compose.Version))
	}
	if !bytes.Equal(old.KeyMaterial, cur.KeyMaterial) {
		out = append(out, "the plugin's own inputs changed")
	}
	if len(out) == 0 {
		out = append(out, "its cache key changed")
	}
	return out
}

func diffConfig(oldRaw, curRaw json.RawMessage) []string {
	var old, cur map[string]json.RawMessage
	if json.Unmarshal(oldRaw, &old) != nil || json.Unmarshal(curRaw, &cur) != nil {
		if !equal(oldRaw, curRaw) {
			return []string{"configuration changed"}
		}
		return nil
	}
	var out []string
	for _, k := range changedKeys(old, cur) {
		out = append(out, fmt.Sprintf("attribute %s: %s → %s", k, short(old[k]), short(cur[k])))
	}
	return out
}

func short(v json.RawMessage) string {
	if v == nil {
		return "(unset)"
	}
	var compact bytes.Buffer
	if json.Compact(&compact, v) == nil {
		v = compact.Bytes()
	}
	s := string(v)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// changedKeys lists keys whose values differ, sorted. JSON values are
// compared by meaning, not layout: stored key inputs are indented.
func changedKeys[V any](old, cur map[string]V) []string {
	var out []string
	for k := range union(old, cur) {
		if !equal(old[k], cur[k]) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func equal(a, b any) bool {
	ra, okA := a.(json.RawMessage)
	rb, okB := b.(json.RawMessage)
	if !okA || !okB {
		return reflect.DeepEqual(a, b)
	}
	var va, vb any
	if json.Unmarshal(ra, &va) != nil || json.Unmarshal(rb, &vb) != nil {
		return bytes.Equal(ra, rb)
	}
	return reflect.DeepEqual(va, vb)
}

func union[V any](a, b map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// pulledNames are the "arch name" of the packages gathering pulled in.
func pulledNames(lists ...[]string) map[string]bool {
	out := map[string]bool{}
	for _, l := range lists {
		for _, line := range l {
			if f := strings.Fields(line); len(f) >= 2 {
				out[f[0]+" "+nameOf(f[1])] = true
			}
		}
	}
	return out
}

// diffPackages compares "arch NEVRA sha256" lists by arch and name (a
// source package apart from its binary of the same name); pulled names
// the packages gathering pulled in.
func diffPackages(old, cur []string, pulled map[string]bool) []string {
	index := func(list []string) map[string][2]string {
		m := map[string][2]string{}
		for _, l := range list {
			f := strings.Fields(l)
			if len(f) == 3 {
				k := f[0] + " " + nameOf(f[1])
				if strings.HasSuffix(f[1], ".src") {
					k += " src"
				}
				m[k] = [2]string{f[1], f[2]}
			}
		}
		return m
	}
	o, c := index(old), index(cur)
	var out []string
	for k := range union(o, c) {
		arch := strings.Fields(k)[0]
		where := arch
		if pulled[k] {
			where += ", pulled in"
		}
		switch ov, cv := o[k], c[k]; {
		case ov[0] == "":
			out = append(out, fmt.Sprintf("package %s added (%s)", cv[0], where))
		case cv[0] == "":
			out = append(out, fmt.Sprintf("package %s removed (%s)", ov[0], where))
		case ov[0] != cv[0]:
			out = append(out, fmt.Sprintf("package %s → %s (%s)", ov[0], cv[0], where))
		case ov[1] != cv[1]:
			out = append(out, fmt.Sprintf("package %s has new content (sha256 %.12s → %.12s)", cv[0], ov[1], cv[1]))
		}
	}
	sort.Strings(out)
	return out
}

// nameOf takes the name from a NEVRA: everything before the
// version-release.arch.
func nameOf(nevra string) string {
	s := nevra
	for i := 0; i < 2; i++ {
		if j := strings.LastIndexByte(s, '-'); j > 0 {
			s = s[:j]
		}
	}
	return s
}

func diffContent(oldRaw, curRaw json.RawMessage) []string {
	var old, cur map[string]json.RawMessage
	if json.Unmarshal(oldRaw, &old) != nil || json.Unmarshal(curRaw, &cur) != nil {
		return nil
	}
	var out []string
	for _, k := range changedKeys(old, cur) {
		switch {
		case old[k] == nil:
			out = append(out, k+" added")
		case cur[k] == nil:
			out = append(out, k+" removed")
		default:
			out = append(out, k+" changed")
		}
	}
	return out
}

func diffInputs(old, cur []string) []string {
	index := func(list []string) map[string]string {
		m := map[string]string{}
		for _, l := range list {
			if a, k, ok := strings.Cut(l, " "); ok {
				m[a] = k
			}
		}
		return m
	}
	o, c := index(old), index(cur)
	var out []string
	for _, a := range changedKeys(o, c) {
		switch {
		case o[a] == "":
			out = append(out, fmt.Sprintf("input %s added", a))
		case c[a] == "":
			out = append(out, fmt.Sprintf("input %s removed", a))
		default:
			out = append(out, fmt.Sprintf("input %s changed (key %.12s → %.12s)", a, o[a], c[a]))
		}
	}
	return out
}
