package repodata

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// validUTF8 checks a string as libxml2's xmlCheckUTF8 does: by structure
// only (lead byte and continuation bytes), so overlong forms pass.
func validUTF8(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		n := 0
		switch {
		case c < 0x80:
			i++
			continue
		case c&0xe0 == 0xc0:
			n = 1
		case c&0xf0 == 0xe0:
			n = 2
		case c&0xf8 == 0xf0:
			n = 3
		default:
			return false
		}
		for k := 1; k <= n; k++ {
			if i+k >= len(s) || s[i+k]&0xc0 != 0x80 {
				return false
			}
		}
		i += n + 1
	}
	return true
}

// repair turns a string that is not UTF-8 into UTF-8 as createrepo_c's
// cr_latin1_to_utf8 does: ASCII stays, 0x80–0xBF are dropped, and
// 0xC0–0xFF become U+00C0–U+00FF.
func repair(s string) string {
	if validUTF8(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x80:
			b.WriteByte(c)
		case c >= 0xc0:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

// hasControl reports a byte below 0x20 other than tab, newline and
// carriage return: createrepo_c drops a package with one anywhere.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
	}
	return false
}

// The references libxml2 writes for ASCII bytes in element content and
// in attribute values; other bytes are written as they are, except
// non-ASCII characters in attribute values (escapeAttr).
var (
	textRefs = [0x80]string{'&': "&amp;", '<': "&lt;", '>': "&gt;", '\r': "&#13;"}
	attrRefs = [0x80]string{'&': "&amp;", '<': "&lt;", '>': "&gt;", '"': "&quot;", '\n': "&#10;", '\r': "&#13;", '\t': "&#9;"}
)

// escapeText escapes element content as libxml2 does.
func escapeText(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x80 && textRefs[c] != "" {
			b.WriteString(textRefs[c])
		} else {
			b.WriteByte(c)
		}
	}
}

// escapeAttr escapes an attribute value as libxml2 does: markup, quotes
// and whitespace other than space as references, and every non-ASCII
// character as a hexadecimal character reference.
func escapeAttr(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c >= 0x80:
			r, size := decodeRune(s[i:])
			fmt.Fprintf(b, "&#x%X;", r)
			i += size
			continue
		case attrRefs[c] != "":
			b.WriteString(attrRefs[c])
		default:
			b.WriteByte(c)
		}
		i++
	}
}

// decodeRune decodes one structurally valid UTF-8 sequence, overlong or
// not, as libxml2's xmlGetUTF8Char does.
func decodeRune(s string) (rune, int) {
	if r, size := utf8.DecodeRuneInString(s); r != utf8.RuneError || size > 1 {
		return r, size
	}
	c := s[0]
	switch {
	case c&0xe0 == 0xc0 && len(s) >= 2:
		return rune(c&0x1f)<<6 | rune(s[1]&0x3f), 2
	case c&0xf0 == 0xe0 && len(s) >= 3:
		return rune(c&0x0f)<<12 | rune(s[1]&0x3f)<<6 | rune(s[2]&0x3f), 3
	case c&0xf8 == 0xf0 && len(s) >= 4:
		return rune(c&0x07)<<18 | rune(s[1]&0x3f)<<12 | rune(s[2]&0x3f)<<6 | rune(s[3]&0x3f), 4
	}
	return rune(c), 1
}
