// Package repo reads and writes ostree repositories in archive mode (the
// mode composes publish over HTTP) without libostree: content objects
// (.filez: a GVariant header and the raw-deflated file), dirtree, dirmeta
// and commit objects, refs, and the summary file. Objects are named by
// the sha256 ostree computes for them, so a repository written here and
// one written by `ostree commit` from the same tree hold the same
// objects.
//
// Every object is written to a temporary file and renamed into place, so
// an object is whole or absent; a ref moves only when the caller says,
// after its commit's objects are written.
//
// The layout is ostree's "Anatomy of an OSTree repository"
// (https://ostreedev.github.io/ostree/repo/, "Core object types and
// data model" and "Repository types and locations"); the objects'
// GVariant types are those of src/libostree/ostree-core.h
// (OSTREE_COMMIT_GVARIANT_FORMAT, OSTREE_TREE_GVARIANT_STRING,
// OSTREE_DIRMETA_GVARIANT_STRING, OSTREE_FILE_HEADER_GVARIANT_FORMAT).
package repo

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Repo is an archive-mode repository on disk.
type Repo struct {
	path    string
	objects objectSet
}

// dirs are the directories `ostree init` creates; fsck needs them all.
var dirs = []string{"objects", "refs/heads", "refs/mirrors", "refs/remotes", "state", "tmp/cache", "extensions"}

// config is what `ostree init --mode=archive` writes, with the
// indexed-deltas flag `ostree summary -u` adds.
const config = "[core]\nrepo_version=1\nmode=archive-z2\nindexed-deltas=true\n"

// Init creates an archive repository at path, or opens the one there.
func Init(path string) (*Repo, error) {
	if _, err := os.Stat(filepath.Join(path, "config")); err == nil {
		return Open(path)
	}
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(path, d), 0o755); err != nil {
			return nil, err
		}
	}
	if err := writeAtomic(filepath.Join(path, "tmp"), filepath.Join(path, "config"), []byte(config)); err != nil {
		return nil, err
	}
	return &Repo{path: path}, nil
}

// Open opens an existing repository, which must be in archive mode: the
// objects of other modes are stored differently.
func Open(path string) (*Repo, error) {
	f, err := os.Open(filepath.Join(path, "config"))
	if err != nil {
		return nil, fmt.Errorf("%s is not an ostree repository: %w", path, err)
	}
	defer f.Close()
	mode, section := "", ""
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if strings.HasPrefix(line, "[") {
			section = line
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && section == "[core]" && strings.TrimSpace(k) == "mode" {
			mode = strings.TrimSpace(v)
		}
	}
	if err := s.Err(); err != nil {
		return nil, err
	}
	if mode != "archive-z2" && mode != "archive" {
		if mode == "" {
			mode = "bare (the default)"
		}
		return nil, fmt.Errorf("%s: the repository is in mode %s; strata writes archive repositories", path, mode)
	}
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(path, d), 0o755); err != nil {
			return nil, err
		}
	}
	return &Repo{path: path}, nil
}

// Path is the repository's directory.
func (r *Repo) Path() string { return r.path }

// refPattern is ostree's rule for ref names (ostree_validate_rev), whose
// \w matches any Unicode letter or digit.
var refPattern = regexp.MustCompile(`^(?:[\p{L}\p{N}_][-.\p{L}\p{N}_]*/)*[\p{L}\p{N}_][-.\p{L}\p{N}_]*$`)

// ValidateRef says why ostree would reject a ref name, or nil.
func ValidateRef(ref string) error {
	if !refPattern.MatchString(ref) {
		return fmt.Errorf("invalid ref %q: ostree accepts slash-separated parts of letters, digits, '_', '-' and '.', each starting with a letter, a digit or '_'", ref)
	}
	return nil
}

// Ref returns the commit a ref points at; ok is false when it does not
// exist.
func (r *Repo) Ref(name string) (checksum string, ok bool, err error) {
	if err := ValidateRef(name); err != nil {
		return "", false, err
	}
	data, err := os.ReadFile(filepath.Join(r.path, "refs", "heads", filepath.FromSlash(name)))
	if errors.Is(err, os.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	sum := strings.TrimSpace(string(data))
	if !isChecksum(sum) {
		return "", false, fmt.Errorf("ref %s holds %q, not a checksum", name, sum)
	}
	return sum, true, nil
}

// SetRef points a ref at a commit, which must be in the repository.
func (r *Repo) SetRef(name, commit string) error {
	if err := ValidateRef(name); err != nil {
		return err
	}
	if !r.Has(commit, Commit) {
		return fmt.Errorf("ref %s: commit %s is not in the repository", name, commit)
	}
	path := filepath.Join(r.path, "refs", "heads", filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return writeAtomic(r.tmp(), path, []byte(commit+"\n"))
}

// Refs lists the refs under refs/heads, sorted.
func (r *Repo) Refs() ([]string, error) {
	var out []string
	root := filepath.Join(r.path, "refs", "heads")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(out) // by the whole name, as ostree lists them
	return out, err
}

func isChecksum(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// tmp is where files are written before they are renamed into place.
func (r *Repo) tmp() string { return filepath.Join(r.path, "tmp") }

// writeAtomic writes a file through a temporary file in tmpDir renamed
// into place, so that readers see the old content or the new, never a
// part.
func writeAtomic(tmpDir, path string, data []byte) error {
	return writeAtomicFunc(tmpDir, path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomicFunc is writeAtomic of what write writes, through a buffer:
// a compressor writes in small pieces.
func writeAtomicFunc(tmpDir, path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(tmpDir, "strata-")
	if err != nil {
		return err
	}
	buf := writeBuffers.Get().(*bufio.Writer)
	buf.Reset(tmp)
	err = write(buf)
	if err == nil {
		err = buf.Flush()
	}
	buf.Reset(nil)
	writeBuffers.Put(buf)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

var writeBuffers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }}
