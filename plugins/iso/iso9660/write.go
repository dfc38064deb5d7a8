package iso9660

import (
	"bufio"
	"fmt"
	"io"
)

// Output is where an image is written: in order, then the implanted MD5
// at its place.
type Output interface {
	io.Writer
	io.WriterAt
}

// Write writes the image of files to out in one pass and returns its size
// and implanted MD5.
func Write(out Output, files []File, opts Options) (Result, error) {
	l, err := newLayout(files, opts)
	if err != nil {
		return Result{}, err
	}
	w := &imageWriter{out: bufio.NewWriterSize(out, 1<<20)}
	if opts.ImplantMD5 {
		w.md5 = hashInBackground(newImplanter(l.volume))
		defer w.finish()
	}
	if err := l.write(w); err != nil {
		return Result{}, err
	}
	if err := w.out.Flush(); err != nil {
		return Result{}, err
	}
	res := Result{Size: w.off}
	if md5 := w.finish(); md5 != nil {
		sum, text, err := md5.appData(opts.Supported)
		if err != nil {
			return Result{}, err
		}
		if _, err := out.WriteAt(text, appDataOffset); err != nil {
			return Result{}, err
		}
		res.MD5 = sum
	}
	return res, nil
}

// imageWriter writes the image in order, hashing it for the implant.
type imageWriter struct {
	out *bufio.Writer
	off int64
	md5 *background
}

// finish waits for the MD5 of what was written; nil without one.
func (w *imageWriter) finish() *implanter {
	if w.md5 == nil {
		return nil
	}
	m := w.md5.finish()
	w.md5 = nil
	return m
}

func (w *imageWriter) Write(p []byte) (int, error) {
	n, err := w.out.Write(p)
	if w.md5 != nil {
		w.md5.write(p[:n])
	}
	w.off += int64(n)
	return n, err
}

var zeros [SectorSize]byte

// padTo writes zeros up to the start of sector, where the layout puts
// the next part.
func (w *imageWriter) padTo(sector uint32) error { return w.padToByte(int64(sector) * SectorSize) }

// padToByte writes zeros up to offset at.
func (w *imageWriter) padToByte(at int64) error {
	if w.off > at {
		return fmt.Errorf("internal error: writing at %d, past %d", w.off, at)
	}
	for w.off < at {
		if _, err := w.Write(zeros[:min(int64(len(zeros)), at-w.off)]); err != nil {
			return err
		}
	}
	return nil
}

// write writes every part in the order of its sectors.
func (l *layout) write(w *imageWriter) error {
	if l.opts.HybridMBR != nil {
		if _, err := w.Write(l.mbr()); err != nil {
			return err
		}
	}
	if err := w.padTo(16); err != nil {
		return err
	}
	descriptors := [][]byte{l.volumeDescriptor(false)}
	if len(l.opts.Boot) > 0 {
		descriptors = append(descriptors, l.bootRecord())
	}
	if l.opts.Joliet {
		descriptors = append(descriptors, l.volumeDescriptor(true))
	}
	descriptors = append(descriptors, terminator())
	for _, d := range descriptors {
		if _, err := w.Write(d); err != nil {
			return err
		}
	}
	type table struct {
		at   uint32
		data []byte
	}
	tables := []table{{l.ptL, pathTable(l.dirs, false, false)}, {l.ptM, pathTable(l.dirs, false, true)}}
	if l.opts.Joliet {
		tables = append(tables, table{l.jptL, pathTable(l.jdirs, true, false)}, table{l.jptM, pathTable(l.jdirs, true, true)})
	}
	for _, t := range tables {
		if err := w.padTo(t.at); err != nil {
			return err
		}
		if _, err := w.Write(t.data); err != nil {
			return err
		}
	}
	for _, d := range l.dirs {
		if err := l.writeDir(w, d.extent, l.recs[d], false); err != nil {
			return err
		}
	}
	for _, su := range l.ces {
		if err := w.padToByte(int64(su.ceLBA)*SectorSize + int64(su.ceOffset)); err != nil {
			return err
		}
		if _, err := w.Write(su.more); err != nil {
			return err
		}
	}
	for _, d := range l.jdirs {
		if err := l.writeDir(w, d.jextent, l.jrecs[d], true); err != nil {
			return err
		}
	}
	for _, f := range l.files {
		if err := l.writeFile(w, f); err != nil {
			return fmt.Errorf("%s: %w", f.path(), err)
		}
	}
	return w.padTo(l.volume)
}

// writeDir writes a directory's records from sector extent on, moving to
// the next sector where a record would cross its end.
func (l *layout) writeDir(w *imageWriter, extent uint32, recs []*record, joliet bool) error {
	if err := w.padTo(extent); err != nil {
		return err
	}
	used := 0
	for _, r := range recs {
		b := l.recordOf(r, joliet)
		if used+len(b) > SectorSize {
			if _, err := w.Write(zeros[:SectorSize-used]); err != nil {
				return err
			}
			used = 0
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		used += len(b)
	}
	_, err := w.Write(zeros[:(SectorSize-used)%SectorSize])
	return err
}

// recordOf is a record with its target's place.
func (l *layout) recordOf(r *record, joliet bool) []byte {
	t := r.target
	extent, size := t.extent, t.size
	if joliet && t.isDir() {
		extent, size = t.jextent, t.jsize
	}
	var su []byte
	if r.su != nil {
		su = r.su.inline
		if len(r.su.more) > 0 {
			su = append(append([]byte(nil), su...), ceEntry(r.su.ceLBA, r.su.ceOffset, uint32(len(r.su.more)))...)
		}
	}
	if t.isSymlink() {
		extent, size = 0, 0
	}
	return recordBytes(extent, size, t.isDir(), r.id, su, l.opts.Time)
}

// writeFile writes a file's data: the catalog, a boot image with its
// information table, or the content Open gives, which must be the size
// the file was listed with.
func (l *layout) writeFile(w *imageWriter, n *node) error {
	if n.size == 0 {
		return nil
	}
	if err := w.padTo(n.extent); err != nil {
		return err
	}
	if n == l.catalog {
		_, err := w.Write(l.catalogBytes())
		return err
	}
	if n.file.Open == nil {
		return fmt.Errorf("no content")
	}
	r, err := n.file.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	for i, b := range l.boot {
		if b == n && l.opts.Boot[i].InfoTable {
			data := make([]byte, n.file.Size)
			if _, err := io.ReadFull(r, data); err != nil {
				return fmt.Errorf("reading the boot image: %w", err)
			}
			patchInfoTable(data, n.extent)
			_, err := w.Write(data)
			return err
		}
	}
	copied, err := io.CopyN(w, r, n.file.Size)
	if err != nil {
		return fmt.Errorf("%d of %d bytes: %w", copied, n.file.Size, err)
	}
	if extra, _ := r.Read(make([]byte, 1)); extra > 0 {
		return fmt.Errorf("longer than the %d bytes it was listed with", n.file.Size)
	}
	return nil
}
