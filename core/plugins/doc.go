// Package plugins finds, verifies and starts the plugin binaries that
// build artifacts. A plugin for artifact type T is a binary named
// strata-plugin-T found in $STRATA_PLUGIN_PATH, ./.strata/plugins,
// ~/.strata/plugins or beside the strata binary. strata init records each
// plugin's version and sha256 in the lock file; a binary whose checksum
// differs from the lock is refused before it runs.
package plugins
