package rootfs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func contentPath(staging, digest string) string {
	return filepath.Join(staging, digest[:2], digest)
}

// stage copies r into the staging directory under its sha256 and returns
// the digest and size. Identical contents are stored once.
func stage(staging string, r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp(staging, "in-")
	if err != nil {
		return "", 0, err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, err
	}
	digest := hex.EncodeToString(h.Sum(nil))
	dst := contentPath(staging, digest)
	if _, err := os.Stat(dst); err == nil {
		return digest, n, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", 0, fmt.Errorf("staging content: %w", err)
	}
	return digest, n, nil
}

// AddFile adds a file that no package installs, such as the rpm
// database, owned by root: its content is read from r and staged, and
// directories missing on its path are implied. A file already at p is
// replaced; a directory or link there is an error.
func (t *Tree) AddFile(p string, r io.Reader, mode uint32, mtime int64) (*Entry, error) {
	if err := checkPath("/" + strings.TrimPrefix(p, "/")); err != nil {
		return nil, err
	}
	digest, n, err := stage(t.staging, r)
	if err != nil {
		return nil, err
	}
	e := &Entry{Path: strings.TrimPrefix(p, "/"), Kind: File, Mode: mode & 0o7777, User: "root", Group: "root",
		MTime: mtime, Size: n, SHA256: digest}
	if old := t.Lookup(e.Path); old != nil && old.Kind == File {
		delete(t.entries, old.Path)
	}
	if err := t.add(e); err != nil {
		return nil, err
	}
	return e, nil
}
