package sdk

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

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
	var todo []int
	var out []ManifestFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch t := d.Type(); {
		case t.IsDir():
			return nil
		case t&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			out = append(out, ManifestFile{Path: rel, Link: target})
		case t.IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			f := ManifestFile{Path: rel, Size: info.Size(), Mode: uint32(info.Mode().Perm())}
			if known != nil {
				f.SHA256, _ = known(rel, info)
			}
			if f.SHA256 == "" {
				todo = append(todo, len(out))
			}
			out = append(out, f)
		default:
			return fmt.Errorf("%s: %s is not a regular file, directory or symbolic link", dir, rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := hashAll(dir, out, todo); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
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
