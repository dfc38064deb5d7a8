package pkgset

import (
	"errors"
	"sync"

	"github.com/strata-build/strata/sdk/parallel"
)

// Digests completes the file digests of the packages a plan named, once
// their universe is let go (Detach): it hashes the files a build reads,
// and writes what it found into their sources' package lists.
type Digests struct {
	mu sync.Mutex
	// lists are the rpm_dir sources' package lists, by source address.
	lists map[string]string
	// hashed are the packages Hash gave a digest, by package list.
	hashed map[string][]*Package
}

// Digests returns what completes the digests of the universe's packages.
func (u *Universe) Digests() *Digests {
	d := &Digests{lists: map[string]string{}, hashed: map[string][]*Package{}}
	for _, l := range u.lists {
		if l.path != "" {
			d.lists[l.source] = l.path
		}
	}
	return d
}

// Hash computes the sha256 of the package files that loading read only
// the headers of, on the disk workers: an apply hashes what it builds
// from, not the whole universe. A file that changed since it was read is
// an error. Calls may come from several builds at once; they take turns.
func (d *Digests) Hash(pkgs []*Package) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var todo []*Package
	seen := map[*Package]bool{}
	for _, p := range pkgs {
		if p.SHA256() == "" && !seen[p] {
			seen[p] = true
			todo = append(todo, p)
		}
	}
	err := parallel.IO(len(todo), func(i int) error { return hashFile(todo[i]) })
	for _, p := range todo {
		if list := d.lists[p.Source]; list != "" && p.SHA256() != "" {
			d.hashed[list] = append(d.hashed[list], p)
		}
	}
	return err
}

// Save writes the digests Hash computed into the package lists, for the
// next load: each list is read again, as it is now, and written whole.
func (d *Digests) Save() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var errs []error
	for list, hashed := range d.hashed {
		errs = append(errs, saveDigests(list, hashed))
	}
	clear(d.hashed)
	return errors.Join(errs...)
}

// saveDigests sets the digests of hashed in the list at path, where it
// records each one's file as it was hashed. A list that cannot be read
// is left to the next load, which reads its source again.
func saveDigests(path string, hashed []*Package) error {
	pkgs, err := readPackageList(path)
	if err != nil {
		return nil
	}
	byPath := make(map[string]*Package, len(hashed))
	for _, h := range hashed {
		byPath[h.Location] = h
	}
	for _, p := range pkgs {
		h := byPath[p.Location]
		if h == nil || !p.unchanged(stamp{size: h.Size, mtime: h.FileMTime, inode: h.FileInode}) {
			continue
		}
		found := h.detail()
		p.updateDetail(func(x *detail) { x.sha256, x.payloadDigest = found.sha256, found.payloadDigest })
		p.Verified, p.Damaged = h.Verified, h.Damaged
	}
	return writePackageList(path, pkgs)
}
