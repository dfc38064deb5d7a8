package manifest

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"syscall"

	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/parallel"
)

// File is one entry of the manifest of a built artifact.
type File struct {
	Path   string // slash-separated, relative to the output directory
	Size   int64
	SHA256 string
	Mode   uint32 // permission bits
	Link   string // target of a symbolic link
}

// KnownDigest gives the sha256 of a file whose content is known without
// reading it, or ok false.
type KnownDigest func(path string, info fs.FileInfo) (sha256 string, ok bool)

// Scan lists every file under dir: regular files with their size,
// permission bits and sha256, symbolic links with their targets. Other
// kinds of file (devices, sockets) are an error: an artifact is data.
// Entries are sorted by path. Files are hashed on all CPUs, except those
// known gives a digest for (known may be nil).
func Scan(dir string, known KnownDigest) ([]File, error) {
	return ScanLinked(dir, nil, known)
}

// ScanLinked is Scan for a build that hard-linked many of its
// files from ones linked records (nil for none): those are recognised by
// the inode numbers their directories list and described from the record
// without being examined or read, which matters when they are tens of
// thousands.
func ScanLinked(dir string, linked Linked, known KnownDigest) ([]File, error) {
	s := &scan{root: dir, linked: linked, known: known}
	if err := s.dir("", dir); err != nil {
		return nil, err
	}
	if err := hashAll(dir, s.out, s.todo); err != nil {
		return nil, err
	}
	sort.Slice(s.out, func(i, j int) bool { return s.out[i].Path < s.out[j].Path })
	return s.out, nil
}

type scan struct {
	root   string
	linked Linked
	known  KnownDigest
	out    []File
	todo   []int // files to hash
}

func (s *scan) dir(rel, abs string) error {
	dev, entries, err := files.ReadDirents(abs)
	if err != nil {
		return err
	}
	for _, e := range entries {
		r := path.Join(rel, e.Name)
		if e.Type == syscall.DT_REG && s.linked != nil {
			if l, ok := s.linked[inode{dev, e.Ino}]; ok {
				s.out = append(s.out, File{Path: r, Size: l.size, Mode: l.mode, SHA256: l.sha256})
				continue
			}
		}
		p := filepath.Join(abs, e.Name)
		if e.Type == syscall.DT_DIR {
			if err := s.dir(r, p); err != nil {
				return err
			}
			continue
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		switch mode := info.Mode(); {
		case mode.IsDir():
			if err := s.dir(r, p); err != nil {
				return err
			}
		case mode&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			s.out = append(s.out, File{Path: r, Link: target})
		case mode.IsRegular():
			f := File{Path: r, Size: info.Size(), Mode: uint32(mode.Perm())}
			if s.known != nil {
				f.SHA256, _ = s.known(r, info)
			}
			if f.SHA256 == "" {
				s.todo = append(s.todo, len(s.out))
			}
			s.out = append(s.out, f)
		default:
			return fmt.Errorf("%s: %s is not a regular file, directory or symbolic link", s.root, r)
		}
	}
	return nil
}

func hashAll(dir string, out []File, todo []int) error {
	return parallel.Do(len(todo), func(i int) (err error) {
		f := &out[todo[i]]
		f.SHA256, err = files.SHA256(filepath.Join(dir, filepath.FromSlash(f.Path)))
		return err
	})
}
