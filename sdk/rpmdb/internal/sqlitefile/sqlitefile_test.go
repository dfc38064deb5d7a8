package sqlitefile

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/sdk/sdktest"
)

// blobs are blob sizes whose rows' payloads (4 bytes more) fall on each
// side of every point where a cell's local part and its overflow chain
// change: 4,061 bytes kept whole, 8,153 the most with the larger local part.
var blobs = []int{0, 1, 100, 4056, 4057, 4058, 4092, 4093, 5000, 8149, 8150, 20000, 100000}

// testTables are tables that make every kind of page: rows with overflow
// chains of every length, a table of 30,000 rows with an index of three
// levels, index keys long enough to overflow, equal keys told apart by
// rowid, integers of every width, NULLs, an empty table, and enough
// tables that the schema does not fit on page 1.
func testTables() []Table {
	files := Table{Name: "Files", SQL: "CREATE TABLE 'Files' (id INTEGER PRIMARY KEY, data BLOB NOT NULL)"}
	for i, n := range blobs {
		files.Rows = append(files.Rows, Row{ID: int64(3*i + 1), Values: []any{nil, pattern(n, i)}})
	}
	keys := Table{Name: "Keys", SQL: "CREATE TABLE 'Keys' (key 'TEXT' NOT NULL, n INTEGER, idx INTEGER NOT NULL)",
		Indexes: []Index{
			{Name: "Keys_key_idx", SQL: "CREATE INDEX 'Keys_key_idx' ON 'Keys'(key ASC)", Columns: []int{0}},
			{Name: "Keys_n_idx", SQL: "CREATE INDEX 'Keys_n_idx' ON 'Keys'(n ASC, idx ASC)", Columns: []int{1, 2}},
		}}
	ints := []int64{0, 1, -1, 127, 128, -129, 40000, -8388609, 1 << 31, -(1 << 40), 1 << 50, -(1 << 62)}
	for i := range 30000 {
		key := fmt.Sprintf("/usr/share/doc/package%05d/file", (i*7919)%3000)
		switch i % 1000 {
		case 17:
			key = strings.Repeat("long/", 100+i/1000*40) // over an index page's most local payload
		case 18:
			key = "" // the smallest text
		}
		var n any = ints[i%len(ints)]
		if i%13 == 0 {
			n = nil
		}
		keys.Rows = append(keys.Rows, Row{ID: int64(i + 1), Values: []any{key, n, int64(i % 5)}})
	}
	tables := []Table{files, {Name: "Empty", SQL: "CREATE TABLE 'Empty' (a, b)",
		Indexes: []Index{{Name: "Empty_a", SQL: "CREATE INDEX 'Empty_a' ON 'Empty'(a ASC)", Columns: []int{0}}}}, keys}
	for i := range 40 {
		name := fmt.Sprintf("Extra%02d", i)
		tables = append(tables, Table{Name: name, SQL: fmt.Sprintf("CREATE TABLE '%s' (key 'TEXT' NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL, FOREIGN KEY (hnum) REFERENCES 'Files'(id))", name),
			Rows: []Row{{ID: 1, Values: []any{name, int64(i), []byte{byte(i)}}}}})
	}
	return tables
}

// TestPageEdges writes tables whose last cell falls just past a full
// page at each level: a leaf of an index, an interior page of an index
// and of a table. A page may not be left without cells.
func TestPageEdges(t *testing.T) {
	sqlite := sdktest.NeedTool(t, "sqlite3")
	var tables []Table
	add := func(name string, rows int, value func(i int) any) {
		tb := Table{Name: name, SQL: fmt.Sprintf("CREATE TABLE '%s' (v)", name),
			Indexes: []Index{{Name: name + "_v", SQL: fmt.Sprintf("CREATE INDEX '%s_v' ON '%s'(v ASC)", name, name), Columns: []int{0}}}}
		for i := range rows {
			tb.Rows = append(tb.Rows, Row{ID: int64(i + 1), Values: []any{value(i)}})
		}
		tables = append(tables, tb)
	}
	for n := 40; n < 100; n++ { // 60-byte keys: about 60 to an index leaf
		add(fmt.Sprintf("Leaf%d", n), n, func(i int) any { return fmt.Sprintf("%060d", i) })
	}
	for n := 10; n < 50; n++ { // keys of 990 bytes: four to a page at every level
		add(fmt.Sprintf("Interior%d", n), n, func(i int) any { return fmt.Sprintf("%0990d", i) })
	}
	for n := 505; n < 525; n++ { // a row to a leaf: over 500 leaves under one interior page
		add(fmt.Sprintf("Table%d", n), n, func(i int) any { return pattern(2100, i) })
	}
	data, err := Encode(tables)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "edges.sqlite")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out := query(t, sqlite, path, "PRAGMA integrity_check"); out != "ok" {
		t.Fatalf("integrity_check:\n%s", out)
	}
	for _, tb := range tables {
		q := fmt.Sprintf("SELECT count(*) FROM '%s' INDEXED BY '%s_v' WHERE v >= ''", tb.Name, tb.Name)
		if got := query(t, sqlite, path, q); got != fmt.Sprint(len(tb.Rows)) {
			t.Errorf("%s: %s rows through the index, want %d", tb.Name, got, len(tb.Rows))
		}
	}
}

func pattern(n, seed int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31 + seed)
	}
	return b
}

