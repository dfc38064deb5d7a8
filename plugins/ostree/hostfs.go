package ostree

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/strata-build/strata/plugins/ostree/repo"
	"github.com/strata-build/strata/sdk/rootfs"
)

// node is one path of the committed tree, after the tree of packages is
// adapted for a bootable host.
type node struct {
	path   string
	kind   rootfs.Kind
	uid    uint32
	gid    uint32
	mode   uint32 // permission bits, 07777
	target string
	xattrs []repo.Xattr
	// entry gives a file's content through Tree.Contents; data is the
	// content of a file strata writes itself.
	entry *rootfs.Entry
	data  []byte
}

// host is the adapted tree: nodes by path, the kernels found, warnings.
type host struct {
	nodes    map[string]*node
	kernels  []string
	warnings []string
}

// tmpfilesConf lists what the packages install under /var, which a
// deployment gets empty: systemd-tmpfiles creates it at boot.
const tmpfilesConf = "usr/lib/tmpfiles.d/strata-autovar.conf"

// adapt lays out the assembled tree as rpm-ostree does for a bootable
// host: /etc becomes /usr/etc (the default configuration a deployment
// merges), /var is left empty with its directories and links recorded
// for systemd-tmpfiles, a kernel and initramfs in /boot move to
// /usr/lib/modules/VERSION/, and /sysroot and /ostree are where the
// deployment mounts its physical root.
func adapt(tree *rootfs.Tree) (*host, error) {
	h := &host{nodes: map[string]*node{}}
	var tmpfiles []string
	if e := tree.Lookup("usr/etc"); e != nil {
		return nil, fmt.Errorf("/usr/etc is installed by %s; an ostree commit keeps /etc there", e.Package)
	}
	for _, e := range tree.Entries() {
		if !utf8.ValidString(e.Path) {
			return nil, fmt.Errorf("%q (from %s): ostree stores only UTF-8 file names", "/"+e.Path, e.Package)
		}
		n := &node{path: e.Path, kind: e.Kind, uid: uint32(e.UID), gid: uint32(e.GID), mode: e.Mode, target: e.Target}
		for _, name := range slices.Sorted(maps.Keys(e.Xattrs)) {
			n.xattrs = append(n.xattrs, repo.Xattr{Name: name, Value: e.Xattrs[name]})
		}
		if e.Kind == rootfs.File {
			n.entry = e
		}
		switch p := e.Path; {
		case p == "etc" || strings.HasPrefix(p, "etc/"):
			n.path = "usr/" + p
		case strings.HasPrefix(p, "var/"):
			switch e.Kind {
			case rootfs.Dir:
				tmpfiles = append(tmpfiles, fmt.Sprintf("d /%s %04o %s %s - -", p, e.Mode, e.User, e.Group))
			case rootfs.Symlink:
				tmpfiles = append(tmpfiles, fmt.Sprintf("L /%s - - - - %s", p, e.Target))
			default:
				h.warnings = append(h.warnings, fmt.Sprintf("/%s (from %s) is left out: /var starts empty on an ostree host, and systemd-tmpfiles makes only directories and links there", p, e.Package))
			}
			continue
		case strings.HasPrefix(p, "boot/vmlinuz-") && e.Kind == rootfs.File:
			n.path = "usr/lib/modules/" + strings.TrimPrefix(p, "boot/vmlinuz-") + "/vmlinuz"
		case strings.HasPrefix(p, "boot/initramfs-") && strings.HasSuffix(p, ".img") && e.Kind == rootfs.File:
			n.path = "usr/lib/modules/" + strings.TrimSuffix(strings.TrimPrefix(p, "boot/initramfs-"), ".img") + "/initramfs.img"
		}
		if old := h.nodes[n.path]; old != nil {
			if old.kind == n.kind && n.kind == rootfs.File && old.entry.Digest == n.entry.Digest {
				continue // the same kernel in /boot and /usr/lib/modules
			}
			return nil, fmt.Errorf("/%s is installed by %s and, moved there, by %s", n.path, old.entryPackage(), e.Package)
		}
		h.nodes[n.path] = n
	}
	if len(tmpfiles) > 0 {
		h.add(&node{path: tmpfilesConf, kind: rootfs.File, mode: 0o644,
			data: []byte("# What the packages of this commit install under /var, made at boot.\n" + strings.Join(tmpfiles, "\n") + "\n")})
	}
	if h.nodes["var"] == nil {
		h.add(&node{path: "var", kind: rootfs.Dir, mode: 0o755})
	}
	if h.nodes["sysroot"] == nil {
		h.add(&node{path: "sysroot", kind: rootfs.Dir, mode: 0o755})
	}
	if h.nodes["ostree"] == nil {
		h.add(&node{path: "ostree", kind: rootfs.Symlink, mode: 0o777, target: "sysroot/ostree"})
	}
	for _, p := range slices.Sorted(maps.Keys(h.nodes)) {
		h.add(h.nodes[p]) // the directories above moved files
		rest, ok := strings.CutPrefix(p, "usr/lib/modules/")
		if v, file, _ := strings.Cut(rest, "/"); ok && file == "vmlinuz" && h.nodes[p].kind == rootfs.File {
			h.kernels = append(h.kernels, v)
		}
	}
	sort.Strings(h.kernels)
	for _, k := range h.kernels {
		if h.nodes["usr/lib/modules/"+k+"/initramfs.img"] == nil {
			h.warnings = append(h.warnings, fmt.Sprintf("kernel %s has no initramfs: dracut is a scriptlet, which strata does not run; add an initramfs package or take the boot files from a boot tree", k))
		}
	}
	return h, nil
}

// add places a node strata makes, with the directories above it.
func (h *host) add(n *node) {
	for dir := path.Dir(n.path); dir != "." && h.nodes[dir] == nil; dir = path.Dir(dir) {
		h.nodes[dir] = &node{path: dir, kind: rootfs.Dir, mode: 0o755}
	}
	h.nodes[n.path] = n
}

func (n *node) entryPackage() string {
	if n.entry != nil {
		return n.entry.Package
	}
	return "strata"
}
