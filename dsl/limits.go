package dsl

import (
	"bytes"
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// MaxNesting bounds how deeply brackets, blocks, strings, template
// interpolations and unary operators may nest. HCL's parser recurses once
// per level, and a Go stack overflow cannot be caught: 100,000 nested
// parentheses would kill strata instead of giving a diagnostic. Real
// configurations nest a few levels.
const MaxNesting = 256

// MaxConfigSize bounds the configuration files' total size. Parsing and
// evaluating take about 150 bytes of memory per byte of configuration
// (tokens, syntax tree and values); Fedora's 158 comps groups are 139 KB.
const MaxConfigSize = 8 << 20

// checkNesting scans src without recursion and refuses it where it nests
// deeper than MaxNesting.
func checkNesting(src []byte, filename string) *hcl.Diagnostic {
	s := nestScanner{src: src, line: 1, col: 1}
	return s.scan(filename)
}

// nestScanner tracks, for every open level, whether it is an expression,
// a quoted string or a heredoc (where only "${" and "%{" open levels).
type nestScanner struct {
	src       []byte
	i         int
	line, col int
	stack     []frame
	unary     int // unary operators in a row
}

// frame is one open level: an expression (bracket, block, interpolation)
// when heredoc and quote are both empty.
type frame struct {
	quote   bool
	heredoc string // the heredoc's closing word
}

func (s *nestScanner) scan(filename string) *hcl.Diagnostic {
	for s.i < len(s.src) {
		var top frame
		if len(s.stack) > 0 {
			top = s.stack[len(s.stack)-1]
		}
		inString := top.quote || top.heredoc != ""
		c := s.src[s.i]
		var next byte
		if s.i+1 < len(s.src) {
			next = s.src[s.i+1]
		}
		switch {
		case top.heredoc != "" && (s.i == 0 || s.src[s.i-1] == '\n') && s.closesHeredoc(top.heredoc):
			s.stack = s.stack[:len(s.stack)-1]
			continue
		case top.quote && c == '\\':
			s.advance(2)
			continue
		case top.quote && c == '"':
			s.stack = s.stack[:len(s.stack)-1]
		case (c == '$' || c == '%') && next == c && s.i+2 < len(s.src) && s.src[s.i+2] == '{':
			s.advance(3) // "$${" and "%%{" are literal
			continue
		case (c == '$' || c == '%') && next == '{':
			s.stack = append(s.stack, frame{})
			s.advance(2)
			if d := s.tooDeep(filename); d != nil {
				return d
			}
			continue
		case inString:
		case c == '#' || c == '/' && next == '/':
			s.skipTo("\n")
			continue
		case c == '/' && next == '*':
			s.skipTo("*/")
			continue
		case c == '"':
			s.stack = append(s.stack, frame{quote: true})
		case c == '<' && next == '<':
			if word := s.heredocWord(); word != "" {
				s.stack = append(s.stack, frame{heredoc: word})
				s.skipTo("\n")
				if d := s.tooDeep(filename); d != nil {
					return d
				}
				continue
			}
		case c == '(' || c == '[' || c == '{':
			s.stack = append(s.stack, frame{})
		case c == ')' || c == ']' || c == '}':
			if len(s.stack) > 0 {
				s.stack = s.stack[:len(s.stack)-1]
			}
		case c == '!' && next != '=' || c == '-' && next != '>':
			s.unary++
			if s.unary > MaxNesting {
				return s.diag(filename, "operators in a row")
			}
			s.advance(1)
			continue
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			s.unary = 0
		}
		s.advance(1)
		if d := s.tooDeep(filename); d != nil {
			return d
		}
	}
	return nil
}

func (s *nestScanner) tooDeep(filename string) *hcl.Diagnostic {
	if len(s.stack) > MaxNesting {
		return s.diag(filename, "levels of brackets, blocks, strings and interpolations")
	}
	return nil
}

func (s *nestScanner) diag(filename, what string) *hcl.Diagnostic {
	pos := hcl.Pos{Line: s.line, Column: s.col, Byte: s.i}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Configuration nested too deeply",
		Detail:  fmt.Sprintf("This file nests more than %d %s here; strata reads configurations nested at most %d deep. Write the expression in steps, with locals.", MaxNesting, what, MaxNesting),
		Subject: &hcl.Range{Filename: filename, Start: pos, End: pos}}
}

// heredocWord returns the closing word of a heredoc that opens at s.i
// ("<<EOT" or "<<-EOT" then a newline), or "".
func (s *nestScanner) heredocWord() string {
	j := s.i + 2
	if j < len(s.src) && s.src[j] == '-' {
		j++
	}
	start := j
	for j < len(s.src) && (s.src[j] == '_' || s.src[j] >= 'a' && s.src[j] <= 'z' || s.src[j] >= 'A' && s.src[j] <= 'Z' || s.src[j] >= '0' && s.src[j] <= '9') {
		j++
	}
	if j == start || j >= len(s.src) || s.src[j] != '\n' && s.src[j] != '\r' {
		return ""
	}
	return string(s.src[start:j])
}

// closesHeredoc reports whether the line at s.i is a heredoc's closing
// word, spaces around it aside, and moves past the word if so.
func (s *nestScanner) closesHeredoc(word string) bool {
	j := s.i
	for j < len(s.src) && (s.src[j] == ' ' || s.src[j] == '\t') {
		j++
	}
	if !bytes.HasPrefix(s.src[j:], []byte(word)) {
		return false
	}
	k := j + len(word)
	for k < len(s.src) && (s.src[k] == ' ' || s.src[k] == '\t' || s.src[k] == '\r') {
		k++
	}
	if k < len(s.src) && s.src[k] != '\n' {
		return false
	}
	s.advance(j + len(word) - s.i)
	return true
}

// advance moves n bytes on, counting lines.
func (s *nestScanner) advance(n int) {
	for ; n > 0 && s.i < len(s.src); n-- {
		if s.src[s.i] == '\n' {
			s.line, s.col = s.line+1, 1
		} else {
			s.col++
		}
		s.i++
	}
}

// skipTo moves past the next end, or to the end of the source.
func (s *nestScanner) skipTo(end string) {
	for s.i < len(s.src) {
		if string(s.src[s.i:min(s.i+len(end), len(s.src))]) == end {
			s.advance(len(end))
			return
		}
		s.advance(1)
	}
}
