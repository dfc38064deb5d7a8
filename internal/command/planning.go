package command

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/pkgset"
	"github.com/strata-build/strata/core/plan"
	"github.com/strata-build/strata/core/plugins"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/internal/addrs"
)

// DateEnv sets the compose date (YYYY-MM-DD) instead of today, to
// reproduce a compose or check lifecycles at another date.
const DateEnv = "STRATA_COMPOSE_DATE"

// planFlags are the options plan and apply share.
type planFlags struct {
	varFlags
	targets listFlag
	strict  bool
	json    bool

	parsedTargets []addrs.Instance
}

// parseTargets checks the -target addresses; a bad one is a usage error.
func (c *cli) parseTargets(pf *planFlags) bool {
	for _, t := range pf.targets {
		a, err := addrs.ParseInstance(t)
		if err != nil {
			fmt.Fprintf(c.stderr, "strata %s: -target: %v\n", c.verb, err)
			return false
		}
		pf.parsedTargets = append(pf.parsedTargets, a)
	}
	return true
}

func (pf *planFlags) register(fs *flag.FlagSet) {
	pf.varFlags.register(fs)
	fs.Var(&pf.targets, "target", "plan only this artifact instance and what it is built from (repeatable)")
	fs.BoolVar(&pf.strict, "strict", false, "make lifecycle warnings (modules past end of life) errors")
	fs.BoolVar(&pf.json, "json", false, "print machine-readable JSON on stdout")
}

// session holds what planning opened; close releases it.
type session struct {
	plan    *plan.Plan
	plugins *plugins.Manager
	store   *store.Store
}

func (s *session) close() {
	if s.plugins != nil {
		s.plugins.Close()
	}
}

func composeDate() (time.Time, error) {
	if s := os.Getenv(DateEnv); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s=%q is not a date written YYYY-MM-DD", DateEnv, s)
		}
		return t, nil
	}
	return time.Now().UTC(), nil
}

// makePlan plans dir; saved, when given, supplies the variables and
// targets instead of the flags. Diagnostics are printed (or returned for
// -json).
func (c *cli) makePlan(ctx context.Context, dir string, pf *planFlags, saved *plan.File) (*session, hcl.Diagnostics) {
	s := &session{}
	cfg, diags := dsl.Load(dir)
	if cfg == nil || diags.HasErrors() {
		return s, diags
	}
	c.files = cfg.Files
	opts := plan.Options{Config: cfg, Strict: pf.strict}
	var err error
	if opts.Date, err = composeDate(); err != nil {
		return s, append(diags, usageDiag(err.Error()))
	}
	if saved != nil {
		if opts.Vars, err = saved.Settings(); err != nil {
			return s, append(diags, usageDiag(err.Error()))
		}
		if opts.Targets, err = saved.TargetAddrs(); err != nil {
			return s, append(diags, usageDiag(err.Error()))
		}
		opts.Strict = saved.Strict
		if opts.Date, err = time.Parse(time.DateOnly, saved.Date); err != nil {
			return s, append(diags, usageDiag("the saved plan has no valid compose date"))
		}
	} else {
		var d hcl.Diagnostics
		opts.Vars, d = pf.settings(cfg)
		diags = append(diags, d...)
		opts.Targets = pf.parsedTargets
		if diags.HasErrors() {
			return s, diags
		}
	}
	var ok bool
	if s.plugins, ok = c.manager(dir); !ok {
		return s, append(diags, usageDiag("cannot read the lock file"))
	}
	if s.store, ok = c.openStore(dir); !ok {
		return s, append(diags, usageDiag("cannot open the store"))
	}
	opts.Plugins, opts.Store = s.plugins, s.store
	s.plugins.SchemaCache = filepath.Join(s.store.CacheDir(), "schemas")
	holdingUniverse()
	p, d := plan.New(ctx, opts)
	s.plan = p
	return s, append(diags, d...)
}

func usageDiag(msg string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: msg}
}

var actionSymbols = map[plan.Action]string{plan.Build: "+", plan.Rebuild: "~", plan.UpToDate: "="}

