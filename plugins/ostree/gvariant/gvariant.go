// Package gvariant serialises GVariant values in normal form, the
// encoding of ostree's metadata objects, and splits containers back into
// their members. It knows the types ostree uses: integers (which ostree
// stores big-endian, whatever the host), booleans, strings, byte arrays,
// tuples, dictionary entries, arrays and variants; no maybe types.
//
// Values are serialised when they are built: a container is its members'
// bytes with padding and framing offsets, as glib's gvariant-serialiser
// lays them out. The format is "GVariant Serialisation" (Lortie, 2.3
// "Framing offsets", 2.4 "Containers"):
// https://people.gnome.org/~desrt/gvariant-serialisation.pdf, and glib's
// glib/gvariant-serialiser.c.
package gvariant

import (
	"encoding/binary"
	"fmt"
)

// Value is a serialised value with its type.
type Value struct {
	sig  string
	data []byte
}

// Signature is the value's GVariant type string.
func (v Value) Signature() string { return v.sig }

// Bytes is the serialised value.
func (v Value) Bytes() []byte { return v.data }

// Uint32 is a u, stored big-endian as ostree stores every integer.
func Uint32(n uint32) Value {
	return Value{"u", binary.BigEndian.AppendUint32(nil, n)}
}

// Uint64 is a t, stored big-endian.
func Uint64(n uint64) Value {
	return Value{"t", binary.BigEndian.AppendUint64(nil, n)}
}

// Uint64LE is a t in the host order of x86 and ARM machines, as ostree
// writes the commit sizes of its summary file.
func Uint64LE(n uint64) Value {
	return Value{"t", binary.LittleEndian.AppendUint64(nil, n)}
}

// Bool is a b.
func Bool(b bool) Value {
	if b {
		return Value{"b", []byte{1}}
	}
	return Value{"b", []byte{0}}
}

// String is an s: the bytes and a NUL.
func String(s string) Value {
	return Value{"s", append([]byte(s), 0)}
}

// ByteArray is an ay: the bytes, unframed.
func ByteArray(b []byte) Value {
	return Value{"ay", append([]byte(nil), b...)}
}

// Variant is a v holding inner: its bytes, a NUL and its type string.
func Variant(inner Value) Value {
	data := append(append(append([]byte(nil), inner.data...), 0), inner.sig...)
	return Value{"v", data}
}

// Tuple is a tuple of members: each padded to its alignment, then the
// end offsets of the variable-size members but the last, in reverse
// order. A tuple of fixed-size members is padded to its fixed size.
func Tuple(members ...Value) Value {
	sig := "("
	for _, m := range members {
		sig += m.sig
	}
	return Value{sig + ")", tuple(sig+")", members)}
}

// DictEntry is a {kv} entry, laid out as a two-member tuple.
func DictEntry(key, value Value) Value {
	sig := "{" + key.sig + value.sig + "}"
	return Value{sig, tuple(sig, []Value{key, value})}
}

func tuple(sig string, members []Value) []byte {
	var body []byte
	var offsets []int
	for i, m := range members {
		body = pad(body, alignOf(m.sig))
		body = append(body, m.data...)
		if fixedSize(m.sig) == 0 && i < len(members)-1 {
			offsets = append(offsets, len(body))
		}
	}
	if fixed := fixedSize(sig); fixed > 0 {
		return pad(body, alignOf(sig))
	}
	if len(members) == 0 {
		return []byte{0} // the unit tuple is one zero byte
	}
	for i, j := 0, len(offsets)-1; i < j; i, j = i+1, j-1 {
		offsets[i], offsets[j] = offsets[j], offsets[i]
	}
	return frame(body, offsets)
}

// Array is an array of elements of type elem (elements must have that
// type). Fixed-size elements are concatenated; variable-size ones are
// each padded to their alignment and followed by the end offset of
// every element.
func Array(elem string, elements ...Value) Value {
	var body []byte
	var offsets []int
	fixed := fixedSize(elem)
	for _, e := range elements {
		if e.sig != elem {
			panic(fmt.Sprintf("gvariant: %s element in an array of %s", e.sig, elem))
		}
		body = pad(body, alignOf(elem))
		body = append(body, e.data...)
		offsets = append(offsets, len(body))
	}
	if fixed > 0 {
		return Value{"a" + elem, body}
	}
	return Value{"a" + elem, frame(body, offsets)}
}

// frame appends offsets to body in the smallest width that can address
// the whole container, as glib's gvs_calculate_total_size chooses it.
func frame(body []byte, offsets []int) []byte {
	n := len(offsets)
	if n == 0 {
		return body
	}
	width := 8
	for _, w := range []int{1, 2, 4} {
		if uint64(len(body)+w*n) < 1<<(8*w) {
			width = w
			break
		}
	}
	out := make([]byte, 0, len(body)+width*n)
	out = append(out, body...)
	for _, off := range offsets {
		out = appendOffset(out, uint64(off), width)
	}
	return out
}

func appendOffset(b []byte, off uint64, width int) []byte {
	for i := 0; i < width; i++ {
		b = append(b, byte(off>>(8*i)))
	}
	return b
}

func pad(b []byte, align int) []byte {
	for len(b)%align != 0 {
		b = append(b, 0)
	}
	return b
}
