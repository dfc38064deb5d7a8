// Package store keeps built artifacts and the state of a configuration
// under .strata/ beside it: store/<cache-key>/ holds one artifact's files
// and its entry (manifest, outputs, lineage), immutable once written;
// pool/ holds the package files that repositories' entries list, once
// each, by sha256 (pool.go); state.json maps each artifact address to
// the key it was last built with; a lock file keeps two applies apart.
//
// An artifact is built in tmp/ and renamed into the store only after its
// manifest is verified, so the store never holds half an artifact, and
// state.json is replaced atomically after every artifact, so an apply
// killed at any point leaves what it finished.
package store
