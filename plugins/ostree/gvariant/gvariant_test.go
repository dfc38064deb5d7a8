package gvariant

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testdata/commit and testdata/summary were written by ostree 2022.7:
//
//	ostree commit --branch=test/x86_64 --parent=none --no-bindings --no-xattrs \
//	  --owner-uid=0 --owner-gid=0 --timestamp=@1704164645 --subject=S \
//	  --add-metadata-string=version=1.0 TREE   (TREE: hello.txt, sub/)
//	ostree summary -u
func TestCommitAndSummaryAsOstreeWritesThem(t *testing.T) {
	rootTree := mustHex(t, "29982755f3a283ae1cb0a9d9c4187c8d07e931537c89dcd389c78fcb6daef372")
	rootMeta := mustHex(t, "446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488")
	commit := Tuple(
		Array("{sv}", DictEntry(String("version"), Variant(String("1.0")))),
		ByteArray(nil), Array("(say)"), String("S"), String(""), Uint64(1704164645),
		ByteArray(rootTree), ByteArray(rootMeta))
	want, err := os.ReadFile("testdata/commit")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(commit.Bytes(), want) {
		t.Errorf("commit:\n got %x\nwant %x", commit.Bytes(), want)
	}
	if sum := sha256.Sum256(commit.Bytes()); hex.EncodeToString(sum[:]) != "dc70f7fc960428b2d003ef1537a906e0ebe090b93350a0b9804ea7243295f68d" {
		t.Errorf("commit checksum %x", sum)
	}
	if commit.Signature() != "(a{sv}aya(say)sstayay)" {
		t.Errorf("signature %s", commit.Signature())
	}

	checksum := sha256.Sum256(want)
	summary := Tuple(
		Array("(s(taya{sv}))", Tuple(String("test/x86_64"), Tuple(Uint64LE(uint64(len(want))), ByteArray(checksum[:]),
			Array("{sv}",
				DictEntry(String("ostree.commit.version"), Variant(String("1.0"))),
				DictEntry(String("ostree.commit.timestamp"), Variant(Uint64(1704164645))))))),
		Array("{sv}",
			DictEntry(String("ostree.summary.mode"), Variant(String("archive-z2"))),
			DictEntry(String("ostree.summary.last-modified"), Variant(Uint64(1795645103))),
			DictEntry(String("ostree.summary.tombstone-commits"), Variant(Bool(false))),
			DictEntry(String("ostree.summary.indexed-deltas"), Variant(Bool(true)))))
	if want, err = os.ReadFile("testdata/summary"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(summary.Bytes(), want) {
		t.Errorf("summary:\n got %x\nwant %x", summary.Bytes(), want)
	}
}

// The examples of the format note, checked against ostree 2022.7.
func TestObjectsOfTheFormatNote(t *testing.T) {
	empty := Tuple(Array("(say)"), Array("(sayay)"))
	if sum := sha256.Sum256(empty.Bytes()); hex.EncodeToString(sum[:]) != "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d" {
		t.Errorf("empty dirtree %x", empty.Bytes())
	}
	dirmeta := Tuple(Uint32(0), Uint32(0), Uint32(0o40755), Array("(ayay)"))
	if got := hex.EncodeToString(dirmeta.Bytes()); got != "00000000"+"00000000"+"000041ed" {
		t.Errorf("dirmeta %s", got)
	}
	var sum [32]byte
	one := Tuple(Array("(say)", Tuple(String("data.bin"), ByteArray(sum[:]))), Array("(sayay)"))
	if b := one.Bytes(); len(b) != 44 || b[41] != 0x09 || b[42] != 0x2a || b[43] != 0x2b {
		t.Errorf("dirtree of data.bin: %x", b)
	}
	xattrs := Array("(ayay)", Tuple(ByteArray([]byte("user.aaa\x00")), ByteArray([]byte("22"))),
		Tuple(ByteArray([]byte("user.zzz\x00")), ByteArray([]byte("1"))))
	if got := hex.EncodeToString(xattrs.Bytes()); got != hex.EncodeToString([]byte("user.aaa\x0022\x09user.zzz\x001\x09\x0c\x17")) {
		t.Errorf("xattrs %s", got)
	}
}

func TestSplit(t *testing.T) {
	data, err := os.ReadFile("testdata/commit")
	if err != nil {
		t.Fatal(err)
	}
	fields, err := SplitTuple("(a{sv}aya(say)sstayay)", data)
	if err != nil {
		t.Fatal(err)
	}
	if subject, _ := ParseString(fields[3]); subject != "S" {
		t.Errorf("subject %q", subject)
	}
	if ts, _ := ParseUint64(fields[5]); ts != 1704164645 {
		t.Errorf("timestamp %d", ts)
	}
	if len(fields[1]) != 0 || len(fields[6]) != 32 || len(fields[7]) != 32 {
		t.Errorf("parent %x tree %x meta %x", fields[1], fields[6], fields[7])
	}
	entries, err := SplitArray("{sv}", fields[0])
	if err != nil || len(entries) != 1 {
		t.Fatalf("metadata: %v %q", err, entries)
	}
	kv, err := SplitTuple("{sv}", entries[0])
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ParseString(kv[0])
	value, sig, _ := ParseVariant(kv[1])
	if s, _ := ParseString(value); key != "version" || sig != "s" || s != "1.0" {
		t.Errorf("metadata entry %q = %q (%s)", key, value, sig)
	}
	for _, bad := range [][]byte{nil, {0xff}, data[:20]} {
		if _, err := SplitTuple("(a{sv}aya(say)sstayay)", bad); err == nil {
			t.Errorf("SplitTuple(%x) accepted", bad)
		}
	}
}
