package genrpm

import (
	"maps"
	"slices"

	"github.com/strata-build/strata/core/eval"
	"github.com/strata-build/strata/dsl"
)

// ConfigLayers reads the configuration's modules as layers (a module builds
// on the modules it requires), required modules first, each group no
// module takes as a layer of its own, and each variant's own packages as
// a layer on its modules.
func ConfigLayers(dir string) ([]Layer, error) {
	cfg, diags := dsl.Load(dir)
	if diags.HasErrors() {
		return nil, diags
	}
	r, diags := eval.Evaluate(cfg, nil)
	if diags.HasErrors() {
		return nil, diags
	}
	var layers []Layer
	done := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		if done[id] {
			return
		}
		done[id] = true
		m := r.Modules[id]
		for _, req := range m.Requires {
			visit(req)
		}
		l := Layer{Name: "module." + id}
		for _, req := range m.Requires {
			l.On = append(l.On, "module."+req)
		}
		for _, gid := range m.Groups {
			l.Packages = append(l.Packages, r.Groups[gid].Packages()...)
		}
		for _, s := range m.Packages {
			l.Packages = append(l.Packages, s.Text)
		}
		layers = append(layers, l)
	}
	for _, id := range slices.Sorted(maps.Keys(r.Modules)) {
		visit(id)
	}
	// Groups no module takes still name packages the universe holds.
	taken := map[string]bool{}
	for _, m := range r.Modules {
		for _, gid := range m.Groups {
			taken[gid] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(r.Groups)) {
		if !taken[id] {
			layers = append(layers, Layer{Name: "group." + id, Packages: r.Groups[id].Packages()})
		}
	}
	for _, id := range slices.Sorted(maps.Keys(r.Variants)) {
		v := r.Variants[id]
		l := Layer{Name: "variant." + id}
		for _, m := range v.Modules {
			l.On = append(l.On, "module."+m)
		}
		for _, s := range v.Packages {
			l.Packages = append(l.Packages, s.Text)
		}
		layers = append(layers, l)
	}
	return layers, nil
}

// ForConfig generates the universe of the configuration in dir (see
// Universe), with the specs in the JSON file given (if any) as written.
func ForConfig(dir, given string, opt UniverseOptions) ([]Spec, error) {
	layers, err := ConfigLayers(dir)
	if err != nil {
		return nil, err
	}
	var specs []Spec
	if given != "" {
		if specs, err = ReadSpecs(given); err != nil {
			return nil, err
		}
	}
	return Universe(layers, specs, opt)
}
