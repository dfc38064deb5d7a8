// Package yumrepo is strata's built-in artifact type "yumrepo": a flat
// yum repository per architecture holding the artifact's packages under
// Packages/<first letter>/ with repodata as createrepo_c writes it
// (primary, filelists, other, comps group, modules), .treeinfo and
// media.repo, placed in the compose at <Variant>/<arch>/os/. It is built
// on the SDK alone, like any third-party plugin.
package yumrepo

import "github.com/strata-build/strata/sdk"

// Version is the plugin's version; it is part of every cache key.
const Version = "0.2.0"

// Plugin returns the plugin to serve.
func Plugin() *sdk.Plugin {
	return &sdk.Plugin{Name: "yumrepo", Version: Version, Types: map[string]sdk.Type{"yumrepo": yumrepo{}}}
}
