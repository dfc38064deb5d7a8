// Package repodata reads and writes yum repository metadata: primary,
// filelists and other XML, and repomd.xml, compressed with zstd or gzip
// (read: also xz and bzip2). It writes as createrepo_c does: what each
// field holds and how text is encoded follow createrepo_c's
// src/xml_dump_primary.c, xml_dump_filelists.c, xml_dump_other.c,
// xml_dump.c and parsehdr.c
// (https://github.com/rpm-software-management/createrepo_c/tree/master/src),
// as recorded in strata's format notes (shared/formats/repodata.md); dnf
// reads the result as it reads createrepo_c's. It reads what libsolv's
// repo_rpmmd.c and repo_repomdxml.c read for resolving dependencies.
package repodata
