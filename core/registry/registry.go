// Package registry keeps store entries in an OCI registry: a store shared
// by every machine that applies a configuration, and a remote cache of
// builds. An entry is an OCI artifact tagged with its cache key: its
// config is the entry without its files (media type EntryMediaType), and
// each distinct file is a blob by its sha256, so a package shared by many
// entries is stored once and an entry needs no tar round trip.
package registry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Media types of an entry's config, of its files' blobs, and of the pack
// of its small files.
const (
	EntryMediaType types.MediaType = "application/vnd.strata.entry.v1+json"
	FileMediaType  types.MediaType = "application/vnd.strata.file.v1"
	PackMediaType  types.MediaType = "application/vnd.strata.pack.v1"
)

// Registry is a repository of a registry that holds store entries.
type Registry struct {
	repo name.Repository
	// pull and push share one transport each (and its token exchange)
	// across every request: a build moves hundreds of blobs.
	pull, push []remote.Option
	// present are the blobs this process knows the registry holds.
	present sync.Map
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
	base := []remote.Option{remote.WithAuthFromKeychain(authn.DefaultKeychain), remote.WithJobs(4)}
	puller, err := remote.NewPuller(base...)
	if err != nil {
		return nil, err
	}
	pusher, err := remote.NewPusher(base...)
	if err != nil {
		return nil, err
	}
	return &Registry{repo: repo, pull: append(base, remote.Reuse(puller)), push: append(base, remote.Reuse(pusher))}, nil
}

// String names the repository in messages.
func (r *Registry) String() string { return r.repo.String() }

func (r *Registry) tag(key string) name.Tag { return r.repo.Tag(key) }

// reading and writing are the options of a read and of a write.
func (r *Registry) reading(ctx context.Context) []remote.Option {
	return append([]remote.Option{remote.WithContext(ctx)}, r.pull...)
}

func (r *Registry) writing(ctx context.Context) []remote.Option {
	return append([]remote.Option{remote.WithContext(ctx)}, r.push...)
}

// Has reports whether the registry holds the entry for key.
func (r *Registry) Has(ctx context.Context, key string) (bool, error) {
	_, err := remote.Head(r.tag(key), r.reading(ctx)...)
	var te *transport.Error
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &te) && te.StatusCode == http.StatusNotFound:
		return false, nil
	}
	return false, fmt.Errorf("the remote store %s: %w", r, err)
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
