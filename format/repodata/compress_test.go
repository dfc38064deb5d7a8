package repodata

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// A kept encoder writes what a new one with the same level and window
// writes, for the file it is first used for and for the next.
func TestZstdEncodersWriteTheSameBytes(t *testing.T) {
	for _, size := range []int{0, 5000, 300000} {
		var doc bytes.Buffer
		for i := range size {
			fmt.Fprintf(&doc, "<package><name>p%d</name><version ver=\"1.%d\"/></package>\n", i, i%97)
		}
		var want bytes.Buffer
		e, err := zstd.NewWriter(&want, zstdOptions()...)
		if err != nil {
			t.Fatal(err)
		}
		e.Write(doc.Bytes())
		e.Close()
		for round := range 2 {
			var got bytes.Buffer
			w, err := Zstd.writer(&got)
			if err != nil {
				t.Fatal(err)
			}
			for b := doc.Bytes(); len(b) > 0; b = b[min(len(b), 4096):] {
				w.Write(b[:min(len(b), 4096)])
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%d packages, use %d: %d bytes, want a new encoder's %d", size, round+1, got.Len(), want.Len())
			}
		}
	}
}
