// Package registry keeps store entries in an OCI registry: a store shared
// by every machine that applies a configuration, and a remote cache of
// builds. An entry is an OCI artifact tagged with its cache key: its
// config is the entry without its files (media type EntryMediaType), and
// each distinct file is a blob by its sha256, so a package shared by many
// entries is stored once and an entry needs no tar round trip.
package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/parallel"
)

// Media types of an entry's config and of its files' blobs.
const (
	EntryMediaType types.MediaType = "application/vnd.strata.entry.v1+json"
	FileMediaType  types.MediaType = "application/vnd.strata.file.v1"
)

// Registry is a repository of a registry that holds store entries.
type Registry struct {
	repo name.Repository
	opts []remote.Option
}

// Open names the repository; credentials come from the Docker config as
// docker and skopeo find them. Nothing is asked of the registry yet.
func Open(repository string, insecure bool) (*Registry, error) {
	var nopts []name.Option
	if insecure {
		nopts = append(nopts, name.Insecure)
	}
	repo, err := name.NewRepository(repository, nopts...)
	if err != nil {
		return nil, err
	}
	return &Registry{repo: repo, opts: []remote.Option{remote.WithAuthFromKeychain(authn.DefaultKeychain), remote.WithJobs(4)}}, nil
}

// String names the repository in messages.
func (r *Registry) String() string { return r.repo.String() }

func (r *Registry) tag(key string) name.Tag { return r.repo.Tag(key) }

func (r *Registry) with(ctx context.Context) []remote.Option {
	return append([]remote.Option{remote.WithContext(ctx)}, r.opts...)
}

// Has reports whether the registry holds the entry for key.
func (r *Registry) Has(ctx context.Context, key string) (bool, error) {
	_, err := remote.Head(r.tag(key), r.with(ctx)...)
	var te *transport.Error
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &te) && te.StatusCode == http.StatusNotFound:
		return false, nil
	}
	return false, fmt.Errorf("the remote store %s: %w", r, err)
}

// Push copies the entry for key from the local store to the registry:
// the blobs it lacks, then the manifest, tagged with the key.
func (r *Registry) Push(ctx context.Context, s *store.Store, key string) error {
	meta, err := s.Metadata(key)
	if err != nil {
		return err
	}
	e, err := s.Read(key)
	if err != nil {
		return err
	}
	core, err := newEntryImage(meta, e.Manifest, s.FilesPath(key))
	if err != nil {
		return err
	}
	img, err := partial.CompressedToImage(core)
	if err != nil {
		return err
	}
	if err := remote.Write(r.tag(key), img, r.with(ctx)...); err != nil {
		return fmt.Errorf("pushing %s to the remote store %s: %w", key, r, err)
	}
	return nil
}

// Fetch copies the entry for key from the registry into the local store.
// Every blob is checked against its digest as it is read, and the entry's
// files against its manifest before it is stored: a tampered entry is
// refused, and nothing of it is kept.
func (r *Registry) Fetch(ctx context.Context, s *store.Store, key string) error {
	img, err := remote.Image(r.tag(key), r.with(ctx)...)
	if err != nil {
		return fmt.Errorf("fetching %s from the remote store %s: %w", key, r, err)
	}
	m, err := img.Manifest()
	if err != nil {
		return fmt.Errorf("fetching %s from the remote store %s: %w", key, r, err)
	}
	if m.Config.MediaType != EntryMediaType {
		return fmt.Errorf("%s in the remote store %s is not a strata entry (its config is %s)", key, r, m.Config.MediaType)
	}
	meta, err := img.RawConfigFile()
	if err != nil {
		return fmt.Errorf("fetching %s from the remote store %s: %w", key, r, err)
	}
	err = s.Import(key, meta, func(dir string, files []sdk.ManifestFile) error {
		return parallel.IO(len(files), func(i int) error { return fetchFile(img, dir, files[i]) })
	})
	if err != nil {
		return fmt.Errorf("fetching from the remote store %s: %w", r, err)
	}
	return nil
}