// TestSQLiteReadsIt has the sqlite3 command check the file's integrity
// (every page used once, every b-tree ordered, every index entry matching
// its row) and read every row back, by table and through each index.
func TestSQLiteReadsIt(t *testing.T) {
	sqlite := sdktest.NeedTool(t, "sqlite3")
	tables := testTables()
	data, err := Encode(tables)
	if err != nil {
		t.Fatal(err)
	}
	if data[fileHeaderSize] != tableInterior {
		t.Fatal("the schema fits on page 1: the test does not reach an interior page 1")
	}
	path := filepath.Join(t.TempDir(), "test.sqlite")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out := query(t, sqlite, path, "PRAGMA integrity_check"); out != "ok" {
		t.Fatalf("integrity_check:\n%s", out)
	}
	if out := query(t, sqlite, path, "SELECT count(*) FROM sqlite_master"); out != "46" {
		t.Errorf("sqlite_master holds %s objects, want 46", out)
	}
	for _, tb := range tables {
		var want []string
		for _, r := range tb.Rows {
			want = append(want, fmt.Sprint(r.ID)+"|"+quoted(r.ID, r.Values))
		}
		got := lines(query(t, sqlite, path, fmt.Sprintf("SELECT rowid, %s FROM '%s' ORDER BY rowid", columnsOf(tb), tb.Name)))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("table %s (-want +got):\n%s", tb.Name, diff)
		}
	}
	// Through the indexes: a key's rows, and the rows in index order.
	keys := tables[2]
	var want []string
	for _, r := range keys.Rows {
		if r.Values[0] == "/usr/share/doc/package00042/file" {
			want = append(want, fmt.Sprint(r.ID))
		}
	}
	got := lines(query(t, sqlite, path, "SELECT rowid FROM Keys INDEXED BY Keys_key_idx WHERE key = '/usr/share/doc/package00042/file' ORDER BY rowid"))
	if diff := cmp.Diff(want, got); diff != "" || len(want) != 10 {
		t.Errorf("rows of one key through the index (-want +got):\n%s", diff)
	}
	sorted := append([]Row(nil), keys.Rows...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i].Values, sorted[j].Values
		if c := compare(a[1], b[1]); c != 0 {
			return c < 0
		}
		return compare(a[2], b[2]) < 0
	})
	want = want[:0]
	for _, r := range sorted {
		want = append(want, fmt.Sprint(r.ID))
	}
	got = lines(query(t, sqlite, path, "SELECT rowid FROM Keys INDEXED BY Keys_n_idx ORDER BY n, idx"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows in the order of the two-column index (-want +got):\n%s", diff)
	}
	// SQLite can change the file it did not write.
	query(t, sqlite, path, "INSERT INTO Keys (key, n, idx) VALUES ('added', 5, 0); DELETE FROM Files WHERE id = 4")
	if out := query(t, sqlite, path, "PRAGMA integrity_check"); out != "ok" {
		t.Fatalf("integrity_check after a change by sqlite:\n%s", out)
	}
}

func TestReproducible(t *testing.T) {
	a, err := Encode(testTables())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Encode(testTables())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the same tables gave two files")
	}
}

func TestBadInput(t *testing.T) {
	for name, tb := range map[string]Table{
		"rowid out of order": {Name: "t", SQL: "CREATE TABLE t (a)", Rows: []Row{{ID: 2}, {ID: 1}}},
		"unknown value":      {Name: "t", SQL: "CREATE TABLE t (a)", Rows: []Row{{ID: 1, Values: []any{1.5}}}},
		"no such column": {Name: "t", SQL: "CREATE TABLE t (a)", Rows: []Row{{ID: 1, Values: []any{"x"}}},
			Indexes: []Index{{Name: "i", SQL: "CREATE INDEX i ON t(b)", Columns: []int{1}}}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Encode([]Table{tb}); err == nil {
				t.Error("Encode succeeded")
			}
		})
	}
}

func TestVarint(t *testing.T) {
	for _, v := range []uint64{0, 127, 128, 16383, 16384, 1<<56 - 1, 1 << 56, 1<<64 - 1} {
		b := putVarint(nil, v)
		if len(b) != varintLen(v) {
			t.Errorf("%d: %d bytes, varintLen says %d", v, len(b), varintLen(v))
		}
		// Decode as SQLite does: seven bits a byte, eight in the ninth.
		var got uint64
		for i, c := range b {
			if i == 8 {
				got = got<<8 | uint64(c)
				break
			}
			got = got<<7 | uint64(c&0x7f)
		}
		if got != v {
			t.Errorf("%d encoded as %x reads back as %d", v, b, got)
		}
	}
}

func query(t *testing.T, sqlite, path, q string) string {
	t.Helper()
	out, err := exec.Command(sqlite, path, q).CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3 %q: %v\n%s", q, err, out)
	}
	return strings.TrimSpace(string(out))
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func columnsOf(tb Table) string {
	n := 0
	for _, r := range tb.Rows {
		n = max(n, len(r.Values))
	}
	var cols []string
	for i := range n {
		cols = append(cols, fmt.Sprintf("quote(%s)", strings.Fields(strings.Split(strings.SplitN(tb.SQL, "(", 2)[1], ",")[i])[0]))
	}
	if len(cols) == 0 {
		return "NULL"
	}
	return strings.Join(cols, ", ")
}

// quoted is what sqlite3's quote() prints of a row's values: a first
// column that is NULL is the rowid's alias (Files.id).
func quoted(id int64, values []any) string {
	var out []string
	for i, v := range values {
		switch v := v.(type) {
		case nil:
			if i == 0 {
				out = append(out, fmt.Sprint(id))
				continue
			}
			out = append(out, "NULL")
		case int64:
			out = append(out, fmt.Sprint(v))
		case string:
			out = append(out, "'"+strings.ReplaceAll(v, "'", "''")+"'")
		case []byte:
			out = append(out, "X'"+strings.ToUpper(hex.EncodeToString(v))+"'")
		}
	}
	return strings.Join(out, "|")
}
