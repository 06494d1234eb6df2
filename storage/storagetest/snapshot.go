package storagetest

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
)

// Snapshot is every row of some tables, as text: taken before something
// that must change nothing (bad input, a refused act), compared after.
type Snapshot map[string][]string

// TakeSnapshot reads every row of the tables.
func TakeSnapshot(t testing.TB, db bun.IDB, tables ...string) Snapshot {
	t.Helper()
	s := Snapshot{}
	for _, table := range tables {
		s[table] = Rows(t, db, table)
	}
	return s
}

// Unchanged fails the test if any table of the snapshot differs now.
func (s Snapshot) Unchanged(t testing.TB, db bun.IDB, what string) {
	t.Helper()
	for table, before := range s {
		if after := Rows(t, db, table); !slices.Equal(before, after) {
			t.Errorf("%s changed table %s:\nbefore: %q\nafter:  %q", what, table, before, after)
		}
	}
}

// Rows returns a table's rows as sorted "column=value ..." lines.
func Rows(t testing.TB, db bun.IDB, table string) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), "SELECT * FROM "+table)
	if err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("scan %s: %v", table, err)
		}
		var sb strings.Builder
		for i, v := range vals {
			fmt.Fprintf(&sb, "%s=%s ", cols[i], render(v))
		}
		out = append(out, sb.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	slices.Sort(out)
	return out
}

func render(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return "x" + hex.EncodeToString(v)
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

// Count counts the rows of a table that match where ("" for all).
func Count(t testing.TB, db bun.IDB, table, where string, args ...any) int {
	t.Helper()
	q := db.NewSelect().TableExpr(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	n, err := q.Count(context.Background())
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return int(n)
}

// Tables is a test's view of its database: the tables its package writes
// (Names), to snapshot before something that must change nothing, and to
// read or count rows. A domain package's fixture embeds it.
type Tables struct {
	DB    *bun.DB
	Names []string
}

// State is every row of every table of t.Names.
func (d Tables) State(t testing.TB) Snapshot { return TakeSnapshot(t, d.DB, d.Names...) }

// Unchanged fails the test if any table differs from before.
func (d Tables) Unchanged(t testing.TB, before Snapshot, what string) {
	t.Helper()
	before.Unchanged(t, d.DB, what)
}

// Rows is every row of a table, as text, sorted.
func (d Tables) Rows(t testing.TB, table string) []string { return Rows(t, d.DB, table) }

// Count counts the rows of a table that match where.
func (d Tables) Count(t testing.TB, table, where string, args ...any) int {
	t.Helper()
	return Count(t, d.DB, table, where, args...)
}
