package iso9660

import (
	"encoding/binary"
	"fmt"
	"time"
	"unicode/utf16"
)

// both32 and both16 are ISO 9660's both-byte-order numbers: little-endian
// then big-endian.
func both32(v uint32) []byte {
	b := binary.LittleEndian.AppendUint32(nil, v)
	return binary.BigEndian.AppendUint32(b, v)
}

func both16(v uint16) []byte {
	b := binary.LittleEndian.AppendUint16(nil, v)
	return binary.BigEndian.AppendUint16(b, v)
}

// recordTime is the 7-byte time of directory records and TF entries, in
// UTC.
func recordTime(t time.Time) []byte {
	t = t.UTC()
	return []byte{byte(t.Year() - 1900), byte(t.Month()), byte(t.Day()), byte(t.Hour()), byte(t.Minute()), byte(t.Second()), 0}
}

// volumeTime is the 17-byte time of volume descriptors, in UTC.
func volumeTime(t time.Time) []byte {
	t = t.UTC()
	return append([]byte(fmt.Sprintf("%04d%02d%02d%02d%02d%02d%02d", t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1e7)), 0)
}

// noTime is an unset volume time: sixteen zeros and no offset.
func noTime() []byte { return append([]byte("0000000000000000"), 0) }

// padded is s in n bytes, padded with spaces.
func padded(s string, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = ' '
	}
	copy(b, s)
	return b
}

// ucs2Padded is s in UCS-2 big-endian in n bytes, padded with spaces.
func ucs2Padded(s string, n int) []byte {
	b := make([]byte, 0, n)
	for _, u := range utf16.Encode([]rune(s)) {
		if len(b)+2 > n {
			break
		}
		b = append(b, byte(u>>8), byte(u))
	}
	for len(b)+2 <= n {
		b = append(b, 0, ' ')
	}
	return b
}
