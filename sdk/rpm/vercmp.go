package rpm

import (
	"strconv"
	"strings"
)

// Vercmp compares two version or release strings as rpm's rpmvercmp does
// (rpmio/rpmvercmp.c, rpm 4.15+ with '~' and '^'): it returns -1, 0 or 1.
//
// Strings are split into runs of digits and runs of ASCII letters; other
// characters only separate. Numeric runs compare as numbers and beat alpha
// runs; '~' sorts before anything, even the end of the string; '^' sorts
// after the end of the string but before anything else.
func Vercmp(a, b string) int {
	if a == b {
		return 0
	}
	for len(a) > 0 || len(b) > 0 {
		a = strings.TrimLeftFunc(a, isSeparator)
		b = strings.TrimLeftFunc(b, isSeparator)
		if hasPrefix(a, '~') || hasPrefix(b, '~') {
			if !hasPrefix(a, '~') {
				return 1
			}
			if !hasPrefix(b, '~') {
				return -1
			}
			a, b = a[1:], b[1:]
			continue
		}
		if hasPrefix(a, '^') || hasPrefix(b, '^') {
			switch {
			case a == "":
				return -1
			case b == "":
				return 1
			case !hasPrefix(a, '^'):
				return 1
			case !hasPrefix(b, '^'):
				return -1
			}
			a, b = a[1:], b[1:]
			continue
		}
		if a == "" || b == "" {
			break
		}
		isNum := isDigit(a[0])
		class := isAlpha
		if isNum {
			class = isDigit
		}
		sa, ra := span(a, class)
		sb, rb := span(b, class)
		if sb == "" {
			// Segments of different kinds: numbers are newer.
			if isNum {
				return 1
			}
			return -1
		}
		if isNum {
			sa = strings.TrimLeft(sa, "0")
			sb = strings.TrimLeft(sb, "0")
			if len(sa) != len(sb) {
				if len(sa) > len(sb) {
					return 1
				}
				return -1
			}
		}
		if c := strings.Compare(sa, sb); c != 0 {
			return c
		}
		a, b = ra, rb
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

func span(s string, class func(byte) bool) (string, string) {
	i := 0
	for i < len(s) && class(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

func hasPrefix(s string, c byte) bool { return len(s) > 0 && s[0] == c }
func isDigit(c byte) bool             { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool             { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isSeparator(r rune) bool {
	return r > 0x7f || !(isDigit(byte(r)) || isAlpha(byte(r)) || r == '~' || r == '^')
}

// EVR is an epoch, version and release. A zero Epoch and an absent one are
// the same, as they are to rpm and libsolv when comparing packages.
type EVR struct {
	Epoch   uint64
	Version string
	Release string
}

// ParseEVR parses "[epoch:]version[-release]". The release starts after the
// last '-', as rpm splits it.
func ParseEVR(s string) (EVR, bool) {
	var e EVR
	if i := strings.IndexByte(s, ':'); i >= 0 {
		n, err := strconv.ParseUint(s[:i], 10, 64)
		if err != nil {
			return EVR{}, false
		}
		e.Epoch, s = n, s[i+1:]
	}
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		e.Version, e.Release = s[:i], s[i+1:]
	} else {
		e.Version = s
	}
	return e, true
}

// NEVRA formats a package as name-[epoch:]version-release.arch.
func NEVRA(name string, evr EVR, arch string) string {
	return name + "-" + evr.String() + "." + arch
}

// String formats the EVR as rpm prints it: the epoch only when nonzero.
func (e EVR) String() string {
	s := e.Version
	if e.Release != "" {
		s += "-" + e.Release
	}
	if e.Epoch != 0 {
		s = strconv.FormatUint(e.Epoch, 10) + ":" + s
	}
	return s
}

// Compare orders two EVRs: epoch, then version, then release.
func (e EVR) Compare(o EVR) int {
	if e.Epoch != o.Epoch {
		if e.Epoch < o.Epoch {
			return -1
		}
		return 1
	}
	if c := Vercmp(e.Version, o.Version); c != 0 {
		return c
	}
	return Vercmp(e.Release, o.Release)
}
