package rootfs

import (
	"bufio"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
)

// ContentFunc receives the content of one file of the tree: e is the
// file, links the other selected paths of its hard link set (which share
// its inode), r its content (e.Size bytes). What the function leaves
// unread is read and checked all the same.
type ContentFunc func(e *Entry, links []*Entry, r io.Reader) error

// Contents reads the content of every regular file that include selects
// (nil selects all) and hands it to fn, once per inode: package by
// package in the order given to Assemble, each in its payload's order,
// then the files AddFile added, by path. Only the payloads of packages
// with a selected file are read, each once, from start to end; content
// is checked against the header's digest as it passes. The order depends
// only on the tree.
func (t *Tree) Contents(ctx context.Context, include func(*Entry) bool, fn ContentFunc) error {
	byPkg := make([][]*Entry, len(t.pkgs))
	var added []*Entry
	for _, e := range t.Entries() {
		if e.Kind != File || include != nil && !include(e) {
			continue
		}
		if e.disk != "" {
			added = append(added, e)
		} else {
			byPkg[e.pkg] = append(byPkg[e.pkg], e)
		}
	}
	for i, want := range byPkg {
		if len(want) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := t.readPayload(i, want, fn); err != nil {
			return fmt.Errorf("%s: %s: %w", t.pkgs[i].path, t.pkgs[i].header.NEVRA(), err)
		}
	}
	for _, e := range added {
		if err := deliverFile(e, fn); err != nil {
			return err
		}
	}
	return nil
}

// readPayload streams package i's payload and hands fn the content of the
// wanted entries (sorted by path). A hard link set's content comes with
// one of its members; the set goes to fn with its first wanted path.
func (t *Tree) readPayload(i int, want []*Entry, fn ContentFunc) error {
	p := t.pkgs[i]
	files := p.header.Files()
	type inode struct{ dev, ino uint64 }
	sets := map[inode][]*Entry{}
	for _, e := range want {
		hf := files[e.fileIndex]
		k := inode{hf.Device, hf.Inode}
		sets[k] = append(sets[k], e)
	}
	byPath := make(map[string]int, len(files))
	for j, hf := range files {
		byPath[hf.Path] = j
	}
	f, err := os.Open(p.path)
	if err != nil {
		return err
	}
	defer f.Close()
	// The payload starts where the main header ends; Assemble read it.
	if _, err := f.Seek(p.header.HeaderEnd, io.SeekStart); err != nil {
		return err
	}
	pr, err := p.header.Payload(bufio.NewReaderSize(f, 256<<10))
	if err != nil {
		return err
	}
	defer pr.Close()
	algo := p.header.FileDigestAlgo()
	for len(sets) > 0 {
		m, err := pr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		j := m.Index
		if j < 0 {
			var ok bool
			if j, ok = byPath[m.Path]; !ok {
				if err := checkPath(m.Path); err != nil {
					return fmt.Errorf("payload: %w", err)
				}
				return fmt.Errorf("payload member %s is not in the header's file list", m.Path)
			}
		}
		hf := files[j]
		k := inode{hf.Device, hf.Inode}
		set, ok := sets[k]
		if !ok || !hf.IsRegular() || m.Size != hf.Size && m.Size == 0 {
			continue // not wanted, or a hard link whose content comes with another member
		}
		if m.Size != hf.Size {
			return fmt.Errorf("%s has %d bytes in the payload, the header says %d", hf.Path, m.Size, hf.Size)
		}
		delete(sets, k)
		if err := deliver(set[0], set[1:], pr, algo, hf.Digest, fn); err != nil {
			return err
		}
	}
	for _, set := range sets {
		return fmt.Errorf("%s is in the file list but not in the payload", "/"+set[0].Path)
	}
	return nil
}

// deliver hands fn e's content from r, then reads what fn left and checks
// the digest, when the package gives one in an algorithm Go knows.
func deliver(e *Entry, links []*Entry, r io.Reader, algo, digest string, fn ContentFunc) error {
	var h hash.Hash
	if digest != "" {
		h = newHash(algo)
	}
	body := io.LimitReader(r, e.Size)
	if h != nil {
		body = io.TeeReader(body, h)
	}
	if err := fn(e, links, body); err != nil {
		return fmt.Errorf("/%s: %w", e.Path, err)
	}
	if _, err := io.Copy(io.Discard, body); err != nil {
		return fmt.Errorf("/%s: %w", e.Path, err)
	}
	if h != nil && hex.EncodeToString(h.Sum(nil)) != digest {
		return fmt.Errorf("/%s: content does not match the header's %s digest", e.Path, algo)
	}
	return nil
}

func newHash(algo string) hash.Hash {
	switch algo {
	case "md5":
		return md5.New()
	case "sha1":
		return sha1.New()
	case "sha256":
		return sha256.New()
	case "sha224":
		return sha256.New224()
	case "sha384":
		return sha512.New384()
	case "sha512":
		return sha512.New()
	}
	return nil
}

// deliverFile hands fn the content of a file AddFile added.
func deliverFile(e *Entry, fn ContentFunc) error {
	f, err := os.Open(e.disk)
	if err != nil {
		return err
	}
	defer f.Close()
	algo, digest, _ := strings.Cut(e.Digest, ":")
	return deliver(e, nil, f, algo, digest, fn)
}

// AddFile adds a file that no package installs, such as the rpm
// database, owned by root: its content is read from r and kept in the
// tree's work directory, and directories missing on its path are implied.
// A file already at p is replaced; a directory or link there is an error.
func (t *Tree) AddFile(p string, r io.Reader, mode uint32, mtime int64) (*Entry, error) {
	if err := checkPath("/" + strings.TrimPrefix(p, "/")); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(t.work, "added-")
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, err
	}
	e := &Entry{Path: strings.TrimPrefix(p, "/"), Kind: File, Mode: mode & 0o7777, User: "root", Group: "root",
		MTime: mtime, Size: n, Digest: "sha256:" + hex.EncodeToString(h.Sum(nil)), pkg: -1, disk: f.Name()}
	if old := t.Lookup(e.Path); old != nil && old.Kind == File {
		delete(t.entries, old.Path)
	}
	if err := t.add(e); err != nil {
		return nil, err
	}
	return e, nil
}

// ReadFile returns the content of the file at p, which must be at most
// limit bytes.
func (t *Tree) ReadFile(ctx context.Context, p string, limit int64) ([]byte, error) {
	e := t.Lookup(p)
	if e == nil || e.Kind != File {
		return nil, fmt.Errorf("/%s is not a file of the tree", strings.TrimPrefix(p, "/"))
	}
	if e.Size > limit {
		return nil, fmt.Errorf("/%s has %d bytes, more than %d", e.Path, e.Size, limit)
	}
	var data []byte
	err := t.Contents(ctx, func(x *Entry) bool { return x == e }, func(_ *Entry, _ []*Entry, r io.Reader) (err error) {
		data, err = io.ReadAll(r)
		return err
	})
	return data, err
}
