package files

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-build/strata/sdk/parallel"
	"golang.org/x/sys/unix"
)

// LinkTree recreates src at dst: directories made anew, files hard-linked
// (copied where the file system refuses), symbolic links made again.
// Other kinds of file are an error. src may be a single file.
//
// Directories are made first; then each directory's files are linked
// relative to open handles of the two directories, many directories at
// once: a repository holds tens of thousands of files, and resolving
// two long paths for every link costs more than the link.
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
	var dirs []treeDir
	if err := makeDirs(src, dst, ".", &dirs); err != nil {
		return err
	}
	return parallel.IO(len(dirs), func(i int) error { return dirs[i].link(src, dst) })
}

// treeDir is a directory of the tree and the names of its files.
type treeDir struct {
	rel   string
	files []string
}

// makeDirs makes dst/rel and the directories below it, listing each
// directory's files in dirs.
func makeDirs(src, dst, rel string, dirs *[]treeDir) error {
	if err := os.MkdirAll(filepath.Join(dst, rel), 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(filepath.Join(src, rel))
	if err != nil {
		return err
	}
	d := treeDir{rel: rel}
	for _, e := range entries {
		switch t := e.Type(); {
		case t.IsDir():
			if err := makeDirs(src, dst, filepath.Join(rel, e.Name()), dirs); err != nil {
				return err
			}
		case t.IsRegular() || t&os.ModeSymlink != 0:
			d.files = append(d.files, e.Name())
		default:
			return fmt.Errorf("%s is not a regular file, directory or symbolic link", filepath.Join(src, rel, e.Name()))
		}
	}
	if len(d.files) > 0 {
		*dirs = append(*dirs, d)
	}
	return nil
}

// link links the directory's files through handles of both directories.
func (d treeDir) link(src, dst string) error {
	from, err := unix.Open(filepath.Join(src, d.rel), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: filepath.Join(src, d.rel), Err: err}
	}
	defer unix.Close(from)
	to, err := unix.Open(filepath.Join(dst, d.rel), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: filepath.Join(dst, d.rel), Err: err}
	}
	defer unix.Close(to)
	for _, name := range d.files {
		if unix.Linkat(from, name, to, name, 0) == nil {
			continue
		}
		// Not a regular file, or links refused: go by the full paths.
		path := filepath.Join(src, d.rel, name)
		fi, err := os.Lstat(path)
		if err != nil {
			return err
		}
		if err := linkEntry(path, filepath.Join(dst, d.rel, name), fi); err != nil {
			return err
		}
	}
	return nil
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
