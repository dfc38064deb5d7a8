package sdk

import (
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Severity of a diagnostic.
type Severity int

// Severities.
const (
	Error Severity = iota + 1
	Warning
)

// Diagnostic is a problem found in a configuration. Path names the
// attribute it is about; strata turns it into a file:line range.
type Diagnostic struct {
	Severity Severity
	Summary  string
	Detail   string
	Path     cty.Path
}

// Diagnostics is a list of diagnostics.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errorf returns an error diagnostic about the attribute at path.
func Errorf(path cty.Path, summary, detail string, args ...any) Diagnostic {
	return Diagnostic{Severity: Error, Summary: summary, Detail: fmt.Sprintf(detail, args...), Path: path}
}

// Warnf returns a warning diagnostic about the attribute at path.
func Warnf(path cty.Path, summary, detail string, args ...any) Diagnostic {
	return Diagnostic{Severity: Warning, Summary: summary, Detail: fmt.Sprintf(detail, args...), Path: path}
}

// Err makes an error of the error diagnostics, or returns nil.
func (ds Diagnostics) Err() error {
	var msgs []string
	for _, d := range ds {
		if d.Severity == Error {
			msgs = append(msgs, d.Summary+": "+d.Detail)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(msgs, "; "))
}
