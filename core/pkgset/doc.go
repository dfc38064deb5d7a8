// Package pkgset builds the package universe from a configuration's
// sources (directories of RPMs and yum repositories), resolves groups,
// modules and variants to exact packages per architecture, and checks the
// dependency closure of a package set.
//
// Reading a package header is the expensive part of planning; headers are
// cached by path, size, modification time and inode, so planning an
// unchanged compose costs a stat per package.
package pkgset
