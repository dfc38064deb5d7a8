// Package addrs names the things a strata configuration declares: blocks
// (module.gnome, artifact.oci.base) and artifact instances
// (artifact.yumrepo.os["server"]). Addresses are the vocabulary the
// loader, the graph, the plan and the state share.
package addrs
