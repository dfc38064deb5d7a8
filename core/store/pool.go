package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/manifest"
	"github.com/strata-build/strata/sdk/parallel"
)

// The pool holds package files once, by sha256, in .strata/pool: a
// repository's entry lists its packages in its manifest, marked pooled,
// and holds only the files its plugin wrote, so that storing a
// repository of tens of thousands of packages does not link each into
// it again. A pool file is a hard link of the package file it was taken
// from, as an entry's linked packages were: its stamp is recorded in
// every entry that holds it, and checked as the entry's own files are.
// Nothing is ever removed from the pool by strata.

// PoolPath is where the pool holds the file whose sha256 is sum (a
// checked digest: the path is put together, not cleaned, for the tens of
// thousands a check states).
func (s *Store) PoolPath(sum string) string {
	return s.Dir + string(filepath.Separator) + "pool" + string(filepath.Separator) + sum[:2] + string(filepath.Separator) + sum
}

// checkSum refuses what is not a sha256 in lower-case hex, before it
// becomes part of a path.
func checkSum(sum string) error {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return fmt.Errorf("%q is not a sha256", sum)
	}
	return nil
}

// PoolSource is the package file a pool file is taken from, with what
// strata recorded of it when it read it: a link of it whose inode and
// stamp are these is known to hold the package's sha256 without reading
// it. Inode 0 (a package fetched from a repository) has the pool file
// hashed once instead.
type PoolSource struct {
	Path  string
	Size  int64
	MTime int64
	Inode uint64
}

// poolStamp is what a stat of a pool file tells.
type poolStamp struct {
	size, mtime int64
	perm        os.FileMode
	inode       uint64
}

func stampOf(info os.FileInfo) poolStamp {
	st := poolStamp{size: info.Size(), mtime: info.ModTime().UnixNano(), perm: info.Mode().Perm()}
	if sys, ok := info.Sys().(*syscall.Stat_t); ok {
		st.inode = sys.Ino
	}
	return st
}

// AddPackageFiles adds to e's manifest, pooled, the files a plugin left
// to strata (host.BuildResult.PackageFiles: path to sha256), each the
// package file sources gives for its sha256, and puts each in the pool
// unless it is there. The manifest stays sorted by path; the pool files'
// stamps are kept for Commit.
func (s *Store) AddPackageFiles(e *Entry, named map[string]string, sources map[string]PoolSource) error {
	if len(named) == 0 {
		return nil
	}
	written := make(map[string]bool, len(e.Manifest))
	for _, f := range e.Manifest {
		written[f.Path] = true
	}
	index := map[string]int{}
	var sums []string
	for p, sum := range named {
		if err := files.CheckRelPath(p); err != nil {
			return fmt.Errorf("package file %q: %w", p, err)
		}
		if err := checkSum(sum); err != nil {
			return fmt.Errorf("package file %s: %w", p, err)
		}
		if _, ok := sources[sum]; !ok {
			return fmt.Errorf("package file %s is named as the package of sha256 %.12s, which the build was not given", p, sum)
		}
		if written[p] {
			return fmt.Errorf("%s is both written and named as a package file", p)
		}
		if _, ok := index[sum]; !ok {
			index[sum] = len(sums)
			sums = append(sums, sum)
		}
	}
	stamps := make([]poolStamp, len(sums))
	err := parallel.IO(len(sums), func(i int) (err error) {
		stamps[i], err = s.addToPool(sums[i], sources[sums[i]])
		return err
	})
	if err != nil {
		return err
	}
	for p, sum := range named {
		st := stamps[index[sum]]
		e.Manifest = append(e.Manifest, manifest.File{Path: p, Size: st.size, SHA256: sum, Mode: uint32(st.perm)})
	}
	sortManifest(e.Manifest)
	e.Pooled = make([]bool, len(e.Manifest))
	for i, f := range e.Manifest {
		_, e.Pooled[i] = named[f.Path]
	}
	return checkNesting(e.Manifest)
}

