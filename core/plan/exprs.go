package plan

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// artifactExprs returns, for every attribute of body whose expression
// refers to an artifact, its source text without layout. The values of
// such attributes are unknown while planning; the text tells
// artifact.a.digest from artifact.a.path in the key.
func artifactExprs(files map[string]*hcl.File, body hcl.Body) map[string]string {
	out := map[string]string{}
	collectExprs(files, body, "", out)
	if len(out) == 0 {
		return nil
	}
	return out
}

func collectExprs(files map[string]*hcl.File, body hcl.Body, prefix string, out map[string]string) {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return
	}
	for name, a := range sb.Attributes {
		for _, t := range a.Expr.Variables() {
			if t.RootName() == "artifact" {
				out[prefix+name] = exprText(files, a.Expr.Range())
				break
			}
		}
	}
	byType := map[string]int{}
	for _, b := range sb.Blocks {
		i := byType[b.Type]
		byType[b.Type]++
		collectExprs(files, b.Body, prefix+b.Type+"["+strconv.Itoa(i)+"].", out)
	}
}

// exprText is the source of an expression as tokens joined by single
// spaces, so reformatting does not change it.
func exprText(files map[string]*hcl.File, r hcl.Range) string {
	f := files[r.Filename]
	if f == nil || r.End.Byte > len(f.Bytes) {
		return ""
	}
	toks, _ := hclsyntax.LexExpression(f.Bytes[r.Start.Byte:r.End.Byte], r.Filename, r.Start)
	var parts []string
	for _, t := range toks {
		if t.Type == hclsyntax.TokenNewline || t.Type == hclsyntax.TokenEOF || t.Type == hclsyntax.TokenComment {
			continue
		}
		parts = append(parts, string(t.Bytes))
	}
	return strings.Join(parts, " ")
}
