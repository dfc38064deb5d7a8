package command

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"

	"github.com/strata-build/strata/core/eval"
	"github.com/strata-build/strata/dsl"
	"github.com/strata-build/strata/internal/addrs"
)

// nodeStyles draws each kind of block.
var nodeStyles = map[addrs.Kind]string{
	addrs.Source:   `shape=cylinder, style=filled, fillcolor="#eeeeee"`,
	addrs.Group:    `shape=note, style=filled, fillcolor="#fff7d6"`,
	addrs.Module:   `shape=component, style=filled, fillcolor="#dcebff"`,
	addrs.Variant:  `shape=folder, style=filled, fillcolor="#e3f5dc"`,
	addrs.Artifact: `shape=box, style="filled,rounded", fillcolor="#ffe0d6"`,
	addrs.Variable: `shape=ellipse`,
	addrs.Local:    `shape=ellipse`,
	addrs.Compose:  `shape=doubleoctagon`,
}

func runGraph(c *cli, args []string) int {
	fs := c.flags()
	format := fs.String("format", "dot", `"dot", or "svg" (rendered by Graphviz's dot)`)
	all := fs.Bool("all", false, "also show variables, locals and the compose block")
	dir, code, stop := c.parseDir(fs, args)
	if stop {
		return code
	}
	cfg, ok := c.load(dir)
	if !ok {
		return exitError
	}
	dot, ok := c.dot(cfg, *all)
	if !ok {
		return exitError
	}
	switch *format {
	case "dot":
		fmt.Fprint(c.stdout, dot)
	case "svg":
		bin, err := exec.LookPath("dot")
		if err != nil {
			return c.errorf("-format=svg renders with Graphviz's dot, which is not installed. Install Graphviz (apt-get install graphviz), or run strata graph | dot -Tsvg on a machine that has it")
		}
		cmd := exec.Command(bin, "-Tsvg")
		cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(dot), c.stdout, c.stderr
		if err := cmd.Run(); err != nil {
			return c.errorf("dot: %v", err)
		}
	default:
		fmt.Fprintf(c.stderr, "strata graph: -format must be dot or svg, not %q\n", *format)
		return exitUsage
	}
	return exitOK
}

// dot writes the reference graph with arrows in the direction things are
// built: from a group to the module that holds it, from a module to the
// variant, from an artifact to the artifact built on it.
func (c *cli) dot(cfg *dsl.Config, all bool) (string, bool) {
	g, diags := eval.Analyze(cfg)
	c.diagnose(diags)
	if diags.HasErrors() {
		return "", false
	}
	shown := func(a addrs.Block) bool {
		return all || (a.Kind != addrs.Variable && a.Kind != addrs.Local && a.Kind != addrs.Compose)
	}
	var b bytes.Buffer
	b.WriteString("digraph strata {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n  edge [color=\"#555555\"];\n")
	for _, n := range g.Nodes() {
		if shown(n) {
			fmt.Fprintf(&b, "  %q [%s];\n", n.String(), nodeStyles[n.Kind])
		}
	}
	// A hidden node (a local, say) passes its dependencies on, so that
	// variant -> local -> artifact still shows as variant -> artifact.
	var shownDeps func(addrs.Block, map[addrs.Block]bool) []addrs.Block
	shownDeps = func(n addrs.Block, seen map[addrs.Block]bool) []addrs.Block {
		var out []addrs.Block
		for _, dep := range g.DependsOn(n) {
			if seen[dep] {
				continue
			}
			seen[dep] = true
			if shown(dep) {
				out = append(out, dep)
			} else {
				out = append(out, shownDeps(dep, seen)...)
			}
		}
		return out
	}
	for _, n := range g.Nodes() {
		if !shown(n) {
			continue
		}
		for _, dep := range shownDeps(n, map[addrs.Block]bool{}) {
			fmt.Fprintf(&b, "  %q -> %q;\n", dep.String(), n.String())
		}
	}
	b.WriteString("}\n")
	return b.String(), true
}
