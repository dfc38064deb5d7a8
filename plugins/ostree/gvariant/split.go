package gvariant

import (
	"encoding/binary"
	"fmt"
)

// offsetWidth is the framing offset width of a container of size n.
func offsetWidth(n int) int {
	switch {
	case n == 0:
		return 0
	case n <= 0xff:
		return 1
	case n <= 0xffff:
		return 2
	case n <= 0xffffffff:
		return 4
	}
	return 8
}

func readOffset(data []byte, at, width int) int {
	var v uint64
	for i := 0; i < width; i++ {
		v |= uint64(data[at+i]) << (8 * i)
	}
	return int(v)
}

// SplitTuple returns the bytes of each member of a tuple of type sig
// (such as "(a{sv}aya(say)sstayay)"), reading its framing offsets. It
// refuses data whose offsets point outside it.
func SplitTuple(sig string, data []byte) ([][]byte, error) {
	ms := members(sig)
	width := offsetWidth(len(data))
	end := len(data) // where the offsets end, read from the back
	out := make([][]byte, len(ms))
	pos := 0
	for i, m := range ms {
		t := info(m)
		pos = (pos + t.align - 1) / t.align * t.align
		var stop int
		switch {
		case t.fixed > 0:
			stop = pos + t.fixed
		case i == len(ms)-1:
			stop = end // the offsets of the members before it are behind end
		default:
			end -= width
			if end < 0 {
				return nil, fmt.Errorf("gvariant: %s: framing offsets missing", sig)
			}
			stop = readOffset(data, end, width)
		}
		if pos > stop || stop > len(data) {
			return nil, fmt.Errorf("gvariant: %s: member %d (%s) at %d..%d is outside %d bytes", sig, i, m, pos, stop, len(data))
		}
		out[i] = data[pos:stop]
		pos = stop
	}
	return out, nil
}

// SplitArray returns the bytes of each element of an array whose elements
// have type elem.
func SplitArray(elem string, data []byte) ([][]byte, error) {
	t := info(elem)
	if t.fixed > 0 {
		if len(data)%t.fixed != 0 {
			return nil, fmt.Errorf("gvariant: a%s of %d bytes", elem, len(data))
		}
		var out [][]byte
		for i := 0; i < len(data); i += t.fixed {
			out = append(out, data[i:i+t.fixed])
		}
		return out, nil
	}
	if len(data) == 0 {
		return nil, nil
	}
	width := offsetWidth(len(data))
	last := readOffset(data, len(data)-width, width)
	if last > len(data) || (len(data)-last)%width != 0 {
		return nil, fmt.Errorf("gvariant: a%s: bad framing", elem)
	}
	n := (len(data) - last) / width
	out := make([][]byte, n)
	pos := 0
	for i := range out {
		pos = (pos + t.align - 1) / t.align * t.align
		stop := readOffset(data, last+i*width, width)
		if pos > stop || stop > last {
			return nil, fmt.Errorf("gvariant: a%s: element %d outside the array", elem, i)
		}
		out[i] = data[pos:stop]
		pos = stop
	}
	return out, nil
}

// ParseString reads an s.
func ParseString(data []byte) (string, error) {
	if len(data) == 0 || data[len(data)-1] != 0 {
		return "", fmt.Errorf("gvariant: string without its NUL")
	}
	return string(data[:len(data)-1]), nil
}

// ParseUint64 reads a big-endian t, as ostree stores it.
func ParseUint64(data []byte) (uint64, error) {
	if len(data) != 8 {
		return 0, fmt.Errorf("gvariant: t of %d bytes", len(data))
	}
	return binary.BigEndian.Uint64(data), nil
}

// ParseVariant splits a v into its value's bytes and type string.
func ParseVariant(data []byte) ([]byte, string, error) {
	for i := len(data) - 1; i >= 0; i-- {
		if data[i] == 0 {
			return data[:i], string(data[i+1:]), nil
		}
	}
	return nil, "", fmt.Errorf("gvariant: variant without a type")
}
