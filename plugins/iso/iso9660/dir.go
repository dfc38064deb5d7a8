package iso9660

import (
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"
)

// FromDir lists the tree under root as files of an image under prefix
// ("" for the image's root), with their modes and owners; content is
// read when the image is written.
func FromDir(root, prefix string) ([]File, error) {
	var out []File
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "." {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		f := File{Path: path.Join(prefix, filepath.ToSlash(rel)), Mode: fi.Mode()}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			f.UID, f.GID = st.Uid, st.Gid
		}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			if f.Target, err = os.Readlink(p); err != nil {
				return err
			}
		case fi.Mode().IsRegular():
			f.Size = fi.Size()
			f.Open = func() (io.ReadCloser, error) { return os.Open(p) }
		}
		out = append(out, f)
		return nil
	})
	return out, err
}
