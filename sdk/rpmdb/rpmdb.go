// Package rpmdb writes the rpm database of an image or a tree: the sqlite
// database that rpm 4.16 and later keep in /usr/lib/sysimage/rpm, with the
// Packages table holding each package's header and the index tables rpm
// reads for queries, so that `rpm -qa`, `rpm -q NAME` and
// `rpm -q --whatprovides` work inside the image.
//
// The database file is written whole by sqlitefile, as SQLite would leave
// it after one transaction in rollback-journal mode: its bytes depend only
// on the headers and their order.
package rpmdb

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/rpm"
	"github.com/strata-build/strata/sdk/rpmdb/internal/sqlitefile"
)

// Path is where rpm keeps its database inside a root filesystem.
const Path = "usr/lib/sysimage/rpm/rpmdb.sqlite"

// index is one of rpm's index tables: the tag it indexes and whether its
// keys are text.
type index struct {
	table string
	tag   rpm.Tag
	text  bool
	// byPackage adds the hnum index rpm creates for tables it searches
	// by package when erasing.
	byPackage bool
}

// indexes are the tables rpm 4.18 creates (lib/backend/sqlite.c, with the
// tags of lib/rpmdb.c), in its order.
var indexes = []index{
	{"Name", rpm.TagName, true, false},
	{"Basenames", rpm.TagBasenames, true, true},
	{"Group", rpm.TagGroup, true, false},
	{"Requirename", rpm.TagRequireName, true, true},
	{"Providename", rpm.TagProvideName, true, true},
	{"Conflictname", rpm.TagConflictName, true, true},
	{"Obsoletename", rpm.TagObsoleteName, true, true},
	{"Triggername", rpm.TagTriggerName, true, true},
	{"Dirnames", rpm.TagDirNames, true, true},
	{"Installtid", tagInstallTID, false, false},
	{"Sigmd5", tagSigMD5, false, false},
	{"Sha1header", tagSHA1Header, true, false},
	{"Filetriggername", rpm.TagFileTriggerName, true, true},
	{"Transfiletriggername", rpm.TagTransFileTriggerName, true, true},
	{"Recommendname", rpm.TagRecommendName, true, true},
	{"Suggestname", rpm.TagSuggestName, true, true},
	{"Supplementname", rpm.TagSupplementName, true, true},
	{"Enhancename", rpm.TagEnhanceName, true, true},
}

// Tags rpm adds to an installed header, which package headers lack.
const (
	tagInstallTID rpm.Tag = 1128
	tagSigMD5     rpm.Tag = 261
	tagSHA1Header rpm.Tag = 269
)

// Requirement flags (rpmds.h) of requirements rpm needs only while
// installing, which it leaves out of the Requirename index unless they
// are also needed while erasing.
const (
	installOnly = rpm.SensePostTrans | rpm.SensePreTrans | rpm.SenseScriptPre | rpm.SenseScriptPost | rpm.SenseRPMLib | rpm.SenseKeyring
	eraseOnly   = rpm.SenseScriptPreUn | rpm.SenseScriptPostUn
)

// Write writes the database of the packages, in the order given, to
// path, which must not exist. On error nothing is left at path.
func Write(path string, pkgs []*rpm.Package) error {
	data, err := Encode(pkgs)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return files.WriteNew(path, data)
}

// Encode returns the database of the packages, in the order given: the
// tables, indexes and rows rpm would have after installing them in one
// transaction, hnum counting from 1.
func Encode(pkgs []*rpm.Package) ([]byte, error) {
	packages := sqlitefile.Table{Name: "Packages",
		SQL: "CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)"}
	// AUTOINCREMENT keeps the largest hnum given in sqlite_sequence.
	sequence := sqlitefile.Table{Name: "sqlite_sequence", SQL: "CREATE TABLE sqlite_sequence(name,seq)"}
	if len(pkgs) > 0 {
		sequence.Rows = []sqlitefile.Row{{ID: 1, Values: []any{"Packages", int64(len(pkgs))}}}
	}
	tables := []sqlitefile.Table{packages, sequence}
	for _, ix := range indexes {
		tables = append(tables, indexTable(ix))
	}
	for i, p := range pkgs {
		hnum := int64(i + 1)
		tables[0].Rows = append(tables[0].Rows, sqlitefile.Row{ID: hnum, Values: []any{nil, p.Header.Blob()}})
		for j, ix := range indexes {
			t := &tables[2+j]
			for _, k := range keys(p.Header, ix.tag) {
				t.Rows = append(t.Rows, sqlitefile.Row{ID: int64(len(t.Rows) + 1), Values: []any{k.value, hnum, int64(k.idx)}})
			}
		}
	}
	return sqlitefile.Encode(tables)
}

