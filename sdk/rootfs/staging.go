package rootfs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
