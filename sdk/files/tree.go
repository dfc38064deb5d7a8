package files

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/strata-build/strata/sdk/parallel"
	"golang.org/x/sys/unix"
)

// LinkTree recreates src at dst: directories made anew, files hard-linked
// (copied where the file system refuses), symbolic links made again.
// Other kinds of file are an error. src may be a single file.
//
// The tree is done a level at a time, the directories of a level at
// once, each listed and its files linked relative to open handles of
// the two directories: a repository holds tens of thousands of files in
// hundreds of directories, and when they are not in the page cache,
// listing the directories one after the other waits on the disk for
// each; resolving two long paths for every link costs more than the link.
func LinkTree(src, dst string) error {
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return linkEntry(src, dst, fi)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for level := []string{"."}; len(level) > 0; {
		below := make([][]string, len(level))
		err := parallel.IO(len(level), func(i int) error {
			var err error
			below[i], err = linkDir(src, dst, level[i])
			return err
		})
		if err != nil {
			return err
		}
		level = slices.Concat(below...)
	}
	return nil
}

// linkDir links the files of the directory rel of src into the same
// directory of dst, makes its subdirectories there and returns them.
func linkDir(src, dst, rel string) ([]string, error) {
	from, err := openDir(filepath.Join(src, rel))
	if err != nil {
		return nil, err
	}
	defer unix.Close(from)
	to, err := openDir(filepath.Join(dst, rel))
	if err != nil {
		return nil, err
	}
	defer unix.Close(to)
	entries, err := readDirents(from, filepath.Join(src, rel))
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, e := range entries {
		path := filepath.Join(src, rel, e.Name)
		typ := e.Type
		if typ == unix.DT_UNKNOWN {
			fi, err := os.Lstat(path)
			if err != nil {
				return nil, err
			}
			typ = direntType(fi.Mode())
		}
		switch typ {
		case unix.DT_REG, unix.DT_LNK:
		case unix.DT_DIR:
			if err := unix.Mkdirat(to, e.Name, 0o755); err != nil {
				return nil, &os.PathError{Op: "mkdir", Path: filepath.Join(dst, rel, e.Name), Err: err}
			}
			dirs = append(dirs, filepath.Join(rel, e.Name))
			continue
		default:
			return nil, fmt.Errorf("%s is not a regular file, directory or symbolic link", path)
		}
		if unix.Linkat(from, e.Name, to, e.Name, 0) == nil {
			continue
		}
		// Not a regular file, or links refused: go by the full paths.
		fi, err := os.Lstat(path)
		if err != nil {
			return nil, err
		}
		if err := linkEntry(path, filepath.Join(dst, rel, e.Name), fi); err != nil {
			return nil, err
		}
	}
	return dirs, nil
}

// direntType is the directory entry type of a file of mode m, or 0 for
// kinds LinkTree refuses.
func direntType(m os.FileMode) uint8 {
	switch {
	case m.IsDir():
		return unix.DT_DIR
	case m.IsRegular():
		return unix.DT_REG
	case m&os.ModeSymlink != 0:
		return unix.DT_LNK
	}
	return 0
}

func openDir(path string) (int, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return fd, nil
}

// linkEntry recreates one file that is not a directory.
func linkEntry(src, dst string, fi os.FileInfo) error {
	switch {
	case fi.Mode().IsRegular():
		return LinkOrCopy(src, dst, fi.Mode())
	case fi.Mode()&os.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	}
	return fmt.Errorf("%s is not a regular file, directory or symbolic link", src)
}