// printPlan prints a plan for people.
func (c *cli) printPlan(p *plan.Plan) {
	changes := p.Changes()
	width := 0
	for _, n := range changes {
		width = max(width, len(n.Inst.Addr.String()))
	}
	build, rebuild, upToDate := p.Counts()
	publishes := p.Publishes()
	fetch, push := p.Transfers()
	if build+rebuild+publishes+fetch+push > 0 {
		fmt.Fprintln(c.stdout, "strata will perform the following actions:")
		fmt.Fprintln(c.stdout)
	}
	for _, n := range changes {
		what := n.Action.String()
		if n.Action != plan.UpToDate {
			c := countPackages(n)
			what += fmt.Sprintf(", %s, %d packages", n.Plugin.Name(), c.binary)
			if c.pulled > 0 {
				what += fmt.Sprintf(" (%d listed, %d pulled in", c.binary-c.pulled, c.pulled)
				if c.multilib > 0 {
					what += fmt.Sprintf(", %d of them multilib", c.multilib)
				}
				what += ")"
			}
			if c.source+c.debug > 0 {
				what += fmt.Sprintf(", %d source and %d debuginfo packages", c.source, c.debug)
			}
			if n.InStore {
				what += ", already in the store"
			}
		}
		switch {
		case n.Fetch:
			what += ", in the remote store"
		case n.Push:
			what += ", not yet in the remote store: pushed there"
		}
		symbol := actionSymbols[n.Action]
		if n.PublishPending {
			if n.Action == plan.UpToDate {
				symbol, what = ">", "publish"
			}
			what += ", then push to " + n.Publish
		}
		fmt.Fprintf(c.stdout, "  %s %-*s  (%s)\n", symbol, width, n.Inst.Addr, what)
		for _, r := range n.Reasons {
			fmt.Fprintf(c.stdout, "      %s\n", r)
		}
	}
	fmt.Fprintln(c.stdout)
	if build+rebuild+publishes+fetch+push == 0 {
		fmt.Fprintln(c.stdout, "No changes. Every artifact is up to date.")
	}
	more := ""
	for _, m := range []struct {
		n    int
		what string
	}{{publishes, "to publish"}, {fetch, "to fetch"}, {push, "to push"}} {
		if m.n > 0 {
			more += fmt.Sprintf(", %d %s", m.n, m.what)
		}
	}
	fmt.Fprintf(c.stdout, "Plan: %d to build, %d to rebuild, %d up to date%s.\n", build, rebuild, upToDate, more)
}

// packageCounts count a node's packages, each architecture's in turn:
// binary ones, of them those gathering pulled in and those multilib
// added; source and debuginfo ones.
type packageCounts struct {
	binary, pulled, multilib, source, debug int
}

func countPackages(n *plan.Node) packageCounts {
	var c packageCounts
	for _, pkgs := range n.Set.ByArch {
		for _, p := range pkgs {
			switch n.Set.Category(p) {
			case pkgset.SourceCategory:
				c.source++
				continue
			case pkgset.DebugCategory:
				c.debug++
				continue
			}
			c.binary++
			if pull, ok := n.Set.Pulled[p]; ok {
				c.pulled++
				if pull.Multilib {
					c.multilib++
				}
			}
		}
	}
	return c
}

// planJSON is the -json form of a plan.
func planJSON(p *plan.Plan, diags hcl.Diagnostics) map[string]any {
	doc := map[string]any{"format_version": "1", "diagnostics": jsonDiags(diags)}
	if p == nil {
		return doc
	}
	var changes []map[string]any
	for _, n := range p.Changes() {
		reasons := n.Reasons
		if reasons == nil {
			reasons = []string{}
		}
		c := countPackages(n)
		changes = append(changes, map[string]any{
			"address": n.Inst.Addr.String(), "action": strings.ReplaceAll(n.Action.String(), " ", "_"),
			"key": n.Key, "reasons": reasons, "in_store": n.InStore, "packages": c.binary, "pulled_in": c.pulled, "multilib": c.multilib,
			"source_packages": c.source, "debuginfo_packages": c.debug, "in_remote_store": n.Fetch, "push": n.Push,
			"publish": n.Publish, "publish_pending": n.PublishPending,
			"plugin": map[string]string{"name": n.Plugin.Info.Name, "version": n.Plugin.Info.Version},
		})
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i]["address"].(string) < changes[j]["address"].(string) })
	build, rebuild, upToDate := p.Counts()
	doc["changes"] = changes
	fetch, push := p.Transfers()
	doc["summary"] = map[string]int{"build": build, "rebuild": rebuild, "up_to_date": upToDate, "publish": p.Publishes(), "fetch": fetch, "push": push}
	return doc
}

// coreGCPercent is the core's garbage collection target (Go's GOGC)
// while it plans and applies: the package universe is most of what it
// holds, and at Go's default of 100 the heap may grow to twice it before
// a collection. Against 30, at 20 the median peak of an unchanged plan of
// 77,000 packages is 81-82.5 MB, not 85-91.5 (six alternated runs, twice),
// for about 4% more time; a first plan of 20,000 (every header read)
// peaks 3 MB lower and takes 15% longer. A GOGC in the environment
// wins.
const coreGCPercent = 20

// holdingUniverse sets the core's garbage collection target for a run
// that loads the universe.
func holdingUniverse() { setGCPercent(coreGCPercent) }

// setGCPercent sets the garbage collection target unless the environment
// sets GOGC.
func setGCPercent(percent int) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(percent)
	}
}
