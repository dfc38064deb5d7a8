package sdk

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
)

// ScanManifest lists every file under dir: regular files with their size,
// permission bits and sha256, symbolic links with their targets. Other
// kinds of file (devices, sockets) are an error: an artifact is data.
// Entries are sorted by path. Files are hashed on all CPUs.
func ScanManifest(dir string) ([]ManifestFile, error) {
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
			out = append(out, ManifestFile{Path: rel, Size: info.Size(), Mode: uint32(info.Mode().Perm())})
		default:
			return fmt.Errorf("%s: %s is not a regular file, directory or symbolic link", dir, rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := hashAll(dir, out); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func hashAll(dir string, files []ManifestFile) error {
	work := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				sum, err := hashFile(filepath.Join(dir, filepath.FromSlash(files[i].Path)))
				if err != nil {
					select {
					case errs <- err:
					default:
					}
					continue
				}
				files[i].SHA256 = sum
			}
		}()
	}
	for i := range files {
		if files[i].Link == "" {
			work <- i
		}
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func hashFile(path string) (string, error) {
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
