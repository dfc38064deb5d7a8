package pkgset

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk/rpm"
)

func listSample() []*Package {
	bash := &Package{Location: "/r/bash.rpm", Name: "bash", Epoch: 2, Version: "5.2", Release: "1.fc41", Arch: "x86_64",
		BuildTime: -5, HasScriptlets: true, HeaderEnd: 12345, Verified: true, Damaged: "payload cut", SigKey: "0123456789abcdef",
		SourceRPM: "bash-5.2-1.fc41.src.rpm", Size: 1 << 40, FileMTime: -7, FileInode: 1<<64 - 1}
	bash.setDetail(detail{sha256: "aa", headerSHA256: "bb", files: "/usr/bin/bash\n/usr/bin/sh", payloadDigest: "cc"})
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

// writeSample writes listSample to a list in a directory of its own and
// returns the list's path and bytes.
func writeSample(tb testing.TB) (string, []byte) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "a.pkgs")
	if err := writePackageList(path, listSample()); err != nil {
		tb.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return path, data
}

// plain is a package's fields, with its detail and dependencies as
// values, wherever they are held: what two lists of the same packages
// agree on.
type plain struct {
	Strings [8]string
	Numbers [6]int64
	Flags   [2]bool
	Detail  detail
	Deps    [depKinds][]rpm.Dependency
}

func plainOf(pkgs []*Package) []plain {
	out := make([]plain, len(pkgs))
	for i, p := range pkgs {
		for j, s := range listStrings(p) {
			out[i].Strings[j] = *s
		}
		out[i].Numbers = [6]int64{p.HeaderEnd, int64(p.Epoch), p.BuildTime, p.Size, p.FileMTime, int64(p.FileInode)}
		out[i].Flags = [2]bool{p.HasScriptlets, p.Verified}
		out[i].Detail, out[i].Deps = *p.detail(), p.lists()
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
	path, data := writeSample(t)
	dir := filepath.Dir(path)
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
	try("another version", append([]byte("strata pkglist\x00\x02"), data[len(listMagic):]...))
	if _, err := readPackageList(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing list read")
	}
}

// Records and details that passed their checksums but are hostile decode
// to packages or to nothing; never a panic or a string beyond the pool.
// A detail that cannot be read is empty and an error of the list. What
// decodes is written and read again the same.
func FuzzPackageList(f *testing.F) {
	_, data := writeSample(f)
	poolLen := int(binary.LittleEndian.Uint64(data[len(listMagic):]))
	detailsLen := int(binary.LittleEndian.Uint64(data[len(listMagic)+8:]))
	pool, details := data[listHead:listHead+poolLen], data[listHead+poolLen:listHead+poolLen+detailsLen]
	f.Add(string(pool), details, data[listHead+poolLen+detailsLen:])
	f.Add("", []byte{}, []byte{})
	f.Fuzz(func(t *testing.T, pool string, details, recs []byte) {
		file := filepath.Join(t.TempDir(), "details")
		if err := os.WriteFile(file, details, 0o644); err != nil {
			t.Fatal(err)
		}
		df, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer df.Close()
		pkgs, ok := decodeList(pool, bytes.NewReader(recs), uint64(len(recs)), &listFile{f: df}, uint64(len(details)))
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

// A list larger than the buffers and chunks its writer and reader go
// through reads back the same.
func TestPackageListLarge(t *testing.T) {
	var want []*Package
	for i := range 20000 {
		digest := fmt.Sprintf("%064x", i)
		p := &Package{Location: fmt.Sprintf("/r/p%05d.rpm", i), Name: fmt.Sprintf("p%05d", i%5000),
			Version: "1", Release: "1", Arch: "x86_64", FileInode: uint64(i)}
		p.setDetail(detail{sha256: digest, headerSHA256: digest, payloadDigest: digest})
		p.depList = newDepList([depKinds][]rpm.Dependency{requires: {{Name: fmt.Sprintf("lib%d.so.1()(64bit)", i%300)}}})
		want = append(want, p)
	}
	path := filepath.Join(t.TempDir(), "large.pkgs")
	if err := writePackageList(path, want); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() < 2<<20 {
		t.Fatalf("the list is %v bytes (%v), want more than 2 MiB", fi.Size(), err)
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

// A list's packages hold no detail until one is asked for, and passing
// over every detail keeps none. A detail that cannot be read is an
// error of the list, and a list is not written with it.
func TestPackageListDetails(t *testing.T) {
	path, _ := writeSample(t)
	dir := filepath.Dir(path)
	pkgs, err := readPackageList(path)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	eachDetail(pkgs, func(_ *Package, raw []byte) {
		f, _ := detailField(raw, detailFiles)
		files = append(files, string(f))
	})
	if !reflect.DeepEqual(files, []string{"/usr/bin/bash\n/usr/bin/sh", "", ""}) {
		t.Errorf("the files passed over are %q", files)
	}
	if pkgs[0].held.Load() != nil {
		t.Error("a detail is held before it was asked for")
	}
	if pkgs[0].SHA256() != "aa" || pkgs[0].held.Load() == nil {
		t.Errorf("asked for, the digest is %q and the detail is not held", pkgs[0].SHA256())
	}
	// Written again, a list copies the details it does not hold from the
	// old one and writes those it holds, one changed since it was read.
	pkgs[2].setDetail(detail{sha256: "dd", files: strings.Repeat("/usr/share/doc/sh/file\n", 300)})
	rewritten := filepath.Join(dir, "rewritten.pkgs")
	if err := writePackageList(rewritten, pkgs); err != nil {
		t.Fatal(err)
	}
	read, err := readPackageList(rewritten)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plainOf(read), plainOf(pkgs)) {
		t.Errorf("written again, read back\n%+v\nwant\n%+v", plainOf(read), plainOf(pkgs))
	}

	again, err := readPackageList(path)
	if err != nil {
		t.Fatal(err)
	}
	again[0].from.f.Close()
	if again[0].Identity() != "" || again[0].Files() != "" {
		t.Error("a detail that could not be read is not empty")
	}
	if err := listError(again); err == nil {
		t.Error("a detail that could not be read is no error of the list")
	}
	other := filepath.Join(dir, "other.pkgs")
	if err := writePackageList(other, again); err == nil {
		t.Error("a list was written with a detail that could not be read")
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("the list was written")
	}
}
