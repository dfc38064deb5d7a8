package files

import (
	"fmt"
	"io"
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
// Directories are opened relative to a handle of src, so src may be
// renamed meanwhile (a build moved into the store while the compose
// links it).
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
	t := tree{src: src, dst: dst}
	if t.srcFD, err = openDir(unix.AT_FDCWD, src); err != nil {
		return &os.PathError{Op: "open", Path: src, Err: err}
	}
	defer unix.Close(t.srcFD)
	if t.dstFD, err = openDir(unix.AT_FDCWD, dst); err != nil {
		return &os.PathError{Op: "open", Path: dst, Err: err}
	}
	defer unix.Close(t.dstFD)
	for level := []string{"."}; len(level) > 0; {
		below := make([][]string, len(level))
		err := parallel.IO(len(level), func(i int) error {
			var err error
			below[i], err = t.linkDir(level[i])
			return err
		})
		if err != nil {
			return err
		}
		level = slices.Concat(below...)
	}
	return nil
}

// tree is a LinkTree under way: the two roots, named and open.
type tree struct {
	src, dst     string
	srcFD, dstFD int
}

// linkDir links the files of the directory rel into the same directory
// of dst, makes its subdirectories there and returns them.
func (t tree) linkDir(rel string) ([]string, error) {
	from, err := openDir(t.srcFD, rel)
	if err != nil {
		return nil, t.srcErr(rel, err)
	}
	defer unix.Close(from)
	to, err := openDir(t.dstFD, rel)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: filepath.Join(t.dst, rel), Err: err}
	}
	defer unix.Close(to)
	entries, err := readDirents(from, filepath.Join(t.src, rel))
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, e := range entries {
		typ := e.Type
		if typ == unix.DT_UNKNOWN {
			var st unix.Stat_t
			if err := unix.Fstatat(from, e.Name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
				return nil, t.srcErr(filepath.Join(rel, e.Name), err)
			}
			typ = modeType(st.Mode)
		}
		switch typ {
		case unix.DT_DIR:
			if err := unix.Mkdirat(to, e.Name, 0o755); err != nil {
				return nil, &os.PathError{Op: "mkdir", Path: filepath.Join(t.dst, rel, e.Name), Err: err}
			}
			dirs = append(dirs, filepath.Join(rel, e.Name))
		case unix.DT_REG, unix.DT_LNK:
			if unix.Linkat(from, e.Name, to, e.Name, 0) != nil {
				// Links refused (another device): make the file again.
				if err := remake(from, to, e.Name, typ); err != nil {
					return nil, t.srcErr(filepath.Join(rel, e.Name), err)
				}
			}
		default:
			return nil, fmt.Errorf("%s is not a regular file, directory or symbolic link", filepath.Join(t.src, rel, e.Name))
		}
	}
	return dirs, nil
}

func (t tree) srcErr(rel string, err error) error {
	return &os.PathError{Op: "linking", Path: filepath.Join(t.src, rel), Err: err}
}

// remake copies the regular file or symbolic link name of the directory
// from into the directory to.
func remake(from, to int, name string, typ uint8) error {
	if typ == unix.DT_LNK {
		target := make([]byte, unix.PathMax)
		n, err := unix.Readlinkat(from, name, target)
		if err != nil {
			return err
		}
		return unix.Symlinkat(string(target[:n]), to, name)
	}
	in, err := unix.Openat(from, name, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return err
	}
	src := os.NewFile(uintptr(in), name)
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return err
	}
	out, err := unix.Openat(to, name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, uint32(fi.Mode().Perm()))
	if err != nil {
		return err
	}
	dst := os.NewFile(uintptr(out), name)
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// modeType is the directory entry type of a file of mode m (st_mode).
func modeType(m uint32) uint8 {
	switch m & unix.S_IFMT {
	case unix.S_IFDIR:
		return unix.DT_DIR
	case unix.S_IFREG:
		return unix.DT_REG
	case unix.S_IFLNK:
		return unix.DT_LNK
	}
	return unix.DT_UNKNOWN
}

func openDir(at int, path string) (int, error) {
	return unix.Openat(at, path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
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

// LinkFiles links each of srcs to the path of dsts at the same index
// (copying where the file system refuses), making the directories they
// are in, on several workers: the files a store holds apart from a
// tree, placed into it.
func LinkFiles(srcs, dsts []string) error {
	made := map[string]bool{}
	for _, dst := range dsts {
		if d := filepath.Dir(dst); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
	}
	return parallel.IO(len(srcs), func(i int) error {
		if os.Link(srcs[i], dsts[i]) == nil {
			return nil
		}
		fi, err := os.Stat(srcs[i])
		if err != nil {
			return err
		}
		return LinkOrCopy(srcs[i], dsts[i], fi.Mode())
	})
}
