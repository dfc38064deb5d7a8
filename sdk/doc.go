// Package sdk is the contract between strata and its artifact plugins.
//
// A plugin is a binary named strata-plugin-<type> whose main function calls
// Serve with a Plugin: a name, a version and the artifact types it builds.
// Each Type reports the schema of its HCL body, validates and plans
// configurations, and builds artifacts into a directory strata gives it.
// strata starts the binary with hashicorp/go-plugin and talks to it over
// gRPC (protocol version ProtocolVersion); Connect is the host's half.
//
// Bytes never cross the wire: packages and upstream artifacts are passed as
// paths, and outputs are written into BuildRequest.OutputDir. When Build
// returns, Serve lists every file it wrote in a manifest (path, size,
// sha256) that strata verifies before it moves the directory into its
// store.
//
// Helpers several plugins need are packages of their own: sdk/rpm reads
// packages, sdk/rootfs assembles root filesystems from their payloads, and
// sdk/sdktest runs a plugin in process for tests.
package sdk
