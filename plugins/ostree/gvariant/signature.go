package gvariant

// typeInfo is what serialising needs to know of a type: its alignment
// and its fixed size (0 for a variable-size type).
type typeInfo struct {
	align, fixed int
}

func alignOf(sig string) int { return info(sig).align }

func fixedSize(sig string) int { return info(sig).fixed }

// info reads one complete type string.
func info(sig string) typeInfo {
	t, end := parseType(sig, 0)
	if end != len(sig) {
		panic("gvariant: bad type string " + sig)
	}
	return t
}

// parseType reads the type that starts at sig[i] and returns its info
// and the index after it.
func parseType(sig string, i int) (typeInfo, int) {
	if i >= len(sig) {
		panic("gvariant: bad type string " + sig)
	}
	switch c := sig[i]; c {
	case 'y', 'b':
		return typeInfo{1, 1}, i + 1
	case 'n', 'q':
		return typeInfo{2, 2}, i + 1
	case 'i', 'u', 'h':
		return typeInfo{4, 4}, i + 1
	case 'x', 't', 'd':
		return typeInfo{8, 8}, i + 1
	case 's', 'o', 'g':
		return typeInfo{1, 0}, i + 1
	case 'v':
		return typeInfo{8, 0}, i + 1
	case 'a':
		elem, end := parseType(sig, i+1)
		return typeInfo{elem.align, 0}, end
	case '(', '{':
		closing := byte(')')
		if c == '{' {
			closing = '}'
		}
		align, size, fixed := 1, 0, true
		j := i + 1
		for j < len(sig) && sig[j] != closing {
			var m typeInfo
			m, j = parseType(sig, j)
			align = max(align, m.align)
			if m.fixed == 0 {
				fixed = false
			} else {
				size = (size+m.align-1)/m.align*m.align + m.fixed
			}
		}
		if j >= len(sig) {
			panic("gvariant: bad type string " + sig)
		}
		if !fixed {
			return typeInfo{align, 0}, j + 1
		}
		if size == 0 {
			size = 1 // the unit tuple
		}
		return typeInfo{align, (size + align - 1) / align * align}, j + 1
	}
	panic("gvariant: unsupported type " + string(sig[i]) + " in " + sig)
}

// members splits a tuple's type string into its members' type strings.
func members(sig string) []string {
	var out []string
	for j := 1; j < len(sig)-1; {
		_, end := parseType(sig, j)
		out = append(out, sig[j:end])
		j = end
	}
	return out
}
