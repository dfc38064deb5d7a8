// Package builtin lists the artifact types the strata binary carries.
// They are plugins like any other, built on the SDK alone; strata starts
// itself as their plugin process ("strata plugin TYPE").
package builtin

import (
	"github.com/strata-build/strata/plugins/iso"
	"github.com/strata-build/strata/plugins/oci"
	"github.com/strata-build/strata/plugins/ostree"
	"github.com/strata-build/strata/plugins/yumrepo"
	"github.com/strata-build/strata/sdk"
)

// Plugins are the built-in plugins by artifact type.
var Plugins = map[string]func() *sdk.Plugin{
	"iso":     iso.Plugin,
	"oci":     oci.Plugin,
	"ostree":  ostree.Plugin,
	"yumrepo": yumrepo.Plugin,
}

// Versions maps each built-in type to its plugin's version.
func Versions() map[string]string {
	out := map[string]string{}
	for typ, p := range Plugins {
		out[typ] = p().Version
	}
	return out
}
