package rootfs

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
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

// WriteTar writes the tree as a POSIX (PAX) tar stream in path order:
// owners by number and name, modes with setuid/setgid/sticky, hard links
// as links to the first path of their set, and extended attributes as
// SCHILY.xattr records, which GNU tar, umoci and container runtimes
// read. The bytes depend only on the tree and opts.
func WriteTar(w io.Writer, t *Tree, opts TarOptions) error {
	tw := tar.NewWriter(w)
	firstOfGroup := map[int]string{}
	for _, e := range t.Entries() {
		if opts.Include != nil && !opts.Include(e) {
			continue
		}
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
			if first, ok := firstOfGroup[e.LinkGroup]; ok && e.LinkGroup != 0 {
				hdr.Typeflag, hdr.Linkname = tar.TypeLink, first
				break
			}
			firstOfGroup[e.LinkGroup] = e.Path
			hdr.Typeflag, hdr.Size = tar.TypeReg, e.Size
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("/%s: %w", e.Path, err)
		}
		if hdr.Typeflag == tar.TypeReg {
			if err := copyContent(tw, t.ContentPath(e.SHA256)); err != nil {
				return fmt.Errorf("/%s: %w", e.Path, err)
			}
		}
	}
	return tw.Close()
}

func clamp(mtime, limit int64) int64 {
	if mtime < 0 || mtime > limit {
		return limit
	}
	return mtime
}

func copyContent(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