// fetchFile writes one file of an entry from its blob (or, for a
// symbolic link, from the manifest).
func fetchFile(img v1.Image, dir string, f sdk.ManifestFile) error {
	path := filepath.Join(dir, filepath.FromSlash(f.Path))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if f.Link != "" {
		return os.Symlink(f.Link, path)
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

// entryImage is an entry as an OCI artifact: its metadata as the config,
// its distinct files as blobs.
type entryImage struct {
	config   []byte
	manifest []byte
	blobs    map[v1.Hash]fileBlob
}

func newEntryImage(config []byte, files []sdk.ManifestFile, dir string) (*entryImage, error) {
	img := &entryImage{config: config, blobs: map[v1.Hash]fileBlob{}}
	for _, f := range files {
		if f.Link != "" {
			continue
		}
		h, err := v1.NewHash("sha256:" + f.SHA256)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		img.blobs[h] = fileBlob{path: filepath.Join(dir, filepath.FromSlash(f.Path)), digest: h, size: f.Size}
	}
	layers := make([]v1.Descriptor, 0, len(img.blobs))
	for h, b := range img.blobs {
		layers = append(layers, v1.Descriptor{MediaType: FileMediaType, Digest: h, Size: b.size})
	}
	sort.Slice(layers, func(i, j int) bool { return layers[i].Digest.Hex < layers[j].Digest.Hex })
	cfgHash, cfgSize, err := v1.SHA256(bytes.NewReader(config))
	if err != nil {
		return nil, err
	}
	m := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1,
		Config: v1.Descriptor{MediaType: EntryMediaType, Digest: cfgHash, Size: cfgSize}, Layers: layers}
	if img.manifest, err = json.Marshal(m); err != nil {
		return nil, err
	}
	return img, nil
}

func (i *entryImage) RawConfigFile() ([]byte, error)      { return i.config, nil }
func (i *entryImage) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }
func (i *entryImage) RawManifest() ([]byte, error)        { return i.manifest, nil }

func (i *entryImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	if b, ok := i.blobs[h]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("the entry has no file %s", h)
}

// fileBlob is one file of an entry, read from the local store.
type fileBlob struct {
	path   string
	digest v1.Hash
	size   int64
}

func (b fileBlob) Digest() (v1.Hash, error)            { return b.digest, nil }
func (b fileBlob) Compressed() (io.ReadCloser, error)  { return os.Open(b.path) }
func (b fileBlob) Size() (int64, error)                { return b.size, nil }
func (b fileBlob) MediaType() (types.MediaType, error) { return FileMediaType, nil }

// PushBlob puts a file into the registry as a blob by its sha256 (hex),
// unless the registry holds it already: a package a remote build needs,
// or a binary it runs.
func (r *Registry) PushBlob(ctx context.Context, path, sha256 string, size int64) error {
	h, err := v1.NewHash("sha256:" + sha256)
	if err != nil {
		return err
	}
	l, err := partial.CompressedToLayer(fileBlob{path: path, digest: h, size: size})
	if err != nil {
		return err
	}
	if err := remote.WriteLayer(r.repo, l, r.with(ctx)...); err != nil {
		return fmt.Errorf("pushing %s to the remote store %s: %w", filepath.Base(path), r, err)
	}
	return nil
}

// FetchBlob writes the blob with the sha256 (hex) to path, checking it
// against the digest as it is read; on any error path is not left.
func (r *Registry) FetchBlob(ctx context.Context, sha256, path string, mode os.FileMode) error {
	l, err := remote.Layer(r.repo.Digest("sha256:"+sha256), r.with(ctx)...)
	if err == nil {
		err = writeBlob(l, path, mode)
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("fetching blob %.12s from the remote store %s: %w", sha256, r, err)
	}
	return nil
}

func writeBlob(l v1.Layer, path string, mode os.FileMode) error {
	rc, err := l.Compressed()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, rc); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// BlobURL is where the registry serves a blob over HTTP(S), for clients
// that fetch by URL and check the digest themselves (a Nomad artifact).
func (r *Registry) BlobURL(sha256 string) string {
	return fmt.Sprintf("%s://%s/v2/%s/blobs/sha256:%s", r.repo.Registry.Scheme(), r.repo.RegistryStr(), r.repo.RepositoryStr(), sha256)
}

// Repository names the repository as Open took it, with whether it is
// served over plain HTTP.
func (r *Registry) Repository() (string, bool) {
	return r.repo.Name(), r.repo.Registry.Scheme() == "http"
}