// indexTable is the empty table of an index, with the statements rpm
// 4.18 creates it with, as sqlite_master keeps them.
func indexTable(ix index) sqlitefile.Table {
	keyType := "BLOB"
	if ix.text {
		keyType = "TEXT"
	}
	t := sqlitefile.Table{Name: ix.table, SQL: fmt.Sprintf("CREATE TABLE '%s' (key '%s' NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL, FOREIGN KEY (hnum) REFERENCES 'Packages'(hnum))", ix.table, keyType)}
	if ix.text {
		name := ix.table + "_key_idx"
		t.Indexes = append(t.Indexes, sqlitefile.Index{Name: name, SQL: fmt.Sprintf("CREATE INDEX '%s' ON '%s'(key ASC)", name, ix.table), Columns: []int{0}})
	}
	if ix.byPackage {
		name := ix.table + "_hnum_idx"
		t.Indexes = append(t.Indexes, sqlitefile.Index{Name: name, SQL: fmt.Sprintf("CREATE INDEX '%s' ON '%s'(hnum ASC)", name, ix.table), Columns: []int{1}})
	}
	return t
}

type key struct {
	value any
	idx   int
}

// keys returns a header's entries for one index, filtered as rpm's
// lib/rpmdb.c does: install-only requirements are left out, trigger
// names are indexed once, and a package without a group is in "Unknown".
func keys(h *rpm.Header, tag rpm.Tag) []key {
	var out []key
	switch h.Type(tag) {
	case rpm.TypeNull:
		if tag == rpm.TagGroup {
			return []key{{"Unknown", 0}}
		}
		return nil
	case rpm.TypeBinary:
		return []key{{h.Bytes(tag), 0}}
	case rpm.TypeInt32:
		for i, v := range h.Uints(tag) {
			var b [4]byte
			binary.LittleEndian.PutUint32(b[:], uint32(v))
			out = append(out, key{b[:], i})
		}
		return out
	case rpm.TypeString, rpm.TypeI18NString:
		return []key{{h.String(tag), 0}}
	}
	values := h.Strings(tag)
	var flags []uint64
	if tag == rpm.TagRequireName {
		flags = h.Uints(rpm.TagRequireFlags)
	}
	seen := map[string]bool{}
	for i, v := range values {
		if i < len(flags) && rpm.Flags(flags[i])&installOnly != 0 && rpm.Flags(flags[i])&eraseOnly == 0 {
			continue
		}
		if tag == rpm.TagTriggerName {
			if seen[v] {
				continue
			}
			seen[v] = true
		}
		out = append(out, key{v, i})
		if strings.HasPrefix(v, "(") {
			for _, name := range richNames(v) {
				out = append(out, key{name, i})
			}
		}
	}
	return out
}

// richNames returns the names rpm indexes for a rich dependency beside
// the whole expression, as rpm 4.18 writes them: every package name in
// it, except that the condition of "if" and "unless" is named negated
// ("!b" for "(a if b)"), and both plain and negated when "else" follows.
func richNames(dep string) []string {
	toks := strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(dep))
	r := &richParser{toks: toks}
	return r.expr()
}

type richParser struct {
	toks []string
	pos  int
}

func (r *richParser) next() string {
	if r.pos >= len(r.toks) {
		return ""
	}
	r.pos++
	return r.toks[r.pos-1]
}

func (r *richParser) peek() string {
	if r.pos >= len(r.toks) {
		return ""
	}
	return r.toks[r.pos]
}

// expr reads one operand: a parenthesised expression or a name with an
// optional comparison and version.
func (r *richParser) expr() []string {
	if r.peek() != "(" {
		name := r.next()
		switch r.peek() {
		case "<", ">", "=", "<=", ">=", "==", "=<", "=>":
			r.pos += 2
		}
		if name == "" {
			return nil
		}
		return []string{name}
	}
	r.next()
	names := r.expr()
	var cond []string // of "if" or "unless": named only negated, unless "else" follows
	for op := r.next(); op != ")" && op != ""; op = r.next() {
		right := r.expr()
		switch op {
		case "if", "unless":
			cond = right
		case "else":
			names = append(append(names, cond...), right...)
		default:
			names = append(names, right...)
		}
	}
	for _, c := range cond {
		names = append(names, "!"+c)
	}
	return names
}
