// Package rootfs assembles a root filesystem from the payloads of RPM
// packages, as rpm would install them without running scriptlets: files,
// directories, symbolic links, hard links, modes, owners and file
// capabilities. The tree is a model in memory built from the package
// headers; file contents stay in the payloads until a writer streams them
// (Tree.Contents reads each needed payload once, in a fixed order), so a
// layer of a few added packages reads only their payloads. WriteTar turns
// the tree into a tar stream for tarballs and OCI layers; other plugins
// walk Entries and Contents to write their own formats.
//
// Nothing is written outside the work directory, and a symbolic link in a
// package is never followed on disk: paths are resolved inside the model.
package rootfs
