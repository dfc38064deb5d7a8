package manifest

import (
	"io/fs"
	"path"
	"path/filepath"
	"syscall"

	"github.com/strata-build/strata/sdk/files"
)

// Linked knows the sha256 of files by device and inode, so that a
// build's file hard-linked from one already hashed (a package, a file of
// the artifact's previous build) is not read again. It trusts that a
// linked file was not changed in place: builds replace files, they do
// not rewrite them.
type Linked map[inode]linked

type inode struct{ dev, ino uint64 }

type linked struct {
	size   int64
	mode   uint32
	sha256 string
}

func inodeOf(fi fs.FileInfo) (inode, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return inode{}, false
	}
	return inode{uint64(st.Dev), st.Ino}, true
}

// Add records the digest of the regular file fi describes.
func (d Linked) Add(fi fs.FileInfo, sha256 string) {
	if k, ok := inodeOf(fi); ok && fi.Mode().IsRegular() {
		d[k] = linked{fi.Size(), uint32(fi.Mode().Perm()), sha256}
	}
}

// AddManifest records the digests of dir's files as manifest lists them.
// dir must hold what manifest lists (a stored build): the files' inode
// numbers are read from their directories, not from each file.
func (d Linked) AddManifest(dir string, manifest []File) {
	byDir := map[string][]*File{}
	for i := range manifest {
		f := &manifest[i]
		if f.Link == "" && f.SHA256 != "" {
			byDir[path.Dir(f.Path)] = append(byDir[path.Dir(f.Path)], f)
		}
	}
	for sub, listed := range byDir {
		dev, entries, err := files.ReadDirents(filepath.Join(dir, filepath.FromSlash(sub)))
		if err != nil {
			continue
		}
		inos := make(map[string]uint64, len(entries))
		for _, e := range entries {
			if e.Type == syscall.DT_REG {
				inos[e.Name] = e.Ino
			}
		}
		for _, f := range listed {
			if ino, ok := inos[path.Base(f.Path)]; ok {
				d[inode{dev, ino}] = linked{f.Size, f.Mode, f.SHA256}
			}
		}
	}
}

// Known gives the digest of a file linked from a recorded one.
func (d Linked) Known(_ string, fi fs.FileInfo) (string, bool) {
	k, ok := inodeOf(fi)
	if !ok {
		return "", false
	}
	l, ok := d[k]
	if !ok || l.size != fi.Size() {
		return "", false
	}
	return l.sha256, true
}
