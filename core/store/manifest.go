package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/strata-build/strata/sdk/manifest"
)

// manifestFile holds an entry's manifest beside entry.json, one line per
// file in the manifest's order:
//
//	<sha256> <size> <mode in octal> <path>[ <link target>]
//
// with "-" for the sha256 of a symbolic link. A path or target that is
// empty or holds a space, a quote, a backslash, a control character or
// invalid UTF-8 is written as a Go quoted string. A manifest lists every
// file of a build, tens of thousands for a repository; as JSON inside
// entry.json, decoding it was most of the time an apply spent reading
// the previous build's entry.
const manifestFile = "manifest"

// encodeManifest returns the manifest file's content.
func encodeManifest(files []manifest.File) []byte {
	var b []byte
	for _, f := range files {
		sum := f.SHA256
		if sum == "" {
			sum = "-"
		}
		b = append(b, sum...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, f.Size, 10)
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(f.Mode), 8)
		b = append(b, ' ')
		b = appendName(b, f.Path)
		if f.Link != "" {
			b = append(b, ' ')
			b = appendName(b, f.Link)
		}
		b = append(b, '\n')
	}
	return b
}

func appendName(b []byte, s string) []byte {
	if s == "" || !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == '"' || r == '\\' || r == 0x7f }) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

// decodeManifest reads a manifest file's content; name says where it is.
func decodeManifest(data []byte, name string) ([]manifest.File, error) {
	text := string(data)
	files := make([]manifest.File, 0, strings.Count(text, "\n"))
	for n := 1; text != ""; n++ {
		line, rest, ok := strings.Cut(text, "\n")
		if !ok {
			return nil, fmt.Errorf("%s:%d: the last line is cut short", name, n)
		}
		text = rest
		f, err := parseManifestLine(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		files = append(files, f)
	}
	return files, nil
}

func parseManifestLine(line string) (manifest.File, error) {
	var f manifest.File
	sum, line, _ := strings.Cut(line, " ")
	size, line, _ := strings.Cut(line, " ")
	mode, line, _ := strings.Cut(line, " ")
	if sum != "-" {
		f.SHA256 = sum
	}
	var err error
	if f.Size, err = strconv.ParseInt(size, 10, 64); err != nil {
		return f, fmt.Errorf("size: %w", err)
	}
	m, err := strconv.ParseUint(mode, 8, 32)
	if err != nil {
		return f, fmt.Errorf("mode: %w", err)
	}
	f.Mode = uint32(m)
	if f.Path, line, err = cutName(line); err != nil {
		return f, fmt.Errorf("path: %w", err)
	}
	if line != "" {
		if f.Link, line, err = cutName(line); err != nil {
			return f, fmt.Errorf("link target: %w", err)
		}
		if line != "" {
			return f, fmt.Errorf("%q after the link target", line)
		}
	}
	return f, nil
}

// cutName reads a name, quoted or not, and what follows its space.
func cutName(s string) (name, rest string, err error) {
	if !strings.HasPrefix(s, `"`) {
		name, rest, _ = strings.Cut(s, " ")
		if name == "" {
			return "", "", fmt.Errorf("missing")
		}
		return name, rest, nil
	}
	q, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", "", err
	}
	name, _ = strconv.Unquote(q)
	rest = s[len(q):]
	if rest != "" && rest[0] != ' ' {
		return "", "", fmt.Errorf("%q after the quoted name", rest)
	}
	return name, strings.TrimPrefix(rest, " "), nil
}

// ManifestDigest is the sha256 of an entry's manifest file.
func ManifestDigest(m []manifest.File) string {
	sum := sha256.Sum256(encodeManifest(m))
	return hex.EncodeToString(sum[:])
}
