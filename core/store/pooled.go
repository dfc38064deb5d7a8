package store

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/manifest"
)

// An entry's pooled files: which lines of its manifest the pool holds
// (pool.go), where each file of an entry is, and views of an entry
// whole.

// pooledFile lists the lines of an entry's manifest whose files are in
// the pool, as ranges of line numbers from 1 ("1-20000", "20003"),
// one a line.
const pooledFile = "pooled"

// FilePath is where the file of line i of e's manifest is: in the pool
// or in the entry's files.
func (s *Store) FilePath(e *Entry, i int) string {
	if e.IsPooled(i) {
		return s.PoolPath(e.Manifest[i].SHA256)
	}
	return filepath.Join(s.FilesPath(e.Key), filepath.FromSlash(e.Manifest[i].Path))
}

// IsPooled says the file of line i of the manifest is in the pool.
func (e *Entry) IsPooled(i int) bool { return i < len(e.Pooled) && e.Pooled[i] }

// HasPooled says some of the entry's files are in the pool.
func (e *Entry) HasPooled() bool { return slices.Contains(e.Pooled, true) }

// Own lists the files of the manifest the entry's files directory
// holds: all but the pooled ones.
func (e *Entry) Own() []manifest.File {
	if len(e.Pooled) == 0 {
		return e.Manifest
	}
	out := make([]manifest.File, 0, len(e.Manifest))
	for i, f := range e.Manifest {
		if !e.IsPooled(i) {
			out = append(out, f)
		}
	}
	return out
}

// encodePooled writes which lines of a manifest are pooled, as
// pooledFile holds them.
func encodePooled(pooled []bool) []byte {
	var b []byte
	for i := 0; i < len(pooled); i++ {
		if !pooled[i] {
			continue
		}
		j := i
		for j+1 < len(pooled) && pooled[j+1] {
			j++
		}
		b = strconv.AppendInt(b, int64(i+1), 10)
		if j > i {
			b = append(b, '-')
			b = strconv.AppendInt(b, int64(j+1), 10)
		}
		b = append(b, '\n')
		i = j
	}
	return b
}

// decodePooled reads pooledFile for the manifest m; name says where it
// is. A pooled line must be a file with a sha256.
func decodePooled(data []byte, m []manifest.File, name string) ([]bool, error) {
	pooled := make([]bool, len(m))
	for n, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		first, last, isRange := strings.Cut(line, "-")
		a, err := strconv.Atoi(first)
		b := a
		if isRange && err == nil {
			b, err = strconv.Atoi(last)
		}
		if err != nil || a < 1 || b < a || b > len(m) {
			return nil, fmt.Errorf("%s:%d: %q is not a range of the manifest's %d lines", name, n+1, line, len(m))
		}
		for i := a - 1; i < b; i++ {
			if m[i].Link != "" || checkSum(m[i].SHA256) != nil {
				return nil, fmt.Errorf("%s:%d: line %d of the manifest, %s, cannot be in the pool", name, n+1, i+1, m[i].Path)
			}
			pooled[i] = true
		}
	}
	return pooled, nil
}

// PooledFiles lists the entry's pooled files, each with where the pool
// holds it.
func (s *Store) PooledFiles(e *Entry) (files []manifest.File, from []string) {
	for i, f := range e.Manifest {
		if e.IsPooled(i) {
			files = append(files, f)
			from = append(from, s.PoolPath(f.SHA256))
		}
	}
	return files, from
}

// View makes a directory under views/ that holds every file of e, its
// pooled ones too, linked: for a plugin that reads the entry whole. A
// plugin's sandbox lets it read a view, not write into it nor link from
// it, so that the pool stays out of its reach. The caller removes it.
func (s *Store) View(e *Entry) (string, error) {
	views := filepath.Join(s.Dir, "views")
	if err := os.MkdirAll(views, 0o755); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(views, e.Key[:12]+"-")
	if err != nil {
		return "", err
	}
	if err := files.LinkTree(s.FilesPath(e.Key), dir); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	pooled, from := s.PooledFiles(e)
	to := make([]string, len(pooled))
	for i, f := range pooled {
		to[i] = filepath.Join(dir, filepath.FromSlash(f.Path))
	}
	if err := files.LinkFiles(from, to); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}
