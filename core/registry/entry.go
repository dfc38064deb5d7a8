package registry

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"syscall"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/manifest"
	"github.com/strata-build/strata/sdk/parallel"
)

// packLimit is the size under which an entry's files travel together, in
// one pack blob (in the manifest's order), rather than a request each: an
// ostree repository is thousands of small objects.
const packLimit = 64 << 10

// entryConfig is an entry's config blob: the entry without its files, as
// the store gives it, the paths of the files in its pack, in order, and
// its directories (a manifest lists files: an empty directory, such as
// an ostree repository's tmp/, would be lost).
type entryConfig struct {
	Metadata string   `json:"metadata"`
	Pack     []string `json:"pack,omitempty"`
	Dirs     []string `json:"dirs,omitempty"`
}

// Push copies the entry for key from the local store to the registry:
// its pack and the blobs it lacks (not asking about those this process
// knows it holds: the packages a build was given), the config, then the
// manifest, tagged with the key.
func (r *Registry) Push(ctx context.Context, s *store.Store, key string) error {
	err := r.pushEntry(ctx, s, key)
	if err != nil {
		return fmt.Errorf("pushing %s to the remote store %s: %w", key, r, err)
	}
	return nil
}

func (r *Registry) pushEntry(ctx context.Context, s *store.Store, key string) error {
	meta, err := s.Metadata(key)
	if err != nil {
		return err
	}
	e, err := s.Read(key)
	if err != nil {
		return err
	}
	dir := s.FilesPath(key)
	cfg := entryConfig{Metadata: string(meta)}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != dir {
			rel, _ := filepath.Rel(dir, p)
			cfg.Dirs = append(cfg.Dirs, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		return err
	}
	blobs := map[v1.Hash]fileBlob{}
	var packed []string // their paths, pooled files from the pool
	for i, f := range e.Manifest {
		switch {
		case f.Link != "":
		case f.Size < packLimit:
			packed = append(packed, s.FilePath(e, i))
			cfg.Pack = append(cfg.Pack, f.Path)
		default:
			h, err := v1.NewHash("sha256:" + f.SHA256)
			if err != nil {
				return fmt.Errorf("%s: %w", f.Path, err)
			}
			blobs[h] = fileBlob{path: s.FilePath(e, i), digest: h, size: f.Size, mediaType: FileMediaType}
		}
	}
	if len(packed) > 0 {
		pack, err := writePack(filepath.Join(s.Dir, "tmp"), packed)
		if err != nil {
			return err
		}
		defer os.Remove(pack.path)
		blobs[pack.digest] = pack
	}
	var missing []fileBlob
	for _, b := range blobs {
		if _, ok := r.present.Load(b.digest.Hex); !ok {
			missing = append(missing, b)
		}
	}
	if err := parallel.IO(len(missing), func(i int) error { return r.pushLayer(ctx, missing[i]) }); err != nil {
		return err
	}
	config, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	if err := r.pushLayer(ctx, static.NewLayer(config, EntryMediaType)); err != nil {
		return err
	}
	m, err := ociManifest(config, blobs)
	if err != nil {
		return err
	}
	return remote.Put(r.tag(key), m, r.writing(ctx)...)
}

// writePack writes the bytes of the files at paths one after another
// into a file of tmp.
func writePack(tmp string, paths []string) (fileBlob, error) {
	f, err := os.CreateTemp(tmp, "pack-")
	if err != nil {
		return fileBlob{}, err
	}
	h := sha256.New()
	w := io.MultiWriter(f, h)
	var size int64
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			return fileBlob{}, err
		}
		size += int64(len(data))
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return fileBlob{}, err
	}
	d, err := v1.NewHash("sha256:" + hex.EncodeToString(h.Sum(nil)))
	if err != nil {
		return fileBlob{}, err
	}
	return fileBlob{path: f.Name(), digest: d, size: size, mediaType: PackMediaType}, nil
}

// rawManifest is a manifest as the registry takes it.
type rawManifest []byte

func (m rawManifest) RawManifest() ([]byte, error)        { return m, nil }
func (m rawManifest) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }

// ociManifest is the OCI manifest of an entry: its config and blobs, sorted
// by digest.
func ociManifest(config []byte, blobs map[v1.Hash]fileBlob) (rawManifest, error) {
	layers := make([]v1.Descriptor, 0, len(blobs))
	for h, b := range blobs {
		layers = append(layers, v1.Descriptor{MediaType: b.mediaType, Digest: h, Size: b.size})
	}
	sort.Slice(layers, func(i, j int) bool { return layers[i].Digest.Hex < layers[j].Digest.Hex })
	cfgHash, cfgSize, err := v1.SHA256(bytes.NewReader(config))
	if err != nil {
		return nil, err
	}
	m := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1,
		Config: v1.Descriptor{MediaType: EntryMediaType, Digest: cfgHash, Size: cfgSize}, Layers: layers}
	return json.Marshal(m)
}

