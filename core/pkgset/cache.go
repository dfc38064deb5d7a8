package pkgset

import (
	"os"
	"path/filepath"
	"syscall"
)

// sourceList is an rpm_dir source's package list (pkglist.go) as loading
// found it: written back when loading read a header the list did not
// hold or lost a file it did. Digests.Save adds what an apply hashed.
type sourceList struct {
	path, source string
	pkgs         []*Package
	dirty        bool
}

// save writes the list when it changed.
func (l *sourceList) save() error {
	if !l.dirty || l.path == "" {
		return nil
	}
	if err := writePackageList(l.path, l.pkgs); err != nil {
		return err
	}
	l.dirty = false
	return nil
}

// stamp identifies a file's state from its stat.
type stamp struct {
	size  int64
	mtime int64
	inode uint64
}

func statStamp(fi os.FileInfo) stamp {
	s := stamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		s.inode = st.Ino
	}
	return s
}

// removeOldCaches removes the header caches of earlier versions, a gob
// written whole and then a pack of a record per file: package lists
// took their place.
func removeOldCaches(cacheDir string) {
	if cacheDir == "" {
		return
	}
	for _, name := range []string{"headers.gob", "headers.pack", "headers.pack.lock"} {
		os.Remove(filepath.Join(cacheDir, name))
	}
}
