// Package rootfs assembles a root filesystem from the payloads of RPM
// packages, as rpm would install them without running scriptlets: files,
// directories, symbolic links, hard links, modes, owners and file
// capabilities. The tree is a model in memory with file contents staged on
// disk by digest; writers turn it into a tar stream (WriteTar) for
// tarballs and OCI layers, and other plugins walk it to write their own
// formats.
//
// Nothing is written outside the staging directory, and a symbolic link in
// a package is never followed on disk: paths are resolved inside the model.
package rootfs
