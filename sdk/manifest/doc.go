// Package manifest lists what a built artifact holds: every file with its
// size, permission bits and sha256, every symbolic link with its target.
// A plugin receives its inputs' manifests; strata records one for every
// build and checks the files against it whenever it reuses them.
//
// ScanLinked and Linked serve builds that hard-link tens of thousands of
// files from ones already hashed (packages, a previous build): those are
// recognised by inode and not read again.
package manifest
