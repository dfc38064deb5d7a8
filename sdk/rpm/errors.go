package rpm

import "fmt"

// FormatError reports a file that is not a well-formed RPM package.
type FormatError struct {
	// File is the path of the package, when known.
	File string
	// Offset is the byte offset in the file where the problem was found.
	Offset int64
	// Reason says what is wrong.
	Reason string
}

func (e *FormatError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("offset %d: %s", e.Offset, e.Reason)
	}
	return fmt.Sprintf("%s: offset %d: %s", e.File, e.Offset, e.Reason)
}

func formatErr(offset int64, format string, args ...any) *FormatError {
	return &FormatError{Offset: offset, Reason: fmt.Sprintf(format, args...)}
}
