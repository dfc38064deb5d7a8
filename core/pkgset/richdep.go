package pkgset

import (
	"fmt"
	"strings"

	"github.com/strata-build/strata/sdk/rpm"
)

// richDep is a parsed boolean dependency (rpm 4.13+): "(A and B)",
// "(A or B)", "(A if B else C)", "(A unless B else C)", "(A with B)",
// "(A without B)", nested at will. A leaf is a plain dependency.
type richDep struct {
	op   string // "" for a leaf
	args []*richDep
	leaf rpm.Dependency
}

var richOps = map[string]bool{"and": true, "or": true, "if": true, "unless": true, "with": true, "without": true, "else": true}

// parseRich parses a rich dependency, following rpm's rpmrichParse.
func parseRich(s string) (*richDep, error) {
	p := &richParser{toks: tokenizeRich(s)}
	d, err := p.expr()
	if err != nil {
		return nil, fmt.Errorf("rich dependency %q: %w", s, err)
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("rich dependency %q: unexpected %q", s, p.toks[p.pos])
	}
	return d, nil
}

func tokenizeRich(s string) []string {
	var out []string
	cur := strings.Builder{}
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch r {
		case '(', ')':
			flush()
			out = append(out, string(r))
		case ' ', '\t', '\n':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}

type richParser struct {
	toks []string
	pos  int
}

func (p *richParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *richParser) next() string {
	t := p.peek()
	p.pos++
	return t
}

// expr parses "( term op term [op term…] )".
func (p *richParser) expr() (*richDep, error) {
	if p.next() != "(" {
		return nil, fmt.Errorf("expected '('")
	}
	first, err := p.term()
	if err != nil {
		return nil, err
	}
	if p.peek() == ")" {
		p.next()
		return first, nil
	}
	op := p.next()
	if !richOps[op] || op == "else" {
		return nil, fmt.Errorf("expected an operator, got %q", op)
	}
	d := &richDep{op: op, args: []*richDep{first}}
	for {
		t, err := p.term()
		if err != nil {
			return nil, err
		}
		d.args = append(d.args, t)
		switch nx := p.next(); {
		case nx == ")":
			return d, nil
		case nx == "else" && (op == "if" || op == "unless") && len(d.args) == 2:
			continue
		case nx == op && (op == "and" || op == "or" || op == "with"):
			continue
		default:
			return nil, fmt.Errorf("unexpected %q after %s", nx, op)
		}
	}
}

// term parses a nested expression or a plain "name [op version]".
func (p *richParser) term() (*richDep, error) {
	if p.peek() == "(" {
		return p.expr()
	}
	name := p.next()
	if name == "" || name == ")" || richOps[name] {
		return nil, fmt.Errorf("expected a dependency, got %q", name)
	}
	d := &richDep{leaf: rpm.Dependency{Name: name}}
	if f, ok := senseOps[p.peek()]; ok {
		p.next()
		v := p.next()
		if v == "" || v == ")" || v == "(" {
			return nil, fmt.Errorf("%s %s needs a version", name, p.toks[p.pos-2])
		}
		d.leaf.Flags, d.leaf.Version = f, v
	}
	return d, nil
}

var senseOps = map[string]rpm.Flags{
	"<": rpm.SenseLess, ">": rpm.SenseGreater, "=": rpm.SenseEqual, "==": rpm.SenseEqual,
	"<=": rpm.SenseLess | rpm.SenseEqual, ">=": rpm.SenseGreater | rpm.SenseEqual,
}
