package yumrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/strata-build/strata/format/repodata"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/kvpack"
	"github.com/strata-build/strata/sdk/parallel"
	"github.com/strata-build/strata/sdk/rpm"
)

// metaVersion changes whenever cached per-package metadata would.
const metaVersion = 2

// entry is one package of a repository.
type entry struct {
	pkg      sdk.Package
	filename string
	href     string
	// meta holds the fragments of a package read for this build; of one
	// the cache held, only what is not a fragment, which are read again
	// from the cache at ref, under key, as the metadata is written.
	meta pkgMeta
	ref  kvpack.Ref
	key  string
}

// pkgMeta is what the repository needs of a package, cached by content:
// its fragments of primary, filelists and other XML, or why it was left
// out. The fragments are views into the package's cache record, so that
// a build holds them once however it got them.
type pkgMeta struct {
	Primary, Filelists, Other []byte
	SourceRPM                 string
	License                   string
	Dropped                   string
}

// chunk is the fragment of one kind of metadata file.
func (m pkgMeta) chunk(kind string) []byte {
	switch kind {
	case "primary":
		return m.Primary
	case "filelists":
		return m.Filelists
	}
	return m.Other
}

// filename is the conventional file name of a package.
func filename(p sdk.Package) string {
	return fmt.Sprintf("%s-%s-%s.%s.rpm", p.Name, p.Version, p.Release, p.Arch)
}

// href places a package under Packages/<first letter>/ as Pungi does.
func href(name string) string {
	r, _ := utf8.DecodeRuneInString(name)
	return "Packages/" + string(unicode.ToLower(r)) + "/" + name
}

// addPackages links the packages into dir, unless strata places them
// (PoolPackages), and reads their metadata, from the cache when a
// package with the same content was read before.
func (b *builder) addPackages(dir string, pkgs []sdk.Package) ([]*entry, error) {
	link := !b.req.PoolPackages
	entries := make([]*entry, len(pkgs))
	made := map[string]bool{}
	for i, p := range pkgs {
		e := &entry{pkg: p, filename: filename(p)}
		e.href = href(e.filename)
		entries[i] = e
		if d := filepath.Dir(filepath.Join(dir, filepath.FromSlash(e.href))); link && !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return nil, err
			}
			made[d] = true
		}
	}
	for i, p := range pkgs {
		entries[i].key = b.metaKey(p, entries[i].href)
	}
	found := make([]bool, len(pkgs))
	b.cache.each(keysOf(entries), func(i int, m pkgMeta, ref kvpack.Ref) {
		found[i], entries[i].ref = true, ref
		if ref.IsZero() {
			entries[i].meta = m
		} else {
			entries[i].meta = pkgMeta{SourceRPM: m.SourceRPM, License: m.License, Dropped: m.Dropped}
		}
	})
	err := parallel.IO(len(pkgs), func(i int) error {
		p, e := pkgs[i], entries[i]
		dst := filepath.Join(dir, filepath.FromSlash(e.href))
		if link {
			if err := files.LinkOrCopy(p.Path, dst, 0o644); err != nil {
				return fmt.Errorf("%s: %w", p.NEVRA(), err)
			}
		}
		if found[i] {
			return nil
		}
		meta, err := b.readMetadata(p, e.href, e.key)
		if err != nil {
			return err
		}
		e.meta = meta
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].filename != entries[j].filename {
			return entries[i].filename < entries[j].filename
		}
		return entries[i].href < entries[j].href
	})
	return entries, nil
}

// keysOf lists the cache keys of entries.
func keysOf(entries []*entry) []string {
	keys := make([]string, len(entries))
	for i, e := range entries {
		keys[i] = e.key
	}
	return keys
}

// fragment returns an entry's fragment of one kind of metadata file,
// read again from the cache through cur when the cache held it. A record
// the pack no longer holds there (another build of this process saved
// it meanwhile) is read again from the package.
func (b *builder) fragment(cur *kvpack.Cursor, e *entry, kind string) ([]byte, error) {
	if e.ref.IsZero() {
		return e.meta.chunk(kind), nil
	}
	if m, ok := b.cache.reread(cur, e.ref, e.key); ok {
		return m.chunk(kind), nil
	}
	m, err := b.readMetadata(e.pkg, e.href, e.key)
	if err != nil {
		return nil, err
	}
	return m.chunk(kind), nil
}

// metaKey is what the cache holds a package's metadata under: its
// content, where the repository places it and what of it is written.
func (b *builder) metaKey(p sdk.Package, href string) string {
	return fmt.Sprintf("%d %s %s %d %d %d", metaVersion, p.SHA256, href, p.Size, p.BuildTime, b.cfg.changelogLimit)
}

// readMetadata reads a package's metadata from its header and keeps it
// in the cache under key.
func (b *builder) readMetadata(p sdk.Package, href, key string) (pkgMeta, error) {
	h, err := rpm.ReadFile(p.Path)
	if err != nil {
		return pkgMeta{}, err
	}
	md := repodata.FromRPM(h, p.SHA256, p.Size, href, p.BuildTime, repodata.Options{ChangelogLimit: b.cfg.changelogLimit})
	chunks, err := md.Chunks()
	dropped := ""
	var ec *repodata.ErrControl
	if errors.As(err, &ec) {
		dropped = err.Error()
	} else if err != nil {
		return pkgMeta{}, err
	}
	return b.cache.put(key, encodeMeta(chunks, md.SourceRPM, md.License, dropped)), nil
}

// nevra is productmd's form: name-epoch:version-release.arch.
func nevra(p sdk.Package) string {
	return fmt.Sprintf("%s-%d:%s-%s.%s", p.Name, p.Epoch, p.Version, p.Release, p.Arch)
}

// srpmNEVRA names a package's source package as productmd does, with the
// binary's epoch.
func srpmNEVRA(p sdk.Package, sourceRPM string) string {
	if p.Arch == "src" || sourceRPM == "" {
		return nevra(p)
	}
	nvr := strings.TrimSuffix(strings.TrimSuffix(sourceRPM, ".rpm"), ".src")
	rel := strings.LastIndexByte(nvr, '-')
	if rel <= 0 {
		return nevra(p)
	}
	ver := strings.LastIndexByte(nvr[:rel], '-')
	if ver <= 0 {
		return nevra(p)
	}
	return fmt.Sprintf("%s-%d:%s.src", nvr[:ver], p.Epoch, nvr[ver+1:])
}
