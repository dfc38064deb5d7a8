package compose

import (
	"encoding/json"
	"slices"
)

// rpmsTree is rpms.json's payload: variant, arch, source package and
// package, to where the package is.
type rpmsTree map[string]map[string]map[string]map[string]placedRPM

// encode writes rpms.json as json.MarshalIndent writes it, four spaces a
// level: the small parts through it, the tens of thousands of packages
// by hand. Indenting them took encoding/json most of a compose of a
// large repository.
func (t rpmsTree) encode(head map[string]any) ([]byte, error) {
	hdr, err := json.MarshalIndent(header{Type: "productmd.rpms", Version: "1.2"}, "    ", "    ")
	if err != nil {
		return nil, err
	}
	compose, err := json.MarshalIndent(head, "        ", "    ")
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 256*t.count())
	b = append(b, "{\n    \"header\": "...)
	b = append(b, hdr...)
	b = append(b, ",\n    \"payload\": {\n        \"compose\": "...)
	b = append(b, compose...)
	b = append(b, ",\n        \"rpms\": "...)
	b = appendSorted(b, t, 2, func(b []byte, arches map[string]map[string]map[string]placedRPM) []byte {
		return appendSorted(b, arches, 3, func(b []byte, srpms map[string]map[string]placedRPM) []byte {
			return appendSorted(b, srpms, 4, func(b []byte, rpms map[string]placedRPM) []byte {
				return appendSorted(b, rpms, 5, appendPlaced)
			})
		})
	})
	return append(b, "\n    }\n}\n"...), nil
}

// count is how many packages t holds.
func (t rpmsTree) count() int {
	n := 0
	for _, arches := range t {
		for _, srpms := range arches {
			for _, rpms := range srpms {
				n += len(rpms)
			}
		}
	}
	return n
}

// appendSorted appends an object of m's values at nesting depth level,
// its keys sorted as encoding/json sorts a map's.
func appendSorted[V any](b []byte, m map[string]V, level int, value func([]byte, V) []byte) []byte {
	if len(m) == 0 {
		return append(b, "{}"...)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendIndent(b, level+1)
		b = appendString(b, k)
		b = append(b, ": "...)
		b = value(b, m[k])
	}
	b = appendIndent(b, level)
	return append(b, '}')
}

// appendPlaced appends one package's object, at nesting depth 6.
func appendPlaced(b []byte, r placedRPM) []byte {
	b = append(b, '{')
	b = appendIndent(b, 7)
	b = append(b, `"category": `...)
	b = appendString(b, r.Category)
	b = append(b, ',')
	b = appendIndent(b, 7)
	b = append(b, `"path": `...)
	b = appendString(b, r.Path)
	b = append(b, ',')
	b = appendIndent(b, 7)
	b = append(b, `"sigkey": `...)
	if key, ok := r.SigKey.(string); ok {
		b = appendString(b, key)
	} else {
		b = append(b, "null"...)
	}
	b = appendIndent(b, 6)
	return append(b, '}')
}

// appendIndent starts a line at nesting depth level.
func appendIndent(b []byte, level int) []byte {
	b = append(b, '\n')
	for range level {
		b = append(b, "    "...)
	}
	return b
}

// appendString appends s as encoding/json quotes it: a string of
// printable ASCII that needs no escape (package names and paths) as it
// is, any other through encoding/json.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