// Local are files this machine holds by their sha256 (the packages a
// build read): an entry fetched links them instead of downloading them.
// Known recognises them, as it does for a build's verification.
type Local struct {
	Paths map[string]string
	Known store.Known
}

// LocalFiles makes a Local of files held here, by sha256: a file of a
// fetched entry that is a link to one of them is known by its inode.
func LocalFiles(paths map[string]string) Local {
	type id struct{ dev, ino uint64 }
	byInode := map[id]string{}
	for sum, p := range paths {
		if fi, err := os.Stat(p); err == nil {
			if st, ok := fi.Sys().(*syscall.Stat_t); ok {
				byInode[id{uint64(st.Dev), st.Ino}] = sum
			}
		}
	}
	digest := func(_ string, fi fs.FileInfo) (string, bool) {
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return "", false
		}
		sum, ok := byInode[id{uint64(st.Dev), st.Ino}]
		return sum, ok
	}
	return Local{Paths: paths, Known: store.Known{Digest: digest}}
}

// Fetch copies the entry for key from the registry into the local store.
// Every blob is checked against its digest as it is read, and the entry's
// files against its manifest before it is stored: a tampered entry is
// refused, and nothing of it is kept.
func (r *Registry) Fetch(ctx context.Context, s *store.Store, key string, local Local) error {
	if err := r.fetchEntry(ctx, s, key, local); err != nil {
		return fmt.Errorf("fetching %s from the remote store %s: %w", key, r, err)
	}
	return nil
}

func (r *Registry) fetchEntry(ctx context.Context, s *store.Store, key string, local Local) error {
	img, err := remote.Image(r.tag(key), r.reading(ctx)...)
	if err != nil {
		return err
	}
	m, err := img.Manifest()
	if err != nil {
		return err
	}
	if m.Config.MediaType != EntryMediaType {
		return fmt.Errorf("it is not a strata entry (its config is %s)", m.Config.MediaType)
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		return err
	}
	var cfg entryConfig
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return fmt.Errorf("its config: %w", err)
	}
	var pack *v1.Descriptor
	for i, l := range m.Layers {
		if l.MediaType == PackMediaType {
			pack = &m.Layers[i]
		}
	}
	return s.Import(key, []byte(cfg.Metadata), local.Known, func(dir string, listed []manifest.File) error {
		for _, d := range cfg.Dirs {
			if err := files.CheckRelPath(d); err != nil {
				return fmt.Errorf("its directory %q: %w", d, err)
			}
			if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(d)), 0o755); err != nil {
				return err
			}
		}
		inPack := map[string]bool{}
		for _, p := range cfg.Pack {
			inPack[p] = true
		}
		if len(cfg.Pack) > 0 {
			if pack == nil {
				return fmt.Errorf("its config lists packed files, and it has no pack")
			}
			if err := unpack(img, pack.Digest, dir, cfg.Pack, listed); err != nil {
				return err
			}
		}
		return parallel.IO(len(listed), func(i int) error {
			if inPack[listed[i].Path] {
				return nil
			}
			return fetchFile(img, dir, listed[i], local.Paths)
		})
	})
}

// unpack writes the packed files from the pack blob: their sizes, in
// the manifest, cut it up.
func unpack(img v1.Image, digest v1.Hash, dir string, paths []string, listed []manifest.File) error {
	byPath := map[string]manifest.File{}
	for _, f := range listed {
		byPath[f.Path] = f
	}
	l, err := img.LayerByDigest(digest)
	if err != nil {
		return err
	}
	rc, err := l.Compressed()
	if err != nil {
		return err
	}
	defer rc.Close()
	for _, p := range paths {
		f, ok := byPath[p]
		if !ok || f.Link != "" {
			return fmt.Errorf("its pack holds %s, which its manifest does not list as a file", p)
		}
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, os.FileMode(f.Mode&0o7777))
		if err != nil {
			return err
		}
		_, err = io.CopyN(out, rc, f.Size)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s from its pack: %w", f.Path, err)
		}
	}
	// The rest of the pack, if any, is read too: the digest is checked
	// at its end.
	if n, err := io.Copy(io.Discard, rc); err != nil || n != 0 {
		return fmt.Errorf("its pack does not match its files (%d bytes more; %v)", n, err)
	}
	return nil
}

// fetchFile writes one file of an entry from its blob (for a symbolic
// link, from the manifest; for a file held here, by a link to it).
func fetchFile(img v1.Image, dir string, f manifest.File, local map[string]string) error {
	path := filepath.Join(dir, filepath.FromSlash(f.Path))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if f.Link != "" {
		return os.Symlink(f.Link, path)
	}
	if src := local[f.SHA256]; src != "" {
		return files.LinkOrCopy(src, path, os.FileMode(f.Mode&0o7777))
	}
	h, err := v1.NewHash("sha256:" + f.SHA256)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	l, err := img.LayerByDigest(h)
	if err == nil {
		err = writeBlob(l, path, os.FileMode(f.Mode&0o7777))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	return nil
}
