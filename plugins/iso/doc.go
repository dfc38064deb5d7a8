// Package iso is strata's built-in artifact type "iso": an installer
// disc image holding a yum repository (a DVD) or an ostree repository
// with the kickstart that installs it, with .treeinfo, .discinfo and
// media.repo as Anaconda reads them, bootable from BIOS and UEFI when it
// is given a boot tree, its MD5 implanted as implantisomd5 does, and a
// CHECKSUM file as Fedora publishes beside it.
//
// The image is written by the iso9660 package here, in one pass; the
// plugin is built on the SDK alone, like any third-party plugin.
package iso

import "github.com/strata-build/strata/sdk"

// Version is the plugin's version; it is part of every cache key.
const Version = "0.1.0"

// Plugin returns the plugin to serve.
func Plugin() *sdk.Plugin {
	return &sdk.Plugin{Name: "iso", Version: Version, Types: map[string]sdk.Type{"iso": isoType{}}}
}
