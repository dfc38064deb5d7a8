package iso

import (
	"fmt"
	"regexp"
	"strings"
)

// discMount is where Anaconda mounts the disc it was started from.
const discMount = "/run/install/repo"

// osnamePattern is what ostree accepts as a stateroot and remote name.
var osnamePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

// kickstart is the ks.cfg of an ostree installer: the user's commands,
// then the ostreesetup that deploys the commit from the disc's
// repository.
func kickstart(user, osname, ref string) []byte {
	var b strings.Builder
	if user != "" {
		b.WriteString(strings.TrimRight(user, "\n") + "\n")
	}
	fmt.Fprintf(&b, "ostreesetup --osname=%s --remote=%s --url=file://%s/ostree/repo --ref=%s --nogpg\n", osname, osname, discMount, ref)
	return []byte(b.String())
}
