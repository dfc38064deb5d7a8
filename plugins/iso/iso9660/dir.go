package iso9660

import (
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
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
		f := File{Path: path.Join(prefix, filepath.ToSlash(rel)), Mode: rational(fi.Mode())}
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

// rational is the mode a file has in the image, as xorriso's
// -rational-rock sets it (owner and group root, as File's zero values
// say): readable by all, executable by all when anyone may execute it,
// writable by none, no set-id or sticky bits. An image then depends on
// its files' content alone, not on who wrote them or how a store keeps
// them.
func rational(m fs.FileMode) fs.FileMode {
	perm := fs.FileMode(0o444)
	if m.IsDir() || m&0o111 != 0 {
		perm |= 0o111
	}
	if m&fs.ModeSymlink != 0 {
		perm = 0o777
	}
	return m.Type() | perm
}
