package repo

import (
	"bytes"
	"io"

	"github.com/klauspost/compress/flate"
	"github.com/strata-build/strata/sdk/parallel"
)

const (
	// pieceSize is how much of a large file one core compresses: a file of
	// several pieces is compressed on every core at once, so that one
	// large file (the rpm database, written last) does not hold a commit
	// up on one core.
	pieceSize = 1 << 20
	// window is the most a deflate stream looks back.
	window = 32 << 10
)

// deflate writes the raw deflate stream of content to out. A large
// content is compressed in pieces, each primed with the window before it
// and ended with a sync flush but the last: the pieces make one stream,
// as large as one writer would make it give or take a few bytes a piece,
// and the same content always gives the same bytes.
func (w *ContentWriter) deflate(out io.Writer, content []byte) error {
	if len(content) < 2*pieceSize {
		return w.compress(out, content, nil, true)
	}
	pieces := make([]bytes.Buffer, (len(content)+pieceSize-1)/pieceSize)
	err := parallel.Do(len(pieces), func(i int) error {
		start, end := i*pieceSize, min((i+1)*pieceSize, len(content))
		pieces[i].Grow((end - start) / 2)
		return w.compress(&pieces[i], content[start:end], content[max(0, start-window):start], end == len(content))
	})
	if err != nil {
		return err
	}
	for i := range pieces {
		if _, err := pieces[i].WriteTo(out); err != nil {
			return err
		}
	}
	return nil
}

// compress writes the deflate stream of data, whose window starts with
// dict, closed when last or else flushed to a byte boundary.
func (w *ContentWriter) compress(out io.Writer, data, dict []byte, last bool) error {
	z, _ := w.compressors.Get().(*flate.Writer)
	if z == nil {
		var err error
		if z, err = flate.NewWriterDict(out, w.level, dict); err != nil {
			return err
		}
	} else {
		z.ResetDict(out, dict)
	}
	defer w.compressors.Put(z)
	if _, err := z.Write(data); err != nil {
		return err
	}
	if last {
		return z.Close()
	}
	return z.Flush()
}
