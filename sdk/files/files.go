// Package files holds the file operations plugins and strata share:
// writing a file so that readers never see half of it, and placing a file
// by hard link with a copy where the file system refuses links.
package files

import (
	"io"
	"os"
	"path/filepath"
)

// WriteAtomic writes data (its parts one after another) to path through
// a temporary file in the same directory, renamed into place: a reader
// sees the old content or the new.
func WriteAtomic(path string, data ...[]byte) error {
	return WriteAtomicWith(path, func(f *os.File) error {
		for _, part := range data {
			if _, err := f.Write(part); err != nil {
				return err
			}
		}
		return nil
	})
}

// WriteAtomicWith writes path as write writes a new file in its
// directory, whole or not at all: the file takes path's place only when
// write and closing it succeed.
func WriteAtomicWith(path string, write func(f *os.File) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteNew writes data to path, which must not exist yet; on error
// nothing is left at path.
func WriteNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// LinkOrCopy makes dst the same file as src with a hard link, or a copy
// with mode when the file system refuses (another device, say).
func LinkOrCopy(src, dst string, mode os.FileMode) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return writeFrom(dst, in, os.O_EXCL, mode.Perm())
}

// WriteFrom writes what r reads to path, created with mode or truncated.
func WriteFrom(path string, r io.Reader, mode os.FileMode) error {
	return writeFrom(path, r, os.O_TRUNC, mode)
}

func writeFrom(path string, r io.Reader, flag int, mode os.FileMode) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|flag, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
