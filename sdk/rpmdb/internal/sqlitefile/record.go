package sqlitefile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
)

// putVarint appends v in SQLite's variable-length integer form: seven
// bits a byte, most significant first, the ninth byte carrying eight.
// https://www.sqlite.org/fileformat2.html#varint
func putVarint(b []byte, v uint64) []byte {
	if v>>56 != 0 {
		var buf [9]byte
		buf[8] = byte(v)
		v >>= 8
		for i := 7; i >= 0; i-- {
			buf[i] = byte(v&0x7f) | 0x80
			v >>= 7
		}
		return append(b, buf[:]...)
	}
	var buf [8]byte
	i := len(buf) - 1
	buf[i] = byte(v & 0x7f)
	for v >>= 7; v != 0; v >>= 7 {
		i--
		buf[i] = byte(v&0x7f) | 0x80
	}
	return append(b, buf[i:]...)
}

func varintLen(v uint64) int {
	if v>>56 != 0 {
		return 9
	}
	n := 1
	for v >>= 7; v != 0; v >>= 7 {
		n++
	}
	return n
}

// serialType is the record header's code for v and the size of its body.
// https://www.sqlite.org/fileformat2.html#record_format
func serialType(v any) (uint64, int, error) {
	switch v := v.(type) {
	case nil:
		return 0, 0, nil
	case int64:
		switch {
		case v == 0:
			return 8, 0, nil
		case v == 1:
			return 9, 0, nil
		case v >= -1<<7 && v < 1<<7:
			return 1, 1, nil
		case v >= -1<<15 && v < 1<<15:
			return 2, 2, nil
		case v >= -1<<23 && v < 1<<23:
			return 3, 3, nil
		case v >= -1<<31 && v < 1<<31:
			return 4, 4, nil
		case v >= -1<<47 && v < 1<<47:
			return 5, 6, nil
		}
		return 6, 8, nil
	case string:
		return uint64(len(v))*2 + 13, len(v), nil
	case []byte:
		return uint64(len(v))*2 + 12, len(v), nil
	}
	return 0, 0, fmt.Errorf("a value of type %T cannot be stored (want nil, int64, string or []byte)", v)
}

// record encodes values as a record: a header of serial types, then the
// values' bodies.
func record(values []any) ([]byte, error) {
	types := make([]uint64, len(values))
	typesLen, bodyLen := 0, 0
	for i, v := range values {
		t, n, err := serialType(v)
		if err != nil {
			return nil, err
		}
		types[i] = t
		typesLen += varintLen(t)
		bodyLen += n
	}
	// The header's length counts the varint that holds it.
	headerLen := typesLen + 1
	for varintLen(uint64(headerLen))+typesLen != headerLen {
		headerLen = typesLen + varintLen(uint64(headerLen))
	}
	out := make([]byte, 0, headerLen+bodyLen)
	out = putVarint(out, uint64(headerLen))
	for _, t := range types {
		out = putVarint(out, t)
	}
	for i, v := range values {
		switch v := v.(type) {
		case int64:
			var buf [8]byte
			binary.BigEndian.PutUint64(buf[:], uint64(v))
			out = append(out, buf[8-bodySize(types[i]):]...)
		case string:
			out = append(out, v...)
		case []byte:
			out = append(out, v...)
		}
	}
	return out, nil
}

// bodySize is the body length of an integer serial type.
func bodySize(t uint64) int {
	return [...]int{0, 1, 2, 3, 4, 6, 8, 8, 0, 0}[t]
}

// compare orders two values as SQLite orders index keys with the BINARY
// collation: NULL, then numbers, then text, then blobs; text and blobs
// by their bytes.
// https://www.sqlite.org/fileformat2.html#record_sort_order
func compare(a, b any) int {
	ca, cb := class(a), class(b)
	if ca != cb {
		return ca - cb
	}
	switch a := a.(type) {
	case int64:
		b := b.(int64)
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	case string:
		return strings.Compare(a, b.(string))
	case []byte:
		return bytes.Compare(a, b.([]byte))
	}
	return 0
}

func class(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case int64:
		return 1
	case string:
		return 2
	}
	return 3
}
