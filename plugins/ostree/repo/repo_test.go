package repo

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-build/strata/plugins/ostree/gvariant"
	"github.com/strata-build/strata/sdk/sdktest"
)

// ValidateRef agrees with ostree on which ref names it accepts.
func TestValidateRefAgreesWithOstree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo")
	sdktest.Run(t, "ostree", "init", "--repo="+dir, "--mode=archive")
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := DirTreeObject(nil, nil)
	rootTree, err := r.WriteMetadata(DirTree, tree)
	if err != nil {
		t.Fatal(err)
	}
	rootMeta, err := r.WriteMetadata(DirMeta, DirMetaObject(0, 0, 0o40755, nil))
	if err != nil {
		t.Fatal(err)
	}
	obj, err := CommitObject(CommitInfo{Subject: "empty", Timestamp: 1}, rootTree, rootMeta)
	if err != nil {
		t.Fatal(err)
	}
	commit, err := r.WriteMetadata(Commit, obj)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"fedora/41/x86_64/atomic-host", "a", "_x", "a.b-c_d", "1/2",
		"", "/a", "a/", "a//b", ".a", "-a", "a/.b", "a b", "ä", "名前/41", "a\tb", "a/../b"} {
		err := exec.Command("ostree", "refs", "--repo="+dir, "--create="+ref, commit).Run()
		if theirs, ours := err == nil, ValidateRef(ref) == nil; theirs != ours {
			t.Errorf("ref %q: ostree accepts it: %v, ValidateRef: %v", ref, theirs, ours)
		}
	}
	sdktest.Run(t, "ostree", "fsck", "--repo="+dir)
}

// Open refuses a repository in a mode whose objects are stored otherwise.
func TestOpenRefusesOtherModes(t *testing.T) {
	for _, mode := range []string{"bare", "bare-user", "bare-user-only"} {
		dir := filepath.Join(t.TempDir(), "repo")
		sdktest.Run(t, "ostree", "init", "--repo="+dir, "--mode="+mode)
		if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "the repository is in mode "+mode) {
			t.Errorf("%s: %v", mode, err)
		}
	}
	if _, err := Open(t.TempDir()); err == nil || !strings.Contains(err.Error(), "is not an ostree repository") {
		t.Errorf("an empty directory: %v", err)
	}
}

// Content objects of every kind pass ostree's fsck and read back.
func TestContentObjects(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo")
	r, err := Init(dir)
	if err != nil {
		t.Fatal(err)
	}
	w := r.Content()
	var large strings.Builder // compressed in pieces on several cores
	for i := 0; large.Len() < 3*pieceSize+pieceSize/2; i++ {
		fmt.Fprintf(&large, "row %d of a database, %x\n", i, i*i*2654435761)
	}
	var files []TreeFile
	for name, f := range map[string]struct {
		meta    FileMeta
		content string
	}{
		"empty":   {FileMeta{Mode: 0o100644}, ""},
		"setuid":  {FileMeta{Mode: 0o104755, UID: 2, GID: 4}, "#!/bin/sh\n"},
		"caps":    {FileMeta{Mode: 0o100755, Xattrs: []Xattr{{"security.capability", []byte{1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}}}, "ELF"},
		"link":    {FileMeta{Mode: 0o120777, Target: "setuid"}, ""},
		"big.txt": {FileMeta{Mode: 0o100644}, strings.Repeat("a line of text\n", 100000)},
		"large":   {FileMeta{Mode: 0o100644}, large.String()},
	} {
		var content []byte
		if f.content != "" {
			content = []byte(f.content)
		}
		sum, err := w.Write(f.meta, content)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files = append(files, TreeFile{Name: name, Checksum: sum})
	}
	tree, err := DirTreeObject(files, nil)
	if err != nil {
		t.Fatal(err)
	}
	rootTree, _ := r.WriteMetadata(DirTree, tree)
	rootMeta, _ := r.WriteMetadata(DirMeta, DirMetaObject(0, 0, 0o40755, nil))
	md := Metadata{{Key: "version", Value: gvariant.String("1")}}
	obj, _ := CommitObject(CommitInfo{Metadata: md, Subject: "files", Timestamp: 1700000000}, rootTree, rootMeta)
	commit, err := r.WriteMetadata(Commit, obj)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SetRef("test", commit); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteSummary(); err != nil {
		t.Fatal(err)
	}
	sdktest.Run(t, "ostree", "fsck", "--repo="+dir)
	ls := sdktest.Run(t, "ostree", "ls", "--repo="+dir, "test")
	for _, want := range []string{"-00644 0 0      0 /empty", "-04755 2 4     10 /setuid", "l00777 0 0      0 /link -> setuid", "-00644 0 0 1500000 /big.txt"} {
		if !strings.Contains(ls, want) {
			t.Errorf("ostree ls lacks %q:\n%s", want, ls)
		}
	}
	if cat := sdktest.Run(t, "ostree", "cat", "--repo="+dir, "test", "/setuid"); cat != "#!/bin/sh\n" {
		t.Errorf("ostree cat /setuid = %q", cat)
	}
	if cat := sdktest.Run(t, "ostree", "cat", "--repo="+dir, "test", "/large"); cat != large.String() {
		t.Errorf("ostree cat /large gives %d bytes, not the %d written", len(cat), large.Len())
	}
	if err := r.SetRef("test", strings.Repeat("0", 64)); err == nil {
		t.Error("SetRef accepted a commit the repository lacks")
	}
}
