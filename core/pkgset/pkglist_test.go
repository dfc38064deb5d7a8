package pkgset

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/strata-build/strata/sdk/rpm"
)

func listSample() []*Package {
	bash := &Package{Location: "/r/bash.rpm", Name: "bash", Epoch: 2, Version: "5.2", Release: "1.fc41", Arch: "x86_64",
		SHA256: "aa", HeaderSHA256: "bb", BuildTime: -5, HasScriptlets: true, Files: "/usr/bin/bash\n/usr/bin/sh",
		PayloadDigest: "cc", HeaderEnd: 12345, Verified: true, Damaged: "payload cut", SigKey: "0123456789abcdef",
		SourceRPM: "bash-5.2-1.fc41.src.rpm", Size: 1 << 40, FileMTime: -7, FileInode: 1<<64 - 1}
	bash.depList = newDepList([depKinds][]rpm.Dependency{
		provides:    {{Name: "bash", Flags: rpm.SenseEqual, Version: "2:5.2-1.fc41"}, {Name: "/bin/sh"}},
		requires:    {{Name: "(glibc or musl)"}},
		obsoletes:   {{Name: "bash2", Flags: rpm.SenseLess, Version: "5"}},
		conflicts:   {{Name: "zsh-compat"}},
		recommends:  {{Name: "bash-doc"}},
		supplements: {{Name: "(bash and x)"}},
	})
	empty := &Package{Location: "/r/empty.rpm"}
	empty.depList = newDepList([depKinds][]rpm.Dependency{})
	sh := &Package{Location: "/r/sh.rpm", Name: "sh", Arch: "x86_64"}
	sh.depList = newDepList([depKinds][]rpm.Dependency{requires: {{Name: "bash"}}})
	return []*Package{bash, empty, sh}
}

// plain is a package with its dependencies as lists, whatever table
// holds their strings: what two lists of the same packages agree on.
type plain struct {
	Package
	Deps [depKinds][]rpm.Dependency
}

func plainOf(pkgs []*Package) []plain {
	out := make([]plain, len(pkgs))
	for i, p := range pkgs {
		out[i] = plain{Package: *p, Deps: p.lists()}
		out[i].depList = depList{}
	}
	return out
}

// A list gives back every field of every package; the strings that
// repeat are kept once.
func TestPackageListRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sources", "a.pkgs")
	want := listSample()
	if err := writePackageList(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := readPackageList(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plainOf(got), plainOf(want)) {
		t.Fatalf("read back\n%+v\nwant\n%+v", plainOf(got), plainOf(want))
	}
	if got[0].strs != got[2].strs || got[0].count(requires) != 1 || got[0].dep(requires, 0).Name != "(glibc or musl)" {
		t.Errorf("the packages of a list do not share its table, or the first's requires are %v", got[0].lists()[requires])
	}
}

// A list cut anywhere, with a byte changed, or of another version is not
// read: the source is read again, never a wrong package used.
func TestPackageListDamaged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.pkgs")
	if err := writePackageList(path, listSample()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.pkgs")
	try := func(what string, b []byte) {
		t.Helper()
		if err := os.WriteFile(bad, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if pkgs, err := readPackageList(bad); err == nil {
			t.Errorf("%s: read %d packages", what, len(pkgs))
		}
	}
	for n := range len(data) {
		try("cut", data[:n])
	}
	for i := range len(data) {
		b := append([]byte(nil), data...)
		b[i] ^= 0x10
		try("byte changed", b)
	}
	try("another version", append([]byte("strata pkglist\x00\x03"), data[len(listMagic):]...))
	if _, err := readPackageList(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing list read")
	}
}

// Records that passed their checksums but are hostile decode to packages
// or to nothing; never a panic or a string beyond the pool. What decodes
// is written and read again the same.
func FuzzPackageList(f *testing.F) {
	dir := f.TempDir()
	path := filepath.Join(dir, "seed.pkgs")
	if err := writePackageList(path, listSample()); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	poolLen := int(binary.LittleEndian.Uint64(data[len(listMagic):]))
	f.Add(string(data[listHead:listHead+poolLen]), data[listHead+poolLen:])
	f.Add("", []byte{})
	f.Fuzz(func(t *testing.T, pool string, recs []byte) {
		pkgs, ok := decodeList(pool, recs)
		if !ok {
			return
		}
		again := filepath.Join(t.TempDir(), "again.pkgs")
		if err := writePackageList(again, pkgs); err != nil {
			t.Fatal(err)
		}
		back, err := readPackageList(again)
		if err != nil || !reflect.DeepEqual(plainOf(back), plainOf(pkgs)) {
			t.Fatalf("%+v written and read again is %+v (%v)", pkgs, back, err)
		}
	})
}

// A list larger than a block of the writer reads back the same.
func TestPackageListLarge(t *testing.T) {
	var want []*Package
	for i := range 20000 {
		digest := fmt.Sprintf("%064x", i)
		p := &Package{Location: fmt.Sprintf("/r/p%05d.rpm", i), Name: fmt.Sprintf("p%05d", i%5000),
			Version: "1", Release: "1", Arch: "x86_64", SHA256: digest, HeaderSHA256: digest, PayloadDigest: digest,
			FileInode: uint64(i)}
		p.depList = newDepList([depKinds][]rpm.Dependency{requires: {{Name: fmt.Sprintf("lib%d.so.1()(64bit)", i%300)}}})
		want = append(want, p)
	}
	path := filepath.Join(t.TempDir(), "large.pkgs")
	if err := writePackageList(path, want); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() < 2*blockSize {
		t.Fatalf("the list is %v bytes (%v), want more than two blocks", fi.Size(), err)
	}
	got, err := readPackageList(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plainOf(got), plainOf(want)) {
		t.Fatal("a large list read back differs")
	}
}

// lists returns the dependencies as rpm.Dependency lists, by depKind.
func (l *depList) lists() [depKinds][]rpm.Dependency {
	var out [depKinds][]rpm.Dependency
	for k := range depKinds {
		for d := range l.deps(k) {
			out[k] = append(out[k], d)
		}
	}
	return out
}
