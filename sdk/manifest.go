package sdk

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"syscall"

	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/parallel"
)

// KnownDigest gives the sha256 of a file whose content is known without
// reading it, or ok false.
type KnownDigest func(path string, info fs.FileInfo) (sha256 string, ok bool)

// ScanManifest lists every file under dir: regular files with their size,
// permission bits and sha256, symbolic links with their targets. Other
// kinds of file (devices, sockets) are an error: an artifact is data.
// Entries are sorted by path. Files are hashed on all CPUs, except those
// known gives a digest for (known may be nil).
func ScanManifest(dir string, known KnownDigest) ([]ManifestFile, error) {
	return ScanLinked(dir, nil, known)
}

// ScanLinked is ScanManifest for a build that hard-linked many of its
// files from ones linked records (nil for none): those are recognised by
// the inode numbers their directories list and described from the record
// without being examined or read, which matters when they are tens of
// thousands.
func ScanLinked(dir string, linked LinkedDigests, known KnownDigest) ([]ManifestFile, error) {
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
	linked LinkedDigests
	known  KnownDigest
	out    []ManifestFile
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
				s.out = append(s.out, ManifestFile{Path: r, Size: l.size, Mode: l.mode, SHA256: l.sha256})
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
			s.out = append(s.out, ManifestFile{Path: r, Link: target})
		case mode.IsRegular():
			f := ManifestFile{Path: r, Size: info.Size(), Mode: uint32(mode.Perm())}
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

func hashAll(dir string, files []ManifestFile, todo []int) error {
	return parallel.Do(len(todo), func(i int) (err error) {
		f := &files[todo[i]]
		f.SHA256, err = FileSHA256(filepath.Join(dir, filepath.FromSlash(f.Path)))
		return err
	})
}

// FileSHA256 returns the hex sha256 of a file's content.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
