package repo

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/strata-build/strata/plugins/ostree/gvariant"
)

// ObjectType is the kind of an object, which is its file extension.
type ObjectType string

// The object types of an archive repository.
const (
	File    ObjectType = "filez"
	DirTree ObjectType = "dirtree"
	DirMeta ObjectType = "dirmeta"
	Commit  ObjectType = "commit"
)

// objectPath is objects/<2 hex>/<62 hex>.<type>.
func (r *Repo) objectPath(checksum string, t ObjectType) string {
	return filepath.Join(r.path, "objects", checksum[:2], checksum[2:]+"."+string(t))
}

// Has reports whether the object is in the repository.
func (r *Repo) Has(checksum string, t ObjectType) bool {
	if !isChecksum(checksum) {
		return false
	}
	r.objects.once.Do(func() { r.objects.list(filepath.Join(r.path, "objects")) })
	if r.objects.names == nil {
		_, err := os.Stat(r.objectPath(checksum, t))
		return err == nil
	}
	r.objects.mu.Lock()
	defer r.objects.mu.Unlock()
	_, ok := r.objects.names[checksum+"."+string(t)]
	return ok
}

// objectSet holds the names of a repository's objects, listed once from
// its object directories: asking the file system about each of tens of
// thousands of objects costs more than listing them. Without a listing
// (names nil) Has asks the file system.
type objectSet struct {
	once  sync.Once
	mu    sync.Mutex
	names map[string]struct{}
}

func (s *objectSet) list(dir string) {
	subdirs, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	names := map[string]struct{}{}
	for _, d := range subdirs {
		if !d.IsDir() {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(dir, d.Name()))
		if err != nil {
			return
		}
		for _, e := range entries {
			names[d.Name()+e.Name()] = struct{}{}
		}
	}
	s.names = names
}

// stored records an object this process wrote.
func (r *Repo) stored(checksum string, t ObjectType) {
	r.objects.once.Do(func() { r.objects.list(filepath.Join(r.path, "objects")) })
	r.objects.mu.Lock()
	defer r.objects.mu.Unlock()
	if r.objects.names != nil {
		r.objects.names[checksum+"."+string(t)] = struct{}{}
	}
}

// ReadObject returns a metadata object's bytes.
func (r *Repo) ReadObject(checksum string, t ObjectType) ([]byte, error) {
	if !isChecksum(checksum) {
		return nil, fmt.Errorf("%q is not an object checksum", checksum)
	}
	return os.ReadFile(r.objectPath(checksum, t))
}

// WriteMetadata stores a dirtree, dirmeta or commit object, named by the
// sha256 of its bytes, unless the repository has it, and returns that
// checksum.
func (r *Repo) WriteMetadata(t ObjectType, v gvariant.Value) (string, error) {
	sum := sha256.Sum256(v.Bytes())
	checksum := hex.EncodeToString(sum[:])
	if r.Has(checksum, t) {
		return checksum, nil
	}
	path := r.objectPath(checksum, t)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	if err := writeAtomic(r.tmp(), path, v.Bytes()); err != nil {
		return "", err
	}
	r.stored(checksum, t)
	return checksum, nil
}

// Xattr is one extended attribute.
type Xattr struct {
	Name  string
	Value []byte
}

