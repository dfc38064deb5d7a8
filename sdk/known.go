package sdk

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// LinkedDigests knows the sha256 of files by device and inode, so that a
// build's file hard-linked from one already hashed (a package, a file of
// the artifact's previous build) is not read again. It trusts that a
// linked file was not changed in place, as long as its size is the same.
type LinkedDigests map[inode]linked

type inode struct{ dev, ino uint64 }

type linked struct {
	size   int64
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
func (d LinkedDigests) Add(fi fs.FileInfo, sha256 string) {
	if k, ok := inodeOf(fi); ok && fi.Mode().IsRegular() {
		d[k] = linked{fi.Size(), sha256}
	}
}

// AddManifest records the digests of dir's files as manifest lists them,
// for the files that still have the size it gives.
func (d LinkedDigests) AddManifest(dir string, manifest []ManifestFile) {
	for _, f := range manifest {
		if f.Link != "" || f.SHA256 == "" {
			continue
		}
		fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err == nil && fi.Size() == f.Size {
			d.Add(fi, f.SHA256)
		}
	}
}

// Known gives the digest of a file linked from a recorded one.
func (d LinkedDigests) Known(_ string, fi fs.FileInfo) (string, bool) {
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
