package command

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strata-build/strata/core/plan"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/internal/addrs"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

func runShow(c *cli, args []string) int {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print the state or the artifact's entry as JSON")
	if code, stop := c.parse(fs, args); stop {
		return code
	}
	var addr, dir string = "", "."
	for _, a := range fs.Args() {
		switch {
		case strings.HasPrefix(a, "artifact.") && addr == "":
			addr = a
		case dir == ".":
			dir = a
		default:
			fmt.Fprintf(c.stderr, "strata show: too many arguments\n")
			return exitUsage
		}
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fmt.Fprintf(c.stderr, "strata show: %s is not a configuration directory\n", dir)
		return exitUsage
	}
	st := &store.Store{Dir: filepath.Join(dir, ".strata")}
	state, err := st.ReadState()
	if err != nil {
		return c.errorf("%v", err)
	}
	if addr == "" {
		return c.showState(st, state, *asJSON)
	}
	inst, err := addrs.ParseInstance(addr)
	if err != nil {
		fmt.Fprintf(c.stderr, "strata show: %v\n", err)
		return exitUsage
	}
	se, ok := state.Get(inst.String())
	if !ok {
		return c.errorf("%s has not been built; run strata apply first", inst)
	}
	e, err := st.Read(se.Key)
	if err != nil {
		return c.errorf("%s: %v", inst, err)
	}
	if *asJSON {
		c.printJSON(map[string]any{"address": inst.String(), "key": e.Key, "path": st.FilesPath(e.Key),
			"outputs": e.Outputs, "manifest": e.Manifest, "lineage": e.Lineage})
		return exitOK
	}
	c.showEntry(inst, e, st.FilesPath(e.Key))
	return exitOK
}

func (c *cli) showState(st *store.Store, state *store.State, asJSON bool) int {
	addrsList := state.Addresses()
	if asJSON {
		out := map[string]any{}
		for _, a := range addrsList {
			se, _ := state.Get(a)
			out[a] = map[string]string{"key": se.Key, "type": se.Type, "path": st.FilesPath(se.Key)}
		}
		c.printJSON(map[string]any{"artifacts": out})
		return exitOK
	}
	if len(addrsList) == 0 {
		fmt.Fprintln(c.stdout, "No artifacts have been built yet.")
		return exitOK
	}
	width := 0
	for _, a := range addrsList {
		width = max(width, len(a))
	}
	for _, a := range addrsList {
		se, _ := state.Get(a)
		fmt.Fprintf(c.stdout, "%-*s  %.12s  %s\n", width, a, se.Key, st.FilesPath(se.Key))
	}
	return exitOK
}

func (c *cli) showEntry(inst addrs.Instance, e *store.Entry, files string) {
	w := c.stdout
	l, err := e.DecodeLineage()
	if err != nil {
		fmt.Fprintf(w, "%s\n  %v\n", inst, err)
		return
	}
	fmt.Fprintf(w, "%s\n  key:       %s\n  plugin:    %s %s (protocol %d)\n  timestamp: %d\n  files:     %s\n",
		inst, e.Key, l.Plugin.Name, l.Plugin.Version, l.Plugin.Protocol, l.Timestamp, files)
	if outputs, err := plan.DecodeOutputs(e.Outputs); err == nil && outputs.Type().IsObjectType() {
		fmt.Fprintln(w, "  outputs:")
		vals := outputs.AsValueMap()
		names := slices.Sorted(maps.Keys(vals))
		for _, k := range names {
			text, _ := json.Marshal(ctyjson.SimpleJSONValue{Value: vals[k]})
			fmt.Fprintf(w, "    %s = %s\n", k, text)
		}
	}
	fmt.Fprintf(w, "  modules (%d):\n", len(l.Modules))
	for _, m := range l.Modules {
		fmt.Fprintf(w, "    %s:%s version %d\n", m.Name, m.Stream, m.Version)
	}
	fmt.Fprintf(w, "  inputs (%d):\n", len(l.Inputs))
	for _, in := range l.Inputs {
		fmt.Fprintf(w, "    %s (key %.12s)\n", in.Address, in.Key)
	}
	fmt.Fprintf(w, "  packages (%d):\n", len(l.Packages))
	for _, p := range l.Packages {
		fmt.Fprintf(w, "    %s  %s  sha256:%s  %s\n", p.Arch, p.NEVRA, p.SHA256, p.Source)
	}
	pooled := 0
	for i := range e.Manifest {
		if e.IsPooled(i) {
			pooled++
		}
	}
	if pooled > 0 {
		fmt.Fprintf(w, "  files (%d, %d of them in the store's package pool):\n", len(e.Manifest), pooled)
	} else {
		fmt.Fprintf(w, "  files (%d):\n", len(e.Manifest))
	}
	for i, f := range e.Manifest {
		switch {
		case f.Link != "":
			fmt.Fprintf(w, "    %s -> %s\n", f.Path, f.Link)
		case e.IsPooled(i):
			fmt.Fprintf(w, "    %s  %d bytes  sha256:%s  (pool)\n", f.Path, f.Size, f.SHA256)
		default:
			fmt.Fprintf(w, "    %s  %d bytes  sha256:%s\n", f.Path, f.Size, f.SHA256)
		}
	}
}
