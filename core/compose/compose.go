package compose

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
	// Files is the directory of its files in the store.
	Files string
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
	sort.Slice(arts, func(i, j int) bool { return arts[i].Addr.Less(arts[j].Addr) })
	lin := lineageDoc(info, arts)
	if latest, err := os.Readlink(filepath.Join(outDir, "latest")); err == nil && complete {
		if same(filepath.Join(outDir, latest), lin) {
			return &Result{ID: latest, Dir: filepath.Join(outDir, latest), Unchanged: true}, nil
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	id, respin := nextID(outDir, info)
	tmp, err := os.MkdirTemp(outDir, ".tmp-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := layOut(filepath.Join(tmp, "compose"), arts); err != nil {
		return nil, err
	}
	status := "FINISHED"
	if !complete {
		status = "FINISHED_INCOMPLETE"
	}
	lin.Payload.Compose.ID = id
	head := composeHeader(info, id, respin)
	files := map[string]any{
		"COMPOSE_ID":                        id + "\n",
		"STATUS":                            status + "\n",
		"compose/metadata/composeinfo.json": composeInfo(info, head, arts),
		"compose/metadata/rpms.json":        rpmsDoc(head, arts),
		"compose/metadata/images.json":      imagesDoc(head, arts),
		"compose/metadata/lineage.json":     lin,
	}
	for name, content := range files {
		if err := writeFile(filepath.Join(tmp, name), content); err != nil {
			return nil, err
		}
	}
	dir := filepath.Join(outDir, id)
	if err := os.Rename(tmp, dir); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	if err := pointLatest(outDir, id); err != nil {
		return nil, err
	}
	return &Result{ID: id, Dir: dir}, nil
}

// layOut links every artifact, or each of its placements, into the
// compose directory. Two artifacts may not claim one path.
func layOut(composeDir string, arts []Artifact) error {
	claimed := map[string]addrs.Instance{}
	for _, a := range arts {
		for _, pl := range placements(a) {
			if prev, dup := claimed[pl.ComposePath]; dup {
				return fmt.Errorf("%s and %s both place files in compose/%s", prev, a.Addr, pl.ComposePath)
			}
			claimed[pl.ComposePath] = a.Addr
			if err := files.LinkTree(filepath.Join(a.Files, pl.Path), filepath.Join(composeDir, pl.ComposePath)); err != nil {
				return fmt.Errorf("laying out %s: %w", a.Addr, err)
			}
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
	var data []byte
	if s, ok := content.(string); ok {
		data = []byte(s)
	} else {
		var err error
		if data, err = json.MarshalIndent(content, "", "    "); err != nil {
			return err
		}
		data = append(data, '\n')
	}
	return os.WriteFile(path, data, 0o644)
}

// same reports whether the compose in dir holds the artifacts of lin.
func same(dir string, lin *lineage) bool {
	data, err := os.ReadFile(filepath.Join(dir, "compose", "metadata", "lineage.json"))
	if err != nil {
		return false
	}
	var old lineage
	if json.Unmarshal(data, &old) != nil || len(old.Payload.Artifacts) != len(lin.Payload.Artifacts) {
		return false
	}
	for addr, a := range lin.Payload.Artifacts {
		if o, ok := old.Payload.Artifacts[addr]; !ok || o.Key != a.Key || !samePublication(o.Published, a.Published) {
			return false
		}
	}
	return strings.HasPrefix(filepath.Base(dir), lin.Payload.Compose.Short+"-"+lin.Payload.Compose.Version+"-")
}

func samePublication(a, b *published) bool {
	if a == nil || b == nil {
		return a == b
	}
	var ca, cb bytes.Buffer
	return a.To == b.To && json.Compact(&ca, a.Outputs) == nil && json.Compact(&cb, b.Outputs) == nil && bytes.Equal(ca.Bytes(), cb.Bytes())
}
