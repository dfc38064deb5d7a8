package eval

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-build/strata/core/graph"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/internal/addrs"
)

// lessBlock orders block addresses for stable output.
func lessBlock(a, b addrs.Block) bool { return a.String() < b.String() }

// analyze builds the reference graph of cfg and each block's references.
func analyze(cfg *dsl.Config) (*graph.Graph[addrs.Block], map[addrs.Block][]dsl.Reference, hcl.Diagnostics) {
	g := graph.New(lessBlock)
	refs := map[addrs.Block][]dsl.Reference{}
	var diags hcl.Diagnostics
	add := func(from addrs.Block, exprs []hcl.Expression, eachAllowed, countAllowed bool) {
		g.Add(from)
		rs, special, d := dsl.References(exprs...)
		diags = append(diags, d...)
		for _, t := range special {
			diags = append(diags, checkSpecial(from, t, eachAllowed, countAllowed)...)
		}
		for _, r := range rs {
			if _, ok := cfg.DeclRange(r.Subject); !ok {
				diags = append(diags, undeclared(cfg, r))
				continue
			}
			if from.Kind == addrs.Variable {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Variables may not be used here",
					Detail: "A variable's default must be a literal value; it cannot refer to other blocks.", Subject: r.Range.Ptr()})
				continue
			}
			refs[from] = append(refs[from], r)
			g.Connect(from, r.Subject)
		}
	}
	if cfg.Compose != nil {
		add(cfg.Compose.Addr, cfg.Compose.Expressions(), false, false)
	}
	for addr, b := range cfg.Blocks {
		add(addr, b.Expressions(), false, false)
	}
	for addr, a := range cfg.Artifacts {
		_, hasEach := a.Meta["for_each"]
		_, hasCount := a.Meta["count"]
		var exprs []hcl.Expression
		for _, name := range []string{"for_each", "count", "depends_on", "closure", "timeout"} {
			if attr, ok := a.Meta[name]; ok {
				exprs = append(exprs, attr.Expr)
			}
		}
		add(addr, append(exprs, dsl.BodyExpressions(a.Body)...), hasEach, hasCount)
	}
	for _, cycle := range g.Cycles() {
		diags = append(diags, cycleDiag(cfg, cycle))
	}
	return g, refs, diags
}

func checkSpecial(from addrs.Block, t hcl.Traversal, eachAllowed, countAllowed bool) hcl.Diagnostics {
	root := t.RootName()
	if (root == dsl.RootEach && eachAllowed) || (root == dsl.RootCount && countAllowed) {
		attr := ""
		if len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				attr = a.Name
			}
		}
		valid := map[string]bool{"each.key": true, "each.value": true, "count.index": true}
		if !valid[root+"."+attr] {
			return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid " + root + " reference",
				Detail: "Use each.key and each.value with for_each, and count.index with count.", Subject: t.SourceRange().Ptr()}}
		}
		return nil
	}
	what := map[string]string{dsl.RootEach: "for_each", dsl.RootCount: "count"}[root]
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: fmt.Sprintf("Reference to %q in %s", root, from),
		Detail:  fmt.Sprintf("%s.* is available only in an artifact block that sets %s.", root, what),
		Subject: t.SourceRange().Ptr()}}
}

func undeclared(cfg *dsl.Config, r dsl.Reference) *hcl.Diagnostic {
	kind := strings.SplitN(r.Subject.String(), ".", 2)[0]
	detail := fmt.Sprintf("The configuration declares no %s.", r.Subject)
	if s := suggest(cfg, r.Subject); s != "" {
		detail += fmt.Sprintf(" Did you mean %s?", s)
	}
	if r.Subject.Kind == addrs.Compose {
		detail = "The configuration has no compose block."
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Reference to undeclared " + kind, Detail: detail, Subject: r.Range.Ptr()}
}

// suggest finds a declared block of the same kind whose name is close.
func suggest(cfg *dsl.Config, want addrs.Block) string {
	var names []string
	for a := range cfg.Blocks {
		if a.Kind == want.Kind {
			names = append(names, a.String())
		}
	}
	for a := range cfg.Artifacts {
		if want.Kind == addrs.Artifact {
			names = append(names, a.String())
		}
	}
	sort.Strings(names)
	best, bestDist := "", 3
	for _, n := range names {
		if d := distance(n, want.String()); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// distance is the Levenshtein distance of two strings.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func cycleDiag(cfg *dsl.Config, cycle []addrs.Block) *hcl.Diagnostic {
	var lines []string
	for _, b := range cycle {
		r, _ := cfg.DeclRange(b)
		lines = append(lines, fmt.Sprintf("  %s (%s:%d)", b, r.Filename, r.Start.Line))
	}
	first, _ := cfg.DeclRange(cycle[0])
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Reference cycle",
		Detail: "These blocks refer to each other in a cycle, so none can be evaluated first:\n" +
			strings.Join(lines, "\n") + "\nBreak the cycle by removing one of the references.",
		Subject: first.Ptr()}
}

// Analyze returns the reference graph of a configuration without
// evaluating it: for strata graph.
func Analyze(cfg *dsl.Config) (*graph.Graph[addrs.Block], hcl.Diagnostics) {
	g, _, diags := analyze(cfg)
	return g, diags
}
