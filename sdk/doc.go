// Package sdk is what a plugin author needs to add an artifact type to
// strata: the Type interface, the requests strata sends and the responses
// a type returns, the schema of its HCL body and the diagnostics it
// reports.
//
// A plugin is a binary named strata-plugin-<name> whose main function
// hands a Plugin (a name, a version, the artifact types it builds) to
// serve.Plugin:
//
//	func main() {
//		serve.Plugin(&sdk.Plugin{Name: "tarball", Version: "1.0.0",
//			Types: map[string]sdk.Type{"tarball": tarball{}}})
//	}
//
// Each Type reports its schema, validates and plans configurations, and
// builds artifacts into the directory strata gives it. Bytes never cross
// the wire: packages and upstream artifacts are passed as paths, and
// outputs are written into BuildRequest.OutputDir. When Build returns,
// serve lists every file it wrote in a manifest (package manifest) that
// strata verifies before it moves the directory into its store.
//
// Packages beside this one:
//   - sdk/serve runs a plugin; sdk/sdktest runs one in process for tests
//     and writes real packages for them.
//   - sdk/rpm reads packages, sdk/rootfs assembles root filesystems from
//     their payloads, sdk/rpmdb writes the rpm database of one.
//   - sdk/manifest lists what an artifact holds; sdk/files, sdk/parallel
//     and sdk/kvpack are the file, concurrency and cache helpers strata's
//     own plugins share.
//   - sdk/host is strata's side of the protocol; a plugin never imports it.
package sdk
