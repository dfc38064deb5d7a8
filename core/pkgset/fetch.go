package pkgset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

func hashString(s string) [32]byte { return sha256.Sum256([]byte(s)) }

// Fetcher makes package files local: packages of remote repositories are
// downloaded into a cache once, by checksum, and verified.
type Fetcher struct {
	Dir    string
	Client *http.Client
}

// Path returns a local path holding the package.
func (f *Fetcher) Path(ctx context.Context, p *Package) (string, error) {
	if !strings.Contains(p.Location, "://") {
		return p.Location, nil
	}
	dst := filepath.Join(f.Dir, p.SHA256()+".rpm")
	if _, err := os.Stat(dst); err == nil {
		return dst, nil
	}
	if err := os.MkdirAll(f.Dir, 0o755); err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.Location, nil)
	if err != nil {
		return "", err
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("fetching %s: %w", p.NEVRA(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("fetching %s: GET %s: %s", p.NEVRA(), p.Location, resp.Status)
	}
	tmp, err := os.CreateTemp(f.Dir, ".fetch-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(tmp, h), resp.Body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("fetching %s: %w", p.NEVRA(), err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != p.SHA256() {
		return "", fmt.Errorf("fetching %s from %s: sha256 is %s, the repository says %s", p.NEVRA(), p.Location, got, p.SHA256())
	}
	return dst, os.Rename(tmp.Name(), dst)
}
