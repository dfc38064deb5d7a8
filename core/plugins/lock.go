package plugins

import (
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// LockFileName is the lock file strata init writes beside the
// configuration.
const LockFileName = ".strata.lock.hcl"

// Locked is what the lock file records of one artifact type's plugin.
type Locked struct {
	Type    string `hcl:"type,label"`
	Plugin  string `hcl:"plugin"`
	Version string `hcl:"version"`
	SHA256  string `hcl:"sha256"`
}

// Lock is the content of the lock file, by artifact type.
type Lock map[string]*Locked

type lockFile struct {
	Plugins []*Locked `hcl:"plugin,block"`
}

// ReadLock reads the lock file of a configuration directory; a missing
// file is an empty lock.
func ReadLock(dir string) (Lock, hcl.Diagnostics) {
	path := filepath.Join(dir, LockFileName)
	if _, err := os.Stat(path); os.IsNotExist(err) {
		return Lock{}, nil
	}
	f, diags := hclparse.NewParser().ParseHCLFile(path)
	if diags.HasErrors() {
		return nil, diags
	}
	var lf lockFile
	if diags := gohcl.DecodeBody(f.Body, nil, &lf); diags.HasErrors() {
		return nil, diags
	}
	l := Lock{}
	for _, p := range lf.Plugins {
		l[p.Type] = p
	}
	return l, nil
}

// Write writes the lock file, sorted by type.
func (l Lock) Write(dir string) error {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	body.AppendUnstructuredTokens(hclwrite.Tokens{{Bytes: []byte("# This file is maintained by \"strata init\". Commit it with the configuration.\n")}})
	types := slices.Sorted(maps.Keys(l))
	for _, t := range types {
		body.AppendNewline()
		b := body.AppendNewBlock("plugin", []string{t}).Body()
		b.SetAttributeValue("plugin", cty.StringVal(l[t].Plugin))
		b.SetAttributeValue("version", cty.StringVal(l[t].Version))
		b.SetAttributeValue("sha256", cty.StringVal(l[t].SHA256))
	}
	tmp := filepath.Join(dir, LockFileName+".tmp")
	if err := os.WriteFile(tmp, f.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, LockFileName))
}
