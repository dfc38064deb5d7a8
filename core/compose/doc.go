// Package compose assembles a compose tree from the store: every artifact
// hard-linked under compose/, the metadata productmd tools read
// (composeinfo.json) with strata's lineage.json, COMPOSE_ID and STATUS,
// in out/<compose-id>/ with out/latest pointing at the newest.
package compose
