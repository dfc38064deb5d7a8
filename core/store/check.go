package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/manifest"
	"github.com/strata-build/strata/sdk/parallel"
)

// stampsFile holds, for each line of an entry's manifest, the
// modification time in nanoseconds and the permissions (octal) its file
// had when the entry was stored ("0 0" for a symbolic link). A file
// edited in place (through a hard link in a compose, or by a plugin
// writing through its previous build) gets another modification time or
// size, so a stat tells that it must be hashed again; reading every file
// would cost as much as building most artifacts again.
const stampsFile = "stamps"

// ErrDamaged is wrapped by the errors of Check for an entry whose files
// are not those it was stored with.
var ErrDamaged = errors.New("the store entry is damaged")

// readOnly is a permission without its write bits.
func readOnly(mode uint32) os.FileMode { return os.FileMode(mode &^ 0o222) }

// seal makes the regular files of a build read-only and returns the
// stamps file's content. A file shared with what is not the build's (a
// package linked in from its source, a file of an earlier entry) keeps
// its permissions: they are not the store's to change. A pooled file's
// stamp is its pool file's, as AddPackageFiles or a check found it.
func (s *Store) seal(dir string, e *Entry, shared func(string, fs.FileInfo) bool) ([]byte, error) {
	type stamp struct {
		mtime int64
		perm  os.FileMode
	}
	manifest := e.Manifest
	stamps := make([]stamp, len(manifest))
	err := parallel.IO(len(manifest), func(i int) error {
		f := manifest[i]
		if f.Link != "" {
			return nil
		}
		if e.IsPooled(i) {
			st, ok := s.poolKnown(f.SHA256)
			if !ok {
				return fmt.Errorf("%s: its pool file was not checked", f.Path)
			}
			stamps[i] = stamp{st.mtime, st.perm}
			return nil
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if info.Mode().Perm() != readOnly(f.Mode) && !shared(f.Path, info) {
			if err := os.Chmod(p, readOnly(f.Mode)); err != nil {
				return err
			}
			if info, err = os.Lstat(p); err != nil {
				return err
			}
		}
		stamps[i] = stamp{info.ModTime().UnixNano(), info.Mode().Perm()}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var b []byte
	for _, s := range stamps {
		b = strconv.AppendInt(b, s.mtime, 10)
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(s.perm), 8)
		b = append(b, '\n')
	}
	return b, nil
}

// Check verifies that the entry for key still holds the files it was
// stored with, cheaply: every file is stated, and one whose size,
// permissions or modification time differ from what was recorded is
// hashed again. An entry stored before stamps were recorded is hashed
// whole once and sealed. A damaged entry gives an error wrapping
// ErrDamaged that names the first file found wrong. An entry found
// sound is not checked again by this process; see Recheck.
func (s *Store) Check(key string) error {
	if s.isChecked(key) {
		return nil
	}
	return s.Recheck(key)
}

// isChecked says this process found the entry for key sound.
func (s *Store) isChecked(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checked[key]
}

// Recheck is Check even for an entry this process checked before.
func (s *Store) Recheck(key string) error {
	e, err := s.Read(key)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	dir := s.FilesPath(key)
	stampsPath := filepath.Join(s.Path(key), stampsFile)
	data, err := os.ReadFile(stampsPath)
	switch {
	case os.IsNotExist(err):
		if err := Verify(dir, e.Own(), Known{}); err != nil {
			return fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		if _, err := s.checkPooled(e); err != nil {
			return fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		if data, err = s.seal(dir, e, linkedElsewhere); err != nil {
			return err
		}
		if err := writeSynced(stampsPath, data); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		if err := s.checkStamps(dir, e, data, false); err != nil {
			return fmt.Errorf("%w: %v", ErrDamaged, err)
		}
	}
	s.mu.Lock()
	if s.checked == nil {
		s.checked = map[string]bool{}
	}
	s.checked[key] = true
	s.mu.Unlock()
	return nil
}

// CheckOwn is Check of an entry's own files alone: those a build given
// it as its previous build reaches. Previous.Path holds no pool file,
// and a build cannot write the package files pool files are links of.
// An entry stored before stamps were recorded is checked whole and
// sealed.
func (s *Store) CheckOwn(key string) error {
	if s.isChecked(key) {
		return nil
	}
	return s.RecheckOwn(key)
}

// RecheckOwn is CheckOwn even for an entry this process checked before:
// after a build that was given it as its previous build.
func (s *Store) RecheckOwn(key string) error {
	e, err := s.Read(key)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	data, err := os.ReadFile(filepath.Join(s.Path(key), stampsFile))
	switch {
	case os.IsNotExist(err):
		return s.Recheck(key)
	case err != nil:
		return err
	}
	if err := s.checkStamps(s.FilesPath(key), e, data, true); err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return nil
}

// LearnPool states the pool files of e and keeps the stamps of those
// that are as e recorded them, so that AddPackageFiles need not state
// them again; it can run while a plugin builds. The others are left to
// AddPackageFiles, which checks what it does not know.
func (s *Store) LearnPool(e *Entry) {
	if !e.HasPooled() {
		return
	}
	data, err := os.ReadFile(filepath.Join(s.Path(e.Key), stampsFile))
	if err != nil {
		return
	}
	lines, err := stampLines(data, len(e.Manifest))
	if err != nil {
		return
	}
	parallel.IO(len(e.Manifest), func(i int) error {
		f := e.Manifest[i]
		if !e.IsPooled(i) {
			return nil
		}
		if _, ok := s.poolKnown(f.SHA256); ok {
			return nil
		}
		info, err := os.Lstat(s.PoolPath(f.SHA256))
		if err != nil {
			return nil
		}
		mtime, mode, err := stampAt(lines, i)
		if err == nil && info.Mode().IsRegular() && info.Mode().Perm() == mode && info.Size() == f.Size && info.ModTime().UnixNano() == mtime {
			s.rememberPool(f.SHA256, stampOf(info))
		}
		return nil
	})
}

// linkedElsewhere reports whether a file has other links than its own:
// of an entry stored before entries were sealed, those are compose trees
// and the package files it was linked from.
func linkedElsewhere(_ string, info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return !ok || st.Nlink > 1
}

// sharedWith reports whether a built file is one known recognises: a
// package file or a file of the previous build, linked in.
func sharedWith(known Known) func(string, fs.FileInfo) bool {
	return func(path string, info fs.FileInfo) bool {
		if known.Linked != nil {
			if _, ok := known.Linked.Known(path, info); ok {
				return true
			}
		}
		if known.Digest != nil {
			if _, ok := known.Digest(path, info); ok {
				return true
			}
		}
		return false
	}
}

// checkStamps states every file of an entry against its stamp and
// hashes those that differ; a pooled file is its pool file, left out
// when ownOnly.
func (s *Store) checkStamps(dir string, e *Entry, data []byte, ownOnly bool) error {
	manifest := e.Manifest
	lines, err := stampLines(data, len(manifest))
	if err != nil {
		return err
	}
	return parallel.IO(len(manifest), func(i int) error {
		f := manifest[i]
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if e.IsPooled(i) {
			if ownOnly {
				return nil
			}
			p = s.PoolPath(f.SHA256)
		}
		info, err := os.Lstat(p)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
		if f.Link != "" {
			target, err := os.Readlink(p)
			if err != nil || target != f.Link {
				return fmt.Errorf("%s is no longer a symbolic link to %s", f.Path, f.Link)
			}
			return nil
		}
		stamp, mode, err := stampAt(lines, i)
		if err != nil {
			return err
		}
		switch {
		case !info.Mode().IsRegular():
			return fmt.Errorf("%s is no longer a regular file", f.Path)
		case info.Mode().Perm() != mode:
			return fmt.Errorf("%s has mode %o, stored as %o", f.Path, info.Mode().Perm(), mode)
		case info.Size() == f.Size && info.ModTime().UnixNano() == stamp:
		default:
			if err := rehash(p, f, info); err != nil {
				return err
			}
		}
		if e.IsPooled(i) {
			s.rememberPool(f.SHA256, stampOf(info))
		}
		return nil
	})
}

// stampLines splits a stamps file into its lines, one for each of the n
// lines of its manifest.
func stampLines(data []byte, n int) ([]string, error) {
	if n == 0 && len(data) == 0 {
		return nil, nil
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != n {
		return nil, fmt.Errorf("%s lists %d files, its manifest %d", stampsFile, len(lines), n)
	}
	return lines, nil
}

// stampAt parses line i of a stamps file, split into lines.
func stampAt(lines []string, i int) (mtime int64, perm os.FileMode, err error) {
	t, p, ok := strings.Cut(lines[i], " ")
	mtime, err = strconv.ParseInt(t, 10, 64)
	mode, perr := strconv.ParseUint(p, 8, 32)
	if !ok || err != nil || perr != nil {
		return 0, 0, fmt.Errorf("%s: line %d is not a time and a mode", stampsFile, i+1)
	}
	return mtime, os.FileMode(mode), nil
}

// checkPooled hashes the pool files of an entry again, each once a
// process however many entries hold it, and returns how many bytes it
// read.
func (s *Store) checkPooled(e *Entry) (int64, error) {
	pooled, from := s.PooledFiles(e)
	var read atomic.Int64
	err := parallel.IO(len(pooled), func(k int) error {
		f, p := pooled[k], from[k]
		v, _ := s.poolHashed.LoadOrStore(f.SHA256, &hashed{})
		h := v.(*hashed)
		h.once.Do(func() {
			if h.err = CheckFile(p, f); h.err != nil {
				return
			}
			read.Add(f.Size)
			if info, err := os.Lstat(p); err == nil {
				s.rememberPool(f.SHA256, stampOf(info))
			}
		})
		if h.err != nil {
			return fmt.Errorf("in the pool: %w", h.err)
		}
		return nil
	})
	return read.Load(), err
}

// hashed is the outcome of hashing a pool file, once a process.
type hashed struct {
	once sync.Once
	err  error
}

// rehash compares a file that was stated different with its manifest.
func rehash(p string, f manifest.File, info fs.FileInfo) error {
	if info.Size() != f.Size {
		return fmt.Errorf("%s is %d bytes, stored as %d", f.Path, info.Size(), f.Size)
	}
	sum, err := files.SHA256(p)
	if err != nil {
		return err
	}
	if sum != f.SHA256 {
		return fmt.Errorf("%s was changed after it was stored (sha256 %.12s, stored as %.12s)", f.Path, sum, f.SHA256)
	}
	return nil
}

// CheckFile compares the file at p, read whole, with f of a manifest:
// a symbolic link's target, or a file's size and sha256. Errors name
// f.Path.
func CheckFile(p string, f manifest.File) error {
	info, err := os.Lstat(p)
	switch {
	case err != nil:
		return fmt.Errorf("%s: %w", f.Path, err)
	case f.Link != "":
		if target, err := os.Readlink(p); err != nil || target != f.Link {
			return fmt.Errorf("%s is not a symbolic link to %s", f.Path, f.Link)
		}
		return nil
	case !info.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", f.Path)
	}
	return rehash(p, f, info)
}

// VerifyEntry hashes every file of the entry for key again and compares
// the entry's directory with its manifest, as strata verify does; it
// returns how many bytes it read.
func (s *Store) VerifyEntry(key string) (int64, error) {
	e, err := s.Read(key)
	if err != nil {
		return 0, err
	}
	var size int64
	for _, f := range e.Own() {
		size += f.Size
	}
	if err := Verify(s.FilesPath(key), e.Own(), Known{}); err != nil {
		return size, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	pooled, err := s.checkPooled(e)
	if err != nil {
		return size + pooled, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return size + pooled, nil
}

// Discard moves a damaged entry out of the store, so that it is built
// again; the apply that holds the lock removes it with the other
// temporary files. Compose trees that link its files keep them.
func (s *Store) Discard(key string) error {
	tmp, err := os.MkdirTemp(filepath.Join(s.Dir, "tmp"), "damaged-")
	if err != nil {
		return err
	}
	if err := os.Rename(s.Path(key), filepath.Join(tmp, key)); err != nil && !os.IsNotExist(err) {
		return err
	}
	s.mu.Lock()
	delete(s.entries, key)
	delete(s.checked, key)
	s.mu.Unlock()
	return nil
}
