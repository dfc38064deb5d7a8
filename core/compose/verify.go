package compose

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/strata-build/strata/sdk/manifest"
	"github.com/strata-build/strata/sdk/parallel"
)

// Checked is what Verify found in a compose.
type Checked struct {
	// Files and Bytes count what was read again.
	Files int
	Bytes int64
	// Problems name each artifact and file that does not match.
	Problems []string
}

// Verify hashes again every file that the artifacts of the compose in
// dir placed there, against the manifests of the store entries its
// lineage.json names, as ostree fsck checks a repository's objects.
func Verify(dir string, st *store.Store) (*Checked, error) {
	data, err := os.ReadFile(filepath.Join(dir, "compose", "metadata", "lineage.json"))
	if err != nil {
		return nil, err
	}
	var doc struct {
		Payload struct {
			Artifacts map[string]struct {
				Key string `json:"key"`
			} `json:"artifacts"`
		} `json:"payload"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: lineage.json: %w", dir, err)
	}
	c := &Checked{}
	var mu sync.Mutex
	for _, addr := range slices.Sorted(maps.Keys(doc.Payload.Artifacts)) {
		key := doc.Payload.Artifacts[addr].Key
		inst, err := addrs.ParseInstance(addr)
		if err != nil {
			c.Problems = append(c.Problems, fmt.Sprintf("%s: %v", addr, err))
			continue
		}
		e, err := st.Read(key)
		if err != nil {
			c.Problems = append(c.Problems, fmt.Sprintf("%s: its store entry %.12s cannot be read, so its files cannot be checked: %v", addr, key, err))
			continue
		}
		files := placedFiles(dir, Artifact{Addr: inst, Entry: e})
		err = parallel.IO(len(files), func(i int) error {
			if err := store.CheckFile(files[i].path, files[i].f); err != nil {
				mu.Lock()
				c.Problems = append(c.Problems, fmt.Sprintf("%s: compose/%s", addr, err))
				mu.Unlock()
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			c.Files++
			c.Bytes += f.f.Size
		}
	}
	sort.Strings(c.Problems)
	return c, nil
}

type placedFile struct {
	path   string
	f      manifest.File // Path is the file's path under compose/
	pooled bool          // the store holds it in its pool
}

// placedFiles lists where an artifact's files are in the compose in dir.
func placedFiles(dir string, a Artifact) []placedFile {
	var out []placedFile
	for _, pl := range linked(a) {
		for i, f := range a.Entry.Manifest {
			rel, ok := strings.CutPrefix(f.Path, pl.Path)
			switch {
			case pl.Path == "":
				rel = f.Path
			case !ok || rel != "" && rel[0] != '/':
				continue
			}
			f.Path = pl.ComposePath + rel
			if pl.Path == "" {
				f.Path = pl.ComposePath + "/" + rel
			}
			out = append(out, placedFile{path: filepath.Join(dir, "compose", filepath.FromSlash(f.Path)), f: f, pooled: a.Entry.IsPooled(i)})
		}
	}
	return out
}
