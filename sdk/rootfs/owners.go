package rootfs

import (
	"context"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
)

// resolveOwners gives every entry numeric ids from the tree's own
// /etc/passwd and /etc/group, as rpm resolves owner names against the root
// it installs into. An unknown name becomes root, with the warning rpm
// prints for it.
func (t *Tree) resolveOwners(ctx context.Context) error {
	passwd, group := t.entries["etc/passwd"], t.entries["etc/group"]
	texts := map[*Entry][]byte{}
	err := t.Contents(ctx, func(e *Entry) bool { return e == passwd || e == group }, func(e *Entry, _ []*Entry, r io.Reader) error {
		if e.Size > idMaxSize {
			return fmt.Errorf("%d bytes is too large for a %s file", e.Size, path.Base(e.Path))
		}
		data, err := io.ReadAll(r)
		texts[e] = data
		return err
	})
	if err != nil {
		return err
	}
	users, groups := idMap(texts[passwd]), idMap(texts[group])
	unknownUsers, unknownGroups := map[string]bool{}, map[string]bool{}
	for _, e := range t.entries {
		e.UID = lookupID(users, e.User, unknownUsers)
		e.GID = lookupID(groups, e.Group, unknownGroups)
	}
	for _, kind := range []struct {
		what    string
		unknown map[string]bool
	}{{"user", unknownUsers}, {"group", unknownGroups}} {
		names := make([]string, 0, len(kind.unknown))
		for n := range kind.unknown {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			t.Warnings = append(t.Warnings, fmt.Sprintf("%s %s does not exist - using root", kind.what, n))
		}
	}
	return nil
}

func lookupID(ids map[string]int, name string, unknown map[string]bool) int {
	if name == "" || name == "root" {
		return 0
	}
	if id, ok := ids[name]; ok {
		return id
	}
	unknown[name] = true
	return 0
}

// idMaxSize bounds the passwd and group files read for owners.
const idMaxSize = 64 << 20

// idMap reads the name:x:id lines of a passwd or group file.
func idMap(text []byte) map[string]int {
	ids := map[string]int{}
	for _, line := range strings.Split(string(text), "\n") {
		fields := strings.Split(line, ":")
		if len(fields) < 3 {
			continue
		}
		if id, err := strconv.Atoi(fields[2]); err == nil {
			if _, dup := ids[fields[0]]; !dup {
				ids[fields[0]] = id
			}
		}
	}
	return ids
}
