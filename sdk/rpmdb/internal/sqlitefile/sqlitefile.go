// Package sqlitefile writes a SQLite database file whole, without a SQL
// engine: tables given with all their rows and indexes are laid out as
// b-trees built bottom up, each page filled in key order, as the file
// format describes them (https://www.sqlite.org/fileformat2.html).
//
// The file is what SQLite itself would read back after one transaction
// in rollback-journal mode: schema format 4, UTF-8, 4096-byte pages, no
// free pages. Its bytes depend only on the tables given, so the same
// tables always give the same file. Writing a database this way takes a
// small part of the time inserting the rows through SQLite does.
package sqlitefile

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// Table is a table: the statement that creates it, as sqlite_master
// keeps it, its rows in rowid order and its indexes.
type Table struct {
	Name    string
	SQL     string
	Rows    []Row
	Indexes []Index
}

// Row is a row of a table: its rowid and its columns' values, each nil,
// an int64, a string (TEXT) or a []byte (BLOB). A column declared
// INTEGER PRIMARY KEY holds nil: its value is the rowid.
type Row struct {
	ID     int64
	Values []any
}

// Index is an index of a table: its name, the statement that creates it
// and the table's columns it orders rows by, in order, ascending, with
// the BINARY collation.
type Index struct {
	Name    string
	SQL     string
	Columns []int
}

// maxSQL bounds a statement, so that every row of sqlite_master fits on
// page 1 beside the file header.
const maxSQL = 2000

// Encode returns the database file holding tables, listed in
// sqlite_master in the order given, each table before its indexes.
func Encode(tables []Table) ([]byte, error) {
	f := &file{data: make([]byte, pageSize)}
	var schema []Row
	object := func(kind, name, table string, root uint32, sql string) error {
		if len(sql) > maxSQL {
			return fmt.Errorf("the statement creating %s is over %d bytes", name, maxSQL)
		}
		schema = append(schema, Row{ID: int64(len(schema) + 1), Values: []any{kind, name, table, int64(root), sql}})
		return nil
	}
	for _, t := range tables {
		root, err := f.table(t.Rows, pageSize)
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", t.Name, err)
		}
		if err := object("table", t.Name, t.Name, f.emit(root), t.SQL); err != nil {
			return nil, err
		}
		for _, ix := range t.Indexes {
			root, err := f.index(t.Rows, ix.Columns)
			if err != nil {
				return nil, fmt.Errorf("index %s: %w", ix.Name, err)
			}
			if err := object("index", ix.Name, t.Name, f.emit(root), ix.SQL); err != nil {
				return nil, err
			}
		}
	}
	root, err := f.table(schema, pageSize-fileHeaderSize)
	if err != nil {
		return nil, fmt.Errorf("sqlite_master: %w", err)
	}
	if f.pages() > maxPages {
		return nil, fmt.Errorf("the database would be over %d pages", maxPages)
	}
	root.render(f.data[:pageSize], fileHeaderSize)
	f.header(len(schema))
	return f.data, nil
}

// table writes a table's b-tree and returns its root.
func (f *file) table(rows []Row, room int) (*page, error) {
	cells := make([][]byte, len(rows))
	keys := make([]int64, len(rows))
	for i, r := range rows {
		if i > 0 && r.ID <= rows[i-1].ID {
			return nil, fmt.Errorf("row %d: rowid %d after %d; rows must be in ascending rowid order", i, r.ID, rows[i-1].ID)
		}
		rec, err := record(r.Values)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", r.ID, err)
		}
		prefix := putVarint(make([]byte, 0, 18+localSize(len(rec), true)), uint64(len(rec)))
		cells[i] = f.cell(putVarint(prefix, uint64(r.ID)), rec, true)
		keys[i] = r.ID
	}
	return btree{f: f, table: true, room: room}.build(cells, keys), nil
}

// index writes the b-tree of an index on columns and returns its root:
// an entry per row, the columns' values then the rowid, sorted.
func (f *file) index(rows []Row, columns []int) (*page, error) {
	entries := make([][]any, len(rows))
	for i, r := range rows {
		e := make([]any, 0, len(columns)+1)
		for _, c := range columns {
			if c < 0 || c >= len(r.Values) {
				return nil, fmt.Errorf("row %d has no column %d", r.ID, c)
			}
			e = append(e, r.Values[c])
		}
		entries[i] = append(e, r.ID)
	}
	slices.SortFunc(entries, func(a, b []any) int {
		for i := range a {
			if c := compare(a[i], b[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	cells := make([][]byte, len(entries))
	for i, e := range entries {
		rec, err := record(e)
		if err != nil {
			return nil, err
		}
		cells[i] = f.cell(putVarint(make([]byte, 0, 9+localSize(len(rec), false)), uint64(len(rec))), rec, false)
	}
	return btree{f: f, room: pageSize}.build(cells, nil), nil
}

// header writes the file header at the start of page 1.
// https://www.sqlite.org/fileformat2.html#the_database_header
func (f *file) header(schemaRows int) {
	h := f.data[:fileHeaderSize]
	copy(h, "SQLite format 3\x00")
	binary.BigEndian.PutUint16(h[16:], pageSize)
	h[18], h[19] = 1, 1                   // rollback journal, for writing and reading
	h[21], h[22], h[23] = 64, 32, 32      // payload fractions, fixed by the format
	binary.BigEndian.PutUint32(h[24:], 1) // file change counter
	binary.BigEndian.PutUint32(h[28:], f.pages())
	binary.BigEndian.PutUint32(h[40:], uint32(schemaRows)) // schema cookie
	binary.BigEndian.PutUint32(h[44:], 4)                  // schema format
	binary.BigEndian.PutUint32(h[56:], 1)                  // UTF-8
	binary.BigEndian.PutUint32(h[92:], 1)                  // the change counter the page count is valid for
	binary.BigEndian.PutUint32(h[96:], sqliteVersion)
}

// sqliteVersion is the SQLite release whose reading of the format this
// package was checked against, recorded where SQLite records the release
// that last wrote the file.
const sqliteVersion = 3040001
