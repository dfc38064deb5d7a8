package command

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/dsl"
)

func runPlugins(c *cli, args []string) int {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print the list as JSON")
	dir, code, stop := c.parseDir(fs, args)
	if stop {
		return code
	}
	mgr, ok := c.manager(dir)
	if !ok {
		return exitError
	}
	mgr.Unlocked = true
	defer mgr.Close()
	found := plugins.All(mgr.Dirs)
	for typ := range mgr.Builtins {
		if _, ok := found[typ]; !ok {
			found[typ] = "built into strata"
		}
	}
	var rows []map[string]any
	for _, typ := range slices.Sorted(maps.Keys(found)) {
		row := map[string]any{"type": typ, "path": found[typ]}
		p, err := mgr.ForType(typ)
		if err != nil {
			row["error"] = err.Error()
		} else {
			row["plugin"], row["version"], row["protocol"], row["sha256"] = p.Info.Name, p.Info.Version, p.Info.Protocol, p.SHA256
			row["locked"] = mgr.Lock[typ] != nil && mgr.Lock[typ].SHA256 == p.SHA256
		}
		rows = append(rows, row)
	}
	if *asJSON {
		c.printJSON(map[string]any{"plugins": rows, "search_path": mgr.Dirs})
		return exitOK
	}
	fmt.Fprintln(c.stdout, "strata looks for plugins in:")
	for _, d := range mgr.Dirs {
		fmt.Fprintf(c.stdout, "  %s (%s)\n", d.Path, d.Why)
	}
	fmt.Fprintln(c.stdout)
	if len(rows) == 0 {
		fmt.Fprintln(c.stdout, "No plugins found.")
	}
	for _, r := range rows {
		if e, bad := r["error"]; bad {
			fmt.Fprintf(c.stdout, "%-12s %s\n             error: %s\n", r["type"], r["path"], e)
			continue
		}
		lock := "not in the lock file"
		if r["locked"] == true {
			lock = "locked"
		} else if mgr.Lock[r["type"].(string)] != nil {
			lock = "differs from the lock file"
		}
		fmt.Fprintf(c.stdout, "%-12s %s %s (protocol %d, %s)\n             %s\n", r["type"], r["plugin"], r["version"], r["protocol"], lock, r["path"])
	}
	return exitOK
}

func runInit(c *cli, args []string) int {
	fs := c.flags()
	dir, code, stop := c.parseDir(fs, args)
	if stop {
		return code
	}
	cfg, ok := c.load(dir)
	if !ok {
		return exitError
	}
	mgr, ok := c.manager(dir)
	if !ok {
		return exitError
	}
	mgr.Unlocked = true
	defer mgr.Close()
	types := map[string]bool{}
	for a := range cfg.Artifacts {
		types[a.Type] = true
	}
	for name := range cfg.RequiredPlugins {
		types[name] = true
	}
	names := slices.Sorted(maps.Keys(types))
	lock := plugins.Lock{}
	failed := false
	for _, typ := range names {
		p, err := mgr.ForType(typ)
		if err != nil {
			c.errorf("%v", err)
			failed = true
			continue
		}
		if req := cfg.RequiredPlugins[typ]; req != nil {
			if err := checkConstraint(req, p.Info.Version); err != nil {
				c.errorf("%v", err)
				failed = true
				continue
			}
		}
		lock[typ] = &plugins.Locked{Type: typ, Plugin: p.Info.Name, Version: p.Info.Version, SHA256: p.SHA256}
		fmt.Fprintf(c.stdout, "- %s: %s %s (%s)\n", typ, p.Info.Name, p.Info.Version, p.Path)
	}
	if failed {
		return exitError
	}
	if err := lock.Write(dir); err != nil {
		return c.errorf("writing the lock file: %v", err)
	}
	fmt.Fprintf(c.stdout, "\nstrata has been initialized: %d plugins recorded in %s.\n", len(lock), plugins.LockFileName)
	return exitOK
}

func checkConstraint(req *dsl.RequiredPlugin, have string) error {
	if strings.TrimSpace(req.Version) == "" {
		return nil
	}
	cs, err := version.NewConstraint(req.Version)
	if err != nil {
		return fmt.Errorf("%s: required_plugins %s: %q is not a version constraint: %v", req.Range, req.Name, req.Version, err)
	}
	v, err := version.NewVersion(have)
	if err != nil {
		return fmt.Errorf("plugin %s reports version %q, which is not a version", req.Name, have)
	}
	if !cs.Check(v) {
		return fmt.Errorf("%s: required_plugins asks for %s %s, but the plugin found is version %s", req.Range, req.Name, req.Version, have)
	}
	return nil
}
