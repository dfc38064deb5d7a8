package rootfs

import (
	"context"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// resolveOwners gives every entry numeric ids from the tree's own
// /etc/passwd and /etc/group, as rpm resolves owner names against the root
// it installs into. An unknown name becomes root, with the warning rpm
// prints for it, and, as rpm does, loses its setuid (an unknown user) or
// setgid (an unknown group) bit: a file would otherwise run as root that
// its package meant to run as someone else.
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
	unknownUsers, unknownGroups := map[string][]string{}, map[string][]string{}
	for _, e := range t.entries {
		var known bool
		if e.UID, known = lookupID(users, e.User); !known {
			unknownUsers[e.User] = clearBit(e, 0o4000, unknownUsers[e.User])
		}
		if e.GID, known = lookupID(groups, e.Group); !known {
			unknownGroups[e.Group] = clearBit(e, 0o2000, unknownGroups[e.Group])
		}
	}
	t.warnUnknown("user", "setuid", unknownUsers)
	t.warnUnknown("group", "setgid", unknownGroups)
	return nil
}

// clearBit clears a setuid or setgid bit of e, adding its path to cleared
// when it was set.
func clearBit(e *Entry, bit uint32, cleared []string) []string {
	if e.Mode&bit != 0 {
		e.Mode &^= bit
		cleared = append(cleared, e.Path)
	}
	return cleared
}

// warnUnknown warns of each unknown owner name, as rpm does, and of the
// files whose setuid or setgid bit it cleared for it.
func (t *Tree) warnUnknown(what, bit string, unknown map[string][]string) {
	names := slices.Sorted(maps.Keys(unknown))
	for _, n := range names {
		w := fmt.Sprintf("%s %s does not exist - using root", what, n)
		if paths := unknown[n]; len(paths) > 0 {
			sort.Strings(paths)
			w += fmt.Sprintf("; the %s bit of /%s is cleared, as rpm does", bit, strings.Join(paths, ", /"))
		}
		t.Warnings = append(t.Warnings, w)
	}
}

// lookupID returns the id of an owner name and whether the tree knows it;
// an unknown name is root.
func lookupID(ids map[string]int, name string) (int, bool) {
	if name == "" || name == "root" {
		return 0, true
	}
	id, ok := ids[name]
	return id, ok
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
