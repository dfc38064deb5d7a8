package plan

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

const planFormat = 1

// File is a saved plan: what was planned and with which inputs, so that
// applying it later builds exactly that or refuses.
type File struct {
	Format  int                        `json:"format_version"`
	Dir     string                     `json:"config_dir"`
	Vars    map[string]json.RawMessage `json:"variables"`
	Targets []string                   `json:"targets,omitempty"`
	Strict  bool                       `json:"strict,omitempty"`
	Date    string                     `json:"compose_date"`
	Changes []FileChange               `json:"changes"`
}

// FileChange is one instance of a saved plan.
type FileChange struct {
	Address string `json:"address"`
	Action  string `json:"action"`
	Key     string `json:"key"`
}

// Save writes the plan to path.
func (p *Plan) Save(path string) error {
	dir, err := filepath.Abs(p.Opts.Config.Dir)
	if err != nil {
		return err
	}
	f := File{Format: planFormat, Dir: dir, Vars: map[string]json.RawMessage{},
		Strict: p.Opts.Strict, Date: p.Opts.Date.UTC().Format(time.DateOnly)}
	for a, v := range p.Eval.Values {
		if a.Kind == addrs.Variable {
			raw, err := ctyjson.Marshal(v, cty.DynamicPseudoType)
			if err != nil {
				return fmt.Errorf("var.%s: %w", a.Name, err)
			}
			f.Vars[a.Name] = raw
		}
	}
	for _, t := range p.Opts.Targets {
		f.Targets = append(f.Targets, t.String())
	}
	for _, n := range p.Changes() {
		f.Changes = append(f.Changes, FileChange{Address: n.Inst.Addr.String(), Action: n.Action.String(), Key: n.Key})
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// ReadFile reads a saved plan.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil || f.Format != planFormat {
		return nil, fmt.Errorf("%s is not a strata plan file", path)
	}
	return &f, nil
}

// Settings returns the saved variable values as settings.
func (f *File) Settings() ([]dsl.VarSetting, error) {
	names := slices.Sorted(maps.Keys(f.Vars))
	var out []dsl.VarSetting
	for _, n := range names {
		v, err := ctyjson.Unmarshal(f.Vars[n], cty.DynamicPseudoType)
		if err != nil {
			return nil, fmt.Errorf("variable %s in the plan: %w", n, err)
		}
		out = append(out, dsl.VarSetting{Name: n, Expr: hcl.StaticExpr(v, hcl.Range{}), From: "saved plan"})
	}
	return out, nil
}

// TargetAddrs parses the saved targets.
func (f *File) TargetAddrs() ([]addrs.Instance, error) {
	var out []addrs.Instance
	for _, t := range f.Targets {
		a, err := addrs.ParseInstance(t)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Check refuses a fresh plan that differs from the saved one: an input
// moved since it was saved.
func (f *File) Check(p *Plan) error {
	saved := map[string]FileChange{}
	for _, c := range f.Changes {
		saved[c.Address] = c
	}
	var moved []string
	for _, n := range p.Changes() {
		addr := n.Inst.Addr.String()
		c, ok := saved[addr]
		switch {
		case !ok:
			moved = append(moved, addr+" is new")
		case c.Key != n.Key:
			moved = append(moved, fmt.Sprintf("%s: key %.12s → %.12s", addr, c.Key, n.Key))
		case c.Action != n.Action.String():
			moved = append(moved, fmt.Sprintf("%s: %s → %s", addr, c.Action, n.Action))
		}
		delete(saved, addr)
	}
	for addr := range saved {
		moved = append(moved, addr+" is gone")
	}
	if len(moved) > 0 {
		sort.Strings(moved)
		return fmt.Errorf("the saved plan is stale; its inputs moved since it was made:\n  %s\nRun strata plan again", strings.Join(moved, "\n  "))
	}
	return nil
}
