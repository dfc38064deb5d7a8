// Command strata-plugin-tarball is a strata plugin written as a third party
// writes one: it imports only strata's SDK. Its artifact type, tarball,
// writes a reproducible root filesystem archive (.tar.gz) of the payloads
// of its packages.
//
// Build it into a directory strata searches for plugins:
//
//	go build -o ~/.strata/plugins/strata-plugin-tarball .
package main

import (
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/serve"
)

// version is part of every cache key: bump it when the output changes.
const version = "1.0.0"

func main() {
	serve.Plugin(&sdk.Plugin{
		Name:    "tarball",
		Version: version,
		Types:   map[string]sdk.Type{"tarball": tarball{}},
	})
}
