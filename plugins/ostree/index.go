package ostree

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/strata-build/strata/plugins/ostree/repo"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/rootfs"
)

// contentIndex remembers which content object each packaged file became,
// keyed by what the object is made of: the file's metadata as ostree
// hashes it, and the size and digest the package header gives its
// content (checked against the payload when the object was written).
// With it, a commit reads only the payloads of packages that bring a
// file the repository lacks. It lives in the plugin's cache directory,
// one file per artifact, and holds what the artifact's last commit used.
type contentIndex struct {
	path string
	old  map[indexKey][32]byte
	mu   sync.Mutex
	used map[indexKey][32]byte
}

type indexKey [32]byte

const indexMagic = "strata ostree content index 1\n"

// loadIndex reads the index of address from cacheDir; a missing or
// unreadable index is empty: it only saves time. Without a cache
// directory nothing is kept.
func loadIndex(cacheDir, address string) *contentIndex {
	idx := &contentIndex{old: map[indexKey][32]byte{}, used: map[indexKey][32]byte{}}
	if cacheDir == "" {
		return idx
	}
	name := sha256.Sum256([]byte(address))
	idx.path = filepath.Join(cacheDir, "contents", hex.EncodeToString(name[:]))
	data, err := os.ReadFile(idx.path)
	if err != nil || !bytes.HasPrefix(data, []byte(indexMagic)) || (len(data)-len(indexMagic))%64 != 0 {
		return idx
	}
	for rec := data[len(indexMagic):]; len(rec) > 0; rec = rec[64:] {
		idx.old[indexKey(rec[:32])] = [32]byte(rec[32:64])
	}
	return idx
}

// key is the index key of a packaged file with metadata m; ok is false
// when its digest is too weak to name content (rpm's old MD5) or absent.
func (idx *contentIndex) key(m repo.FileMeta, e *rootfs.Entry) (k indexKey, ok bool) {
	algo, _, _ := strings.Cut(e.Digest, ":")
	if algo != "sha256" && algo != "sha384" && algo != "sha512" {
		return k, false
	}
	h := sha256.New()
	h.Write(m.Header())
	fmt.Fprintf(h, "%d %s", e.Size, e.Digest)
	return indexKey(h.Sum(nil)), true
}

// lookup returns the content object of k when the index knows it and
// the repository has it, and keeps it for the next commit.
func (idx *contentIndex) lookup(r *repo.Repo, k indexKey) (string, bool) {
	sum, ok := idx.old[k]
	if !ok {
		return "", false
	}
	checksum := hex.EncodeToString(sum[:])
	if !r.Has(checksum, repo.File) {
		return "", false
	}
	idx.add(k, checksum)
	return checksum, true
}

// add records that the file of k became the content object checksum.
func (idx *contentIndex) add(k indexKey, checksum string) {
	var sum [32]byte
	hex.Decode(sum[:], []byte(checksum))
	idx.mu.Lock()
	idx.used[k] = sum
	idx.mu.Unlock()
}

// save replaces the index with what this commit used, sorted, so that
// the file depends only on the tree.
func (idx *contentIndex) save() error {
	if idx.path == "" {
		return nil
	}
	keys := make([]indexKey, 0, len(idx.used))
	for k := range idx.used {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i][:], keys[j][:]) < 0 })
	data := make([]byte, 0, len(indexMagic)+64*len(keys))
	data = append(data, indexMagic...)
	for _, k := range keys {
		sum := idx.used[k]
		data = append(append(data, k[:]...), sum[:]...)
	}
	return files.WriteAtomic(idx.path, data)
}
