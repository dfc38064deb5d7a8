package compose

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/strata-build/strata/core/store"
	"github.com/strata-build/strata/internal/addrs"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
)

// Info describes the compose.
type Info struct {
	Name, Short, Version, Type, Label string
	Date                              time.Time
	// Variants describe the variants placements name, by uid.
	Variants map[string]Variant
}

// Variant describes a variant for composeinfo.json.
type Variant struct {
	ID, UID, Name, Type string
}

// Artifact is one built artifact to lay out.
type Artifact struct {
	Addr  addrs.Instance
	Entry *store.Entry
	// Files is the directory of its files in the store; PoolPath is
	// where the store's pool holds a file the entry has pooled.
	Files    string
	PoolPath func(sha256 string) string
	// Published is where it was published, and PublishedOutputs what
	// its plugin said of that (an image's pushed digest), if it was.
	Published        string
	PublishedOutputs json.RawMessage
}

// typeSuffixes are productmd's compose id suffixes by compose type.
var typeSuffixes = map[string]string{"production": "", "nightly": ".n", "test": ".t", "ci": ".ci"}

// Result says where a compose is.
type Result struct {
	ID  string
	Dir string
	// Unchanged is set when the newest compose already held exactly these
	// artifacts, so no new one was written.
	Unchanged bool
}

// Write lays out a compose in outDir, unless the newest compose there
// holds the same artifacts. complete says whether every artifact built.
func Write(outDir string, info Info, arts []Artifact, complete bool) (*Result, error) {
	if r := unchanged(outDir, info, arts, complete); r != nil {
		return r, nil
	}
	w, err := Start(outDir)
	if err != nil {
		return nil, err
	}
	for _, a := range arts {
		w.Add(a)
	}
	return w.Finish(info, arts, complete)
}

// unchanged returns the newest compose in outDir when it holds exactly
// arts, complete.
func unchanged(outDir string, info Info, arts []Artifact, complete bool) *Result {
	latest, err := os.Readlink(filepath.Join(outDir, "latest"))
	if err != nil || !complete || !same(filepath.Join(outDir, latest), lineageDoc(info, arts)) {
		return nil
	}
	return &Result{ID: latest, Dir: filepath.Join(outDir, latest), Unchanged: true}
}

// Writer lays out a compose while its artifacts are built: each is
// linked in as soon as it is ready, beside the builds still running,
// and Finish writes the metadata once they are all in. It is for an
// apply that builds something, whose compose cannot be the newest one
// again; Write, for one that does not, looks first.
type Writer struct {
	outDir, tmp string
	tmpLock     *os.File
	wg          sync.WaitGroup
	mu          sync.Mutex
	claimed     map[string]addrs.Instance // compose paths, by the artifact placing files there
	laid        map[addrs.Instance]*layout
}

// layout is an artifact linked in, or being linked in, and how that went.
type layout struct {
	a   Artifact
	err error
}

// Start begins a compose in a temporary directory of outDir, locked for
// as long as the compose is being written, and removes the temporary
// directories of killed applies, which nobody locks.
func Start(outDir string) (*Writer, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	// A new directory is locked before another Start can find it.
	outLock, err := lockPath(outDir, true)
	if err != nil {
		return nil, err
	}
	defer outLock.Close()
	removeStale(outDir)
	tmp, err := os.MkdirTemp(outDir, ".tmp-")
	if err != nil {
		return nil, err
	}
	lock, err := lockPath(tmp, false)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &Writer{outDir: outDir, tmp: tmp, tmpLock: lock, claimed: map[string]addrs.Instance{}, laid: map[addrs.Instance]*layout{}}, nil
}

// Add links an artifact's files into the compose in the background; its
// files may be those of a build still being verified, whose directory
// is then moved into the store. An artifact placing files where another
// added before does is left out until Finish: if both are in the
// compose, that is an error; if the other's build failed, it goes in.
func (w *Writer) Add(a Artifact) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.laid[a.Addr] != nil {
		return
	}
	l := &layout{a: a}
	w.laid[a.Addr] = l
	pls := linked(a)
	for _, pl := range pls {
		if err := files.CheckRelPath(pl.ComposePath); err != nil {
			l.err = fmt.Errorf("%s: compose path: %w", a.Addr, err)
			return
		}
		if prev, dup := w.claimed[pl.ComposePath]; dup {
			l.err = fmt.Errorf("%s and %s both place files in compose/%s", prev, a.Addr, pl.ComposePath)
			return
		}
	}
	for _, pl := range pls {
		w.claimed[pl.ComposePath] = a.Addr
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		err := w.link(a)
		w.mu.Lock()
		l.err = err
		w.mu.Unlock()
	}()
}

