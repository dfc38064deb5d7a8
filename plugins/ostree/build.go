package ostree

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/strata-build/strata/plugins/ostree/gvariant"
	"github.com/strata-build/strata/plugins/ostree/repo"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/rootfs"
	"github.com/strata-build/strata/sdk/rpmdb"
	"github.com/zclconf/go-cty/cty"
)

func (ostreeType) Build(ctx context.Context, req *sdk.BuildRequest, r sdk.Reporter) (*sdk.BuildResponse, error) {
	c, diags := decode(req.Config, req.Compose)
	if diags.HasErrors() {
		return nil, diags.Err()
	}
	if len(req.Packages) == 0 {
		return nil, fmt.Errorf("%s has no packages: select a variant, modules or packages", req.Address)
	}
	// Three things overlap: linking the previous build's objects in (file
	// system work), writing the rpm database (once the headers are read)
	// and writing the other files' objects (once the repository is there).
	opened := make(chan error, 1)
	var rp *repo.Repo
	var parent string
	go func() {
		var err error
		rp, parent, err = openRepo(filepath.Join(req.OutputDir, repoDir), req.Previous, c.ref)
		opened <- err
	}()
	r.Progress(0, 3, fmt.Sprintf("assembling %d packages", len(req.Packages)))
	headers := rootfs.OpenHeaderCache(req.CacheDir)
	defer headers.Close()
	tree, h, db, err := assemble(ctx, req, headers)
	if err != nil {
		<-opened
		return nil, err
	}
	written := make(chan struct{})
	var dbData []byte
	var dbErr error
	go func() {
		defer close(written)
		dbData, dbErr = writeDB(tree, req.WorkDir)
	}()
	defer func() { <-written }()
	if err := <-opened; err != nil {
		return nil, err
	}
	if err := headers.Save(); err != nil {
		r.Log("warn", fmt.Sprintf("package headers could not be kept (the next commit reads them again): %v", err))
	}
	for _, w := range append(tree.Warnings, h.warnings...) {
		r.Log("warn", w)
	}
	r.Progress(1, 3, "writing objects")
	idx := loadIndex(req.CacheDir, req.Address)
	late := map[*node]func() ([]byte, error){db: func() ([]byte, error) { <-written; return dbData, dbErr }}
	rootTree, rootMeta, err := writeTree(ctx, rp, tree, h, idx, late)
	if err != nil {
		return nil, err
	}
	r.Progress(2, 3, "committing")
	info := repo.CommitInfo{Metadata: metadata(c, req, h), Parent: parent, Subject: c.subject, Body: c.body, Timestamp: uint64(req.Timestamp)}
	obj, err := repo.CommitObject(info, rootTree, rootMeta)
	if err != nil {
		return nil, err
	}
	commit, err := rp.WriteMetadata(repo.Commit, obj)
	if err != nil {
		return nil, err
	}
	if err := rp.SetRef(c.ref, commit); err != nil {
		return nil, err
	}
	if err := rp.WriteSummary(); err != nil {
		return nil, err
	}
	if err := idx.save(); err != nil {
		r.Log("warn", fmt.Sprintf("the content index could not be kept (the next commit reads every payload): %v", err))
	}
	r.Progress(3, 3, "done")
	return &sdk.BuildResponse{Outputs: outputs(c, cty.StringVal(commit))}, nil
}

// openRepo makes the repository at dir, starting from the previous
// build's when there is one, and returns the commit ref points to.
func openRepo(dir string, previous *sdk.Input, ref string) (*repo.Repo, string, error) {
	if previous != nil {
		// Objects never change, and refs and the summary are replaced,
		// not rewritten: linked, the previous build stays as it was.
		if err := files.LinkTree(filepath.Join(previous.Path, repoDir), dir); err != nil {
			return nil, "", fmt.Errorf("the previous build's repository: %w", err)
		}
	}
	rp, err := repo.Init(dir)
	if err != nil {
		return nil, "", err
	}
	parent, _, err := rp.Ref(ref)
	return rp, parent, err
}

// assemble builds the tree of the packages, laid out for an ostree host,
// with the node of the rpm database, whose content writeDB makes.
func assemble(ctx context.Context, req *sdk.BuildRequest, headers *rootfs.HeaderCache) (*rootfs.Tree, *host, *node, error) {
	tree, err := rootfs.AssembleCached(ctx, req.Packages, req.WorkDir, headers)
	if err != nil {
		return nil, nil, nil, err
	}
	e, err := tree.AddFile(rpmdb.Path, strings.NewReader(""), 0o644, req.Timestamp)
	if err != nil {
		return nil, nil, nil, err
	}
	h, err := adapt(tree)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, n := range h.nodes {
		if n.entry == e {
			return tree, h, n, nil
		}
	}
	return nil, nil, nil, fmt.Errorf("/%s has no place in the host tree", rpmdb.Path)
}

// writeDB writes the rpm database of the tree's packages and returns it.
func writeDB(tree *rootfs.Tree, work string) ([]byte, error) {
	path := filepath.Join(work, "rpmdb.sqlite")
	if err := rpmdb.Write(path, tree.Headers()); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
}

// metadata is the commit's metadata: its version, the compose it belongs
// to (without the date: an unchanged commit keeps its checksum from one
// day's compose to the next), the hash of its inputs and its package list
// as rpm-ostree records them, and the kernel of a bootable tree. Strings
// come first, then the rest, as `ostree commit` orders
// --add-metadata-string before --add-metadata.
func metadata(c config, req *sdk.BuildRequest, h *host) repo.Metadata {
	pkgs := append([]sdk.Package(nil), req.Packages...)
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].NEVRA() < pkgs[j].NEVRA() })
	hash := sha256.New()
	fmt.Fprintf(hash, "strata ostree %s\nref %s\nsubject %s\nbody %s\nversion %s\n", Version, c.ref, c.subject, c.body, c.version)
	list := make([]gvariant.Value, len(pkgs))
	for i, p := range pkgs {
		fmt.Fprintf(hash, "%s %s\n", p.NEVRA(), p.SHA256)
		list[i] = gvariant.Tuple(gvariant.String(p.Name), gvariant.Uint64(p.Epoch), gvariant.String(p.Version),
			gvariant.String(p.Release), gvariant.String(p.Arch))
	}
	md := repo.Metadata{
		{Key: "version", Value: gvariant.String(c.version)},
		{Key: "strata.compose", Value: gvariant.String(req.Compose.Short + "-" + req.Compose.Version)},
		{Key: "rpmostree.inputhash", Value: gvariant.String(hex.EncodeToString(hash.Sum(nil)))},
	}
	if len(h.kernels) > 0 {
		md = append(md, repo.MetadataEntry{Key: "ostree.linux", Value: gvariant.String(h.kernels[len(h.kernels)-1])})
	}
	md = append(md, repo.MetadataEntry{Key: "rpmostree.rpmdb.pkglist", Value: gvariant.Array("(stsss)", list...)})
	if len(h.kernels) > 0 {
		md = append(md, repo.MetadataEntry{Key: "ostree.bootable", Value: gvariant.Bool(true)})
	}
	return md
}
