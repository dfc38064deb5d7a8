// Package rpmdb writes the rpm database of an image or a tree: the sqlite
// database that rpm 4.16 and later keep in /usr/lib/sysimage/rpm, with the
// Packages table holding each package's header and the index tables rpm
// reads for queries, so that `rpm -qa`, `rpm -q NAME` and
// `rpm -q --whatprovides` work inside the image.
//
// The database is written in rollback-journal mode in one transaction, so
// the file's bytes depend only on the headers and their order.
package rpmdb

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-build/strata/sdk/rpm"
	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
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
	sensePostTrans    = 1 << 5
	sensePreTrans     = 1 << 7
	senseScriptPre    = 1 << 9
	senseScriptPost   = 1 << 10
	senseScriptPreUn  = 1 << 11
	senseScriptPostUn = 1 << 12
	senseRPMLib       = 1 << 24
	senseKeyring      = 1 << 26

	installOnly = sensePostTrans | sensePreTrans | senseScriptPre | senseScriptPost | senseRPMLib | senseKeyring
	eraseOnly   = senseScriptPreUn | senseScriptPostUn
)

// Write writes the database of the packages, in the order given, to
// path, which must not exist. On error nothing is left at path.
func Write(path string, pkgs []*rpm.Package) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists", path)
	}
	defer func() {
		if err != nil {
			os.Remove(path)
			os.Remove(path + "-journal")
		}
	}()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(DELETE)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}()
	db.SetMaxOpenConns(1)
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := createTables(tx); err != nil {
		return err
	}
	if err := insert(tx, pkgs); err != nil {
		return err
	}
	return tx.Commit()
}

func createTables(tx *sql.Tx) error {
	stmts := []string{"CREATE TABLE IF NOT EXISTS 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)"}
	for _, ix := range indexes {
		keyType := "BLOB"
		if ix.text {
			keyType = "TEXT"
		}
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE IF NOT EXISTS '%s' (key '%s' NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL, FOREIGN KEY (hnum) REFERENCES 'Packages'(hnum))", ix.table, keyType))
		if ix.text {
			stmts = append(stmts, fmt.Sprintf("CREATE INDEX '%s_key_idx' ON '%s'(key ASC)", ix.table, ix.table))
		}
		if ix.byPackage {
			stmts = append(stmts, fmt.Sprintf("CREATE INDEX '%s_hnum_idx' ON '%s'(hnum ASC)", ix.table, ix.table))
		}
	}
	for _, s := range stmts {
		if _, err := tx.Exec(s); err != nil {
			return fmt.Errorf("creating the rpm database: %w", err)
		}
	}
	return nil
}

// insert adds the packages and their index entries. The rows go in
// statements of many rows each: the driver prepares a statement on every
// execution, and one row at a time that would be most of the work.
func insert(tx *sql.Tx, pkgs []*rpm.Package) error {
	addPkg := newBatch(tx, "INSERT INTO 'Packages' (hnum, blob) VALUES ", 2, 32)
	addKey := map[string]*batch{}
	for _, ix := range indexes {
		addKey[ix.table] = newBatch(tx, fmt.Sprintf("INSERT INTO '%s' (key, hnum, idx) VALUES ", ix.table), 3, 64)
	}
	for i, p := range pkgs {
		hnum := i + 1
		if err := addPkg.add(hnum, p.Header.Blob()); err != nil {
			return fmt.Errorf("%s: %w", p.NEVRA(), err)
		}
		for _, ix := range indexes {
			for _, k := range keys(p.Header, ix.tag) {
				if err := addKey[ix.table].add(k.value, hnum, k.idx); err != nil {
					return fmt.Errorf("%s: %s index: %w", p.NEVRA(), ix.table, err)
				}
			}
		}
	}
	if err := addPkg.flush(); err != nil {
		return err
	}
	for _, ix := range indexes {
		if err := addKey[ix.table].flush(); err != nil {
			return fmt.Errorf("%s index: %w", ix.table, err)
		}
	}
	return nil
}

// batch gathers the rows of one INSERT and executes it every size rows.
type batch struct {
	tx      *sql.Tx
	prefix  string
	columns int
	size    int
	args    []any
}

func newBatch(tx *sql.Tx, prefix string, columns, size int) *batch {
	return &batch{tx: tx, prefix: prefix, columns: columns, size: size}
}

func (b *batch) add(row ...any) error {
	b.args = append(b.args, row...)
	if len(b.args) < b.columns*b.size {
		return nil
	}
	return b.flush()
}

func (b *batch) flush() error {
	rows := len(b.args) / b.columns
	if rows == 0 {
		return nil
	}
	tuple := "(?" + strings.Repeat(", ?", b.columns-1) + ")"
	query := b.prefix + tuple + strings.Repeat(", "+tuple, rows-1)
	_, err := b.tx.Exec(query, b.args...)
	b.args = b.args[:0]
	return err
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
		if i < len(flags) && flags[i]&installOnly != 0 && flags[i]&eraseOnly == 0 {
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