// link links an artifact's placements into the compose, its pooled
// files from the pool.
func (w *Writer) link(a Artifact) error {
	pooled := a.Entry.HasPooled()
	for _, pl := range linked(a) {
		err := files.LinkTree(filepath.Join(a.Files, pl.Path), filepath.Join(w.tmp, "compose", pl.ComposePath))
		if err != nil && !(pooled && os.IsNotExist(err)) {
			return fmt.Errorf("laying out %s: %w", a.Addr, err)
		}
	}
	if !pooled {
		return nil
	}
	var from, to []string
	for _, pf := range placedFiles(w.tmp, a) {
		if pf.pooled {
			from, to = append(from, a.PoolPath(pf.f.SHA256)), append(to, pf.path)
		}
	}
	if err := files.LinkFiles(from, to); err != nil {
		return fmt.Errorf("laying out %s: %w", a.Addr, err)
	}
	return nil
}

// drop removes an artifact from the compose, where it placed files;
// no layout may be under way.
func (w *Writer) drop(a Artifact) error {
	for _, pl := range linked(a) {
		if w.claimed[pl.ComposePath] != a.Addr {
			continue
		}
		if err := os.RemoveAll(filepath.Join(w.tmp, "compose", pl.ComposePath)); err != nil {
			return err
		}
		delete(w.claimed, pl.ComposePath)
	}
	delete(w.laid, a.Addr)
	return nil
}

// Abort waits for the layouts under way and removes the compose; after
// Finish it does nothing.
func (w *Writer) Abort() {
	w.wg.Wait()
	os.RemoveAll(w.tmp)
	w.tmpLock.Close()
}

// Finish brings the compose to arts, from the store: an artifact added
// but not listed (its build failed) is removed, one not added, or whose
// layout failed (a build taken from the store instead, its directory
// removed meanwhile) or whose files differ, is laid out again. Then it
// writes the metadata. complete says whether every artifact built.
func (w *Writer) Finish(info Info, arts []Artifact, complete bool) (*Result, error) {
	defer w.Abort()
	sort.Slice(arts, func(i, j int) bool { return arts[i].Addr.Less(arts[j].Addr) })
	// Composes of other configurations may share outDir: the id is chosen
	// and taken under its lock.
	outLock, err := lockPath(w.outDir, true)
	if err != nil {
		return nil, err
	}
	defer outLock.Close()
	// The metadata is written while the last layouts finish.
	id, respin := nextID(w.outDir, info)
	if err := files.CheckName(id); err != nil {
		return nil, fmt.Errorf("compose id: %w", err)
	}
	written := make(chan error, 1)
	go func() { written <- w.writeMetadata(info, arts, id, respin, complete) }()
	err = w.settle(arts)
	if werr := <-written; err == nil {
		err = werr
	}
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(w.outDir, id)
	if err := os.Rename(w.tmp, dir); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	if err := pointLatest(w.outDir, id); err != nil {
		return nil, err
	}
	return &Result{ID: id, Dir: dir}, nil
}

// settle waits for the layouts under way and brings the compose's
// artifacts to arts.
func (w *Writer) settle(arts []Artifact) error {
	w.wg.Wait()
	claims := map[string]addrs.Instance{}
	for _, a := range arts {
		for _, pl := range linked(a) {
			if prev, dup := claims[pl.ComposePath]; dup {
				return fmt.Errorf("%s and %s both place files in compose/%s", prev, a.Addr, pl.ComposePath)
			}
			claims[pl.ComposePath] = a.Addr
		}
	}
	listed := map[addrs.Instance]bool{}
	for _, a := range arts {
		listed[a.Addr] = true
	}
	for addr, l := range w.laid {
		if !listed[addr] {
			if err := w.drop(l.a); err != nil {
				return err
			}
		}
	}
	for _, a := range arts {
		l := w.laid[a.Addr]
		if l != nil && l.err == nil && l.a.Entry.ManifestDigest == a.Entry.ManifestDigest {
			continue
		}
		if l != nil {
			if err := w.drop(l.a); err != nil {
				return err
			}
		}
		w.Add(a)
	}
	w.wg.Wait()
	for _, a := range arts {
		if err := w.laid[a.Addr].err; err != nil {
			return err
		}
	}
	return nil
}

