package rootfs

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"time"
)

// TarOptions tune WriteTar.
type TarOptions struct {
	// MTime clamps modification times (SOURCE_DATE_EPOCH style) and dates
	// directories no package lists.
	MTime int64
	// Include selects entries; nil writes them all.
	Include func(*Entry) bool
}

// WriteTar writes the tree as a POSIX (PAX) tar stream: directories and
// symbolic links first, in path order, then files in the order
// Tree.Contents reads them, each hard link right after the file it links
// to. Owners are written by number and name, modes with setuid, setgid
// and sticky, extended attributes as SCHILY.xattr records, which GNU tar,
// umoci and container runtimes read. The bytes depend only on the tree
// and opts.
func WriteTar(ctx context.Context, w io.Writer, t *Tree, opts TarOptions) error {
	tw := tar.NewWriter(w)
	for _, e := range t.Entries() {
		if e.Kind == File || opts.Include != nil && !opts.Include(e) {
			continue
		}
		if err := tw.WriteHeader(tarHeader(e, opts)); err != nil {
			return fmt.Errorf("/%s: %w", e.Path, err)
		}
	}
	err := t.Contents(ctx, opts.Include, func(e *Entry, links []*Entry, r io.Reader) error {
		if err := tw.WriteHeader(tarHeader(e, opts)); err != nil {
			return err
		}
		if _, err := io.Copy(tw, r); err != nil {
			return err
		}
		for _, l := range links {
			hdr := tarHeader(l, opts)
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, e.Path, 0
			if err := tw.WriteHeader(hdr); err != nil {
				return fmt.Errorf("/%s: %w", l.Path, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// tarHeader is the header of one entry; a file's is for its content.
func tarHeader(e *Entry, opts TarOptions) *tar.Header {
	hdr := &tar.Header{
		Name: e.Path, Mode: int64(e.Mode), Uid: e.UID, Gid: e.GID,
		Uname: e.User, Gname: e.Group, ModTime: time.Unix(clamp(e.MTime, opts.MTime), 0),
		Format: tar.FormatPAX,
	}
	for k, v := range e.Xattrs {
		if hdr.PAXRecords == nil {
			hdr.PAXRecords = map[string]string{}
		}
		hdr.PAXRecords["SCHILY.xattr."+k] = string(v)
	}
	switch e.Kind {
	case Dir:
		hdr.Typeflag, hdr.Name = tar.TypeDir, e.Path+"/"
	case Symlink:
		hdr.Typeflag, hdr.Linkname = tar.TypeSymlink, e.Target
	case File:
		hdr.Typeflag, hdr.Size = tar.TypeReg, e.Size
	}
	return hdr
}

func clamp(mtime, limit int64) int64 {
	if mtime < 0 || mtime > limit {
		return limit
	}
	return mtime
}
