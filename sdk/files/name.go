package files

import (
	"fmt"
	"strings"
)

// MaxName is the longest file name, in bytes, that Linux file systems,
// tar and ISO 9660's Rock Ridge names take (NAME_MAX).
const MaxName = 255

// CheckName checks that s can be one element of a path: not empty, not
// "." or "..", without a slash or a NUL byte, and at most MaxName bytes.
// Every configuration value that strata or a plugin makes into a file or
// directory name goes through it before anything is written, so that no
// value reaches outside the directory it is meant for.
func CheckName(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("an empty name is not a file name")
	case s == "." || s == "..":
		return fmt.Errorf("%q is not a file name", s)
	case strings.ContainsAny(s, "/\x00"):
		return fmt.Errorf("%q holds a slash or a NUL byte: it would name another directory than its own", s)
	case len(s) > MaxName:
		return fmt.Errorf("%.40q… is %d bytes long; a file name holds at most %d", s, len(s), MaxName)
	}
	return nil
}

// CheckRelPath checks that p is a clean relative path whose every element
// passes CheckName: a path that stays inside the directory it is joined to.
func CheckRelPath(p string) error {
	for _, elem := range strings.Split(p, "/") {
		if err := CheckName(elem); err != nil {
			return fmt.Errorf("%q is not a clean relative path: %w", p, err)
		}
	}
	return nil
}