// writeMetadata writes the compose's metadata files for arts.
func (w *Writer) writeMetadata(info Info, arts []Artifact, id string, respin int, complete bool) error {
	status := "FINISHED"
	if !complete {
		status = "FINISHED_INCOMPLETE"
	}
	lin := lineageDoc(info, arts)
	lin.Payload.Compose.ID = id
	linData, err := lin.encode()
	if err != nil {
		return err
	}
	head := composeHeader(info, id, respin)
	files := []struct {
		name    string
		content func() (any, error)
	}{
		{"COMPOSE_ID", func() (any, error) { return id + "\n", nil }},
		{"STATUS", func() (any, error) { return status + "\n", nil }},
		{"compose/metadata/composeinfo.json", func() (any, error) { return composeInfo(info, head, arts), nil }},
		{"compose/metadata/rpms.json", func() (any, error) { return rpmsDoc(head, arts) }},
		{"compose/metadata/images.json", func() (any, error) { return imagesDoc(head, arts), nil }},
		{"compose/metadata/lineage.json", func() (any, error) { return linData, nil }},
	}
	// One after the other, each document let go before the next is made:
	// a compose's lineage and rpms.json are megabytes each, and made at
	// once they raised an apply's peak.
	for _, f := range files {
		content, err := f.content()
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(w.tmp, f.name), content); err != nil {
			return err
		}
	}
	return nil
}

// placements returns where an artifact's parts go; an artifact that says
// nothing goes whole under Path.
func placements(a Artifact) []sdk.Placement {
	if len(a.Entry.Placements) > 0 {
		return a.Entry.Placements
	}
	return []sdk.Placement{{ComposePath: Path(a.Addr), Kind: "other"}}
}

// linked are the placements whose files are linked into the compose:
// one of each path and compose path, since a tree that serves several
// architectures (a source tree) is placed once per architecture.
func linked(a Artifact) []sdk.Placement {
	pls := placements(a)
	out := make([]sdk.Placement, 0, len(pls))
	seen := map[[2]string]bool{}
	for _, pl := range pls {
		if k := [2]string{pl.Path, pl.ComposePath}; !seen[k] {
			seen[k] = true
			out = append(out, pl)
		}
	}
	return out
}

// Path is where an artifact's files go under compose/ when it does not
// place them: a path that contains its type and name, and its key for
// for_each and count.
func Path(a addrs.Instance) string {
	p := filepath.Join(a.Type, a.Name)
	if !a.Key.IsNone() {
		p = filepath.Join(p, fmt.Sprint(a.Key.Value()))
	}
	return p
}

// nextID returns the compose id <short>-<version>-<date><suffix>.<respin>
// with the first respin not yet in outDir, as productmd numbers them.
func nextID(outDir string, info Info) (string, int) {
	base := fmt.Sprintf("%s-%s-%s%s", info.Short, info.Version, info.Date.UTC().Format("20060102"), typeSuffixes[info.Type])
	for respin := 0; ; respin++ {
		id := fmt.Sprintf("%s.%d", base, respin)
		if _, err := os.Lstat(filepath.Join(outDir, id)); os.IsNotExist(err) {
			return id, respin
		}
	}
}

func pointLatest(outDir, id string) error {
	tmp := filepath.Join(outDir, ".latest-"+id)
	os.Remove(tmp)
	if err := os.Symlink(id, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(outDir, "latest"))
}

func writeFile(path string, content any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	switch c := content.(type) {
	case string:
		return os.WriteFile(path, []byte(c), 0o644)
	case []byte:
		return os.WriteFile(path, c, 0o644)
	}
	// An encoder writes what json.MarshalIndent gives and a newline,
	// straight into the file.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "    ")
	if err := enc.Encode(content); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// same reports whether the compose in dir is finished and holds the
// artifacts of lin: whether its lineage.json is the one lin gives under
// that compose's id. Comparing the bytes costs a read; decoding the file
// (megabytes for a repository of tens of thousands of packages) cost
// most of an apply with nothing to build.
func same(dir string, lin *lineage) bool {
	id := filepath.Base(dir)
	if !strings.HasPrefix(id, lin.Payload.Compose.Short+"-"+lin.Payload.Compose.Version+"-") {
		return false
	}
	if status, err := os.ReadFile(filepath.Join(dir, "STATUS")); err != nil || string(status) != "FINISHED\n" {
		return false
	}
	data, err := os.ReadFile(filepath.Join(dir, "compose", "metadata", "lineage.json"))
	if err != nil {
		return false
	}
	lin.Payload.Compose.ID = id
	want, err := lin.encode()
	return err == nil && bytes.Equal(data, want)
}
