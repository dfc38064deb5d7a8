package pkgset

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/strata-build/strata/sdk/parallel"
	"github.com/strata-build/strata/sdk/rpm"
)

// scanDir lists the RPM files under dir, sorted.
func scanDir(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".rpm") {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// readDir reads every package of an rpm_dir source, from the cache where
// a file is unchanged and in parallel otherwise. read counts the headers
// actually read.
func readDir(dir, source string, cache *headerCache, read *atomic.Int64) ([]*Package, error) {
	paths, err := scanDir(dir)
	if err != nil {
		return nil, err
	}
	out := make([]*Package, len(paths))
	err = parallel.Do(len(paths), func(i int) (err error) {
		out[i], err = readOne(paths[i], cache, read)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, p := range out {
		p.Source = source
	}
	return out, nil
}

func readOne(path string, cache *headerCache, read *atomic.Int64) (*Package, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	s := statStamp(fi)
	p := cache.get(path, s)
	if p == nil {
		if p, err = readFile(path); err != nil {
			return nil, err
		}
		read.Add(1)
		cache.put(path, s, p)
	}
	cp := *p
	cp.Size, cp.FileMTime, cp.FileInode = s.size, s.mtime, s.inode
	return &cp, nil
}

// readFile reads a package's header and hashes the whole file in one pass.
func readFile(path string) (*Package, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(f, h), 64<<10)
	hdr, err := rpm.Read(br)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p := fromHeader(hdr)
	p.SHA256 = hex.EncodeToString(h.Sum(nil))
	p.Location = path
	if st, err := f.Stat(); err == nil {
		p.Size = st.Size()
	}
	return p, nil
}
