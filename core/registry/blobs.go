package registry

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/strata-build/strata/sdk/files"
)

// PushBlob puts a file into the registry as a blob by its sha256 (hex),
// unless the registry holds it already: a package a remote build needs,
// or a binary it runs.
func (r *Registry) PushBlob(ctx context.Context, path, sha256 string, size int64) error {
	if _, ok := r.present.Load(sha256); ok {
		return nil
	}
	h, err := v1.NewHash("sha256:" + sha256)
	if err != nil {
		return err
	}
	if err := r.pushLayer(ctx, fileBlob{path: path, digest: h, size: size, mediaType: FileMediaType}); err != nil {
		return fmt.Errorf("pushing %s to the remote store %s: %w", filepath.Base(path), r, err)
	}
	return nil
}

// pushLayer puts a blob into the registry unless it holds it.
func (r *Registry) pushLayer(ctx context.Context, c partial.CompressedLayer) error {
	l, err := partial.CompressedToLayer(c)
	if err != nil {
		return err
	}
	d, err := l.Digest()
	if err != nil {
		return err
	}
	if err := remote.WriteLayer(r.repo, l, r.writing(ctx)...); err != nil {
		return err
	}
	r.present.Store(d.Hex, true)
	return nil
}

// FetchBlob writes the blob with the sha256 (hex) to path, checking it
// against the digest as it is read; on any error path is not left.
func (r *Registry) FetchBlob(ctx context.Context, sha256, path string, mode os.FileMode) error {
	l, err := remote.Layer(r.repo.Digest("sha256:"+sha256), r.reading(ctx)...)
	if err == nil {
		err = writeBlob(l, path, mode)
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("fetching blob %.12s from the remote store %s: %w", sha256, r, err)
	}
	r.present.Store(sha256, true)
	return nil
}

// writeBlob writes a blob to path, read whole: its digest is checked at
// its end.
func writeBlob(l v1.Layer, path string, mode os.FileMode) error {
	rc, err := l.Compressed()
	if err != nil {
		return err
	}
	defer rc.Close()
	return files.WriteFrom(path, rc, mode)
}

// fileBlob is a blob held in a local file.
type fileBlob struct {
	path      string
	digest    v1.Hash
	size      int64
	mediaType types.MediaType
}

func (b fileBlob) Digest() (v1.Hash, error)            { return b.digest, nil }
func (b fileBlob) Compressed() (io.ReadCloser, error)  { return os.Open(b.path) }
func (b fileBlob) Size() (int64, error)                { return b.size, nil }
func (b fileBlob) MediaType() (types.MediaType, error) { return b.mediaType, nil }