// addToPool makes sure the pool holds the package of sha256 sum, taken
// from src, and returns its stamp.
func (s *Store) addToPool(sum string, src PoolSource) (poolStamp, error) {
	if st, ok := s.poolKnown(sum); ok {
		return st, nil
	}
	dst := s.PoolPath(sum)
	for {
		info, err := os.Lstat(dst)
		if err == nil && info.Mode().IsRegular() {
			st := stampOf(info)
			if s.fromSource(st, src) || rehash(dst, manifest.File{Path: dst, Size: info.Size(), SHA256: sum}, info) == nil {
				return s.rememberPool(sum, st), nil
			}
		}
		// Missing, or damaged and replaced: taken again from the package
		// file.
		st, placed, err := s.takeIntoPool(sum, src, dst, err == nil)
		if err != nil {
			return poolStamp{}, err
		}
		if placed {
			return s.rememberPool(sum, st), nil
		}
		// Another build put it there meanwhile: checked as found.
	}
}

// poolStaged numbers the files staged for the pool by this process.
var poolStaged atomic.Int64

// takeIntoPool links the package file src to dst, replacing what is
// there or only when there is nothing (placed false when something is),
// and checks it. A link appears whole, so it is made in place; a copy
// (src on another file system) or a replacement is staged in tmp/
// first, so that no reader sees half a file.
func (s *Store) takeIntoPool(sum string, src PoolSource, dst string, replace bool) (st poolStamp, placed bool, err error) {
	if err := s.poolDir(filepath.Dir(dst)); err != nil {
		return st, false, err
	}
	if !replace {
		switch err := os.Link(src.Path, dst); {
		case err == nil:
			if st, err = s.checkTaken(dst, sum, src); err != nil {
				os.Remove(dst)
				return st, false, err
			}
			return st, true, nil
		case errors.Is(err, fs.ErrExist):
			return st, false, nil
		}
	}
	tmp := filepath.Join(s.Dir, "tmp", fmt.Sprintf("pool-%d-%d", os.Getpid(), poolStaged.Add(1)))
	if err := files.LinkOrCopy(src.Path, tmp, 0o444); err != nil {
		return st, false, err
	}
	defer os.Remove(tmp)
	if st, err = s.checkTaken(tmp, sum, src); err != nil {
		return st, false, err
	}
	if replace {
		return st, true, os.Rename(tmp, dst)
	}
	if err := os.Link(tmp, dst); errors.Is(err, fs.ErrExist) {
		return st, false, nil
	} else if err != nil {
		return st, false, err
	}
	return st, true, nil
}

// checkTaken returns the stamp of a file just taken from src for the
// pool, hashing it unless it is src as strata read it.
func (s *Store) checkTaken(path, sum string, src PoolSource) (poolStamp, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return poolStamp{}, err
	}
	st := stampOf(info)
	if !s.fromSource(st, src) {
		if err := rehash(path, manifest.File{Path: src.Path, Size: st.size, SHA256: sum}, info); err != nil {
			return st, fmt.Errorf("the package file changed since strata read it: %w", err)
		}
	}
	return st, nil
}

// poolDir makes a directory of the pool, once a process.
func (s *Store) poolDir(dir string) error {
	if _, ok := s.poolDirs.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	s.poolDirs.Store(dir, true)
	return nil
}

// fromSource says a pool file is the package file src, unchanged since
// strata read it: the same inode, size and modification time.
func (s *Store) fromSource(st poolStamp, src PoolSource) bool {
	return src.Inode != 0 && st.inode == src.Inode && st.size == src.Size && st.mtime == src.MTime
}

// poolKnown returns the stamp of a pool file this process found to hold
// its sha256.
func (s *Store) poolKnown(sum string) (poolStamp, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.pool[sum]
	return st, ok
}

// rememberPool records that the pool file of sum holds it, with stamp
// st, and returns st.
func (s *Store) rememberPool(sum string, st poolStamp) poolStamp {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pool == nil {
		s.pool = map[string]poolStamp{}
	}
	s.pool[sum] = st
	return st
}

// sortManifest sorts files by path, as manifest.Scan lists them.
func sortManifest(m []manifest.File) {
	sort.Slice(m, func(i, j int) bool { return m[i].Path < m[j].Path })
}

// checkNesting refuses a manifest where a file's path is a directory of
// another's.
func checkNesting(m []manifest.File) error {
	dirs := map[string]bool{}
	for _, f := range m {
		for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
			if dirs[d] {
				break
			}
			dirs[d] = true
		}
	}
	for _, f := range m {
		if dirs[f.Path] {
			return fmt.Errorf("%s is both a file and a directory of other files", f.Path)
		}
	}
	return nil
}
