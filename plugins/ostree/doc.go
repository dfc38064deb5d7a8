// Package ostree is strata's built-in artifact type "ostree": the
// selected packages committed to an archive-mode ostree repository as a
// bootable host tree, laid out as rpm-ostree lays it out (/etc under
// /usr/etc, /var empty and made at boot by systemd-tmpfiles, the rpm
// database at /usr/lib/sysimage/rpm, the kernel under
// /usr/lib/modules/VERSION). Each build starts from the artifact's
// previous repository, so the ref's earlier commit is the parent and
// objects already there are not written again.
//
// The repository format is written by the repo and gvariant packages
// here, held against the real ostree command by their tests. The plugin
// is built on the SDK alone, like any third-party plugin.
package ostree

import "github.com/strata-build/strata/sdk"

// Version is the plugin's version; it is part of every cache key.
const Version = "0.1.0"

// Plugin returns the plugin to serve.
func Plugin() *sdk.Plugin {
	return &sdk.Plugin{Name: "ostree", Version: Version, Types: map[string]sdk.Type{"ostree": ostreeType{}}}
}
