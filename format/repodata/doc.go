// Package repodata writes yum repository metadata as createrepo_c does:
// primary, filelists and other XML, repomd.xml, compressed with zstd or
// gzip. What each field holds and how text is encoded follow
// createrepo_c's xml_dump*.c and parsehdr.c, as recorded in strata's
// format notes (shared/formats/repodata.md); dnf reads the result as it
// reads createrepo_c's.
package repodata