// xattrs is the a(ayay) of a file or directory: names with a NUL, sorted
// by name as libglnx lists them; empty values are left out, as ostree
// does.
func xattrs(list []Xattr) gvariant.Value {
	sorted := append([]Xattr(nil), list...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	var elems []gvariant.Value
	for _, x := range sorted {
		if len(x.Value) == 0 {
			continue
		}
		elems = append(elems, gvariant.Tuple(gvariant.ByteArray(append([]byte(x.Name), 0)), gvariant.ByteArray(x.Value)))
	}
	return gvariant.Array("(ayay)", elems...)
}

// DirMeta is the (uuua(ayay)) of a directory: owner, full st_mode (with
// the directory type bits) and extended attributes.
func DirMetaObject(uid, gid, mode uint32, xs []Xattr) gvariant.Value {
	return gvariant.Tuple(gvariant.Uint32(uid), gvariant.Uint32(gid), gvariant.Uint32(mode), xattrs(xs))
}

// TreeFile and TreeDir are the entries of a dirtree.
type (
	TreeFile struct {
		Name     string
		Checksum string // the content object
	}
	TreeDir struct {
		Name       string
		Tree, Meta string // the dirtree and dirmeta objects
	}
)

// DirTreeObject is the (a(say)a(sayay)) of a directory: files and
// subdirectories, each sorted by name bytes as ostree sorts them.
func DirTreeObject(files []TreeFile, dirs []TreeDir) (gvariant.Value, error) {
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	sort.Slice(dirs, func(i, j int) bool { return dirs[i].Name < dirs[j].Name })
	fs := make([]gvariant.Value, len(files))
	for i, f := range files {
		sum, err := rawChecksum(f.Checksum)
		if err != nil {
			return gvariant.Value{}, err
		}
		fs[i] = gvariant.Tuple(gvariant.String(f.Name), gvariant.ByteArray(sum))
	}
	ds := make([]gvariant.Value, len(dirs))
	for i, d := range dirs {
		tree, err := rawChecksum(d.Tree)
		if err != nil {
			return gvariant.Value{}, err
		}
		meta, err := rawChecksum(d.Meta)
		if err != nil {
			return gvariant.Value{}, err
		}
		ds[i] = gvariant.Tuple(gvariant.String(d.Name), gvariant.ByteArray(tree), gvariant.ByteArray(meta))
	}
	return gvariant.Tuple(gvariant.Array("(say)", fs...), gvariant.Array("(sayay)", ds...)), nil
}

func rawChecksum(s string) ([]byte, error) {
	if !isChecksum(s) {
		return nil, fmt.Errorf("%q is not an object checksum", s)
	}
	return hex.DecodeString(s)
}

// FileMeta is what a content object records of a file besides its bytes.
type FileMeta struct {
	UID, GID uint32
	Mode     uint32 // full st_mode: regular file or symbolic link
	Target   string // a symbolic link's target
	Xattrs   []Xattr
}

// fileHeader is the (uuuusa(ayay)) hashed before a file's content.
func fileHeader(m FileMeta) gvariant.Value {
	return gvariant.Tuple(gvariant.Uint32(m.UID), gvariant.Uint32(m.GID), gvariant.Uint32(m.Mode), gvariant.Uint32(0),
		gvariant.String(m.Target), xattrs(m.Xattrs))
}

// filezHeader is the (tuuuusa(ayay)) at the start of a .filez object.
func filezHeader(size uint64, m FileMeta) gvariant.Value {
	return gvariant.Tuple(gvariant.Uint64(size), gvariant.Uint32(m.UID), gvariant.Uint32(m.GID), gvariant.Uint32(m.Mode),
		gvariant.Uint32(0), gvariant.String(m.Target), xattrs(m.Xattrs))
}

// sizedHeader is a header as ostree frames it: its length (big-endian
// u32), four zero bytes, the header.
func sizedHeader(h gvariant.Value) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(h.Bytes())))
	return append(append(b, 0, 0, 0, 0), h.Bytes()...)
}

// modeTypeMask and the types content objects may have.
const (
	modeTypeMask = 0o170000
	modeRegular  = 0o100000
	modeSymlink  = 0o120000
	modeDir      = 0o040000
)

// Header is the framed file header a content object's checksum covers
// before the content.
func (m FileMeta) Header() []byte { return sizedHeader(fileHeader(m)) }

// ContentChecksum is the checksum of a content object:
// sha256(sized header ‖ content).
func ContentChecksum(m FileMeta, content []byte) string {
	h := sha256.New()
	h.Write(m.Header())
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// ContentWriter writes content objects of one compression level.
type ContentWriter struct {
	repo  *Repo
	level int
	// compressors keeps deflate writers for reuse: each holds tables of
	// about a megabyte, which a new writer per object would allocate and
	// clear again.
	compressors sync.Pool
}

// Content returns a writer of content objects at the zlib level ostree
// uses by default (6).
func (r *Repo) Content() *ContentWriter { return &ContentWriter{repo: r, level: 6} }

// Write stores the content object of a file (content is nil for a
// symbolic link) unless the repository has it, and returns its checksum.
// It is safe to call from several goroutines.
func (w *ContentWriter) Write(m FileMeta, content []byte) (string, error) {
	switch m.Mode & modeTypeMask {
	case modeRegular:
	case modeSymlink:
		if len(content) != 0 {
			return "", errors.New("a symbolic link has no content")
		}
	default:
		return "", fmt.Errorf("mode %o is neither a regular file nor a symbolic link", m.Mode)
	}
	checksum := ContentChecksum(m, content)
	if w.repo.Has(checksum, File) {
		return checksum, nil
	}
	path := w.repo.objectPath(checksum, File)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	if err := writeAtomicFunc(w.repo.tmp(), path, func(out io.Writer) error { return w.writeFilez(out, m, content) }); err != nil {
		return "", err
	}
	w.repo.stored(checksum, File)
	return checksum, nil
}

// writeFilez writes the framed header and the raw deflate stream of the
// content; a symbolic link has the header alone.
func (w *ContentWriter) writeFilez(out io.Writer, m FileMeta, content []byte) error {
	if _, err := out.Write(sizedHeader(filezHeader(uint64(len(content)), m))); err != nil {
		return err
	}
	if m.Mode&modeTypeMask == modeSymlink {
		return nil
	}
	return w.deflate(out, content)
}
