// Package oci is strata's built-in artifact type "oci": a container image
// per architecture assembled from the payloads of the selected packages
// (with go-containerregistry, OCI media types), an rpm database of its
// packages at /usr/lib/sysimage/rpm, written as an OCI image layout
// directory and optionally an oci-archive tar. An image with a base
// (base = artifact.oci.X) keeps the base's layers and adds one layer with
// the files of the packages it adds. Several architectures give an image
// index. An image with push set is pushed to its registry after it is
// stored; a failed push is retried by the next apply.
//
// It is built on the SDK alone, like any third-party plugin.
package oci

import "github.com/strata-build/strata/sdk"

// Version is the plugin's version; it is part of every cache key.
const Version = "0.1.1"

// Plugin returns the plugin to serve.
func Plugin() *sdk.Plugin {
	return &sdk.Plugin{Name: "oci", Version: Version, Types: map[string]sdk.Type{"oci": ociType{}}}
}
