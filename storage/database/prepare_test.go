package database_test

import (
	"context"
	"testing"

	"agora/storage/database"
	"agora/storage/storagetest"
)

// TestPreparedOnRepeat runs a text without values on one PostgreSQL
// connection: unprepared the first time, prepared (its plan kept by the
// server) when it comes again; a URL that chooses the mode keeps it.
func TestPreparedOnRepeat(t *testing.T) {
	ctx := context.Background()
	url := storagetest.DatabaseURL(t, "postgres")
	prepared := func(t *testing.T, url, text string) []int {
		db, err := database.Open(ctx, url, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var counts []int
		for range 3 {
			var got int
			if err := conn.QueryRowContext(ctx, text).Scan(&got); err != nil || got != 42 {
				t.Fatalf("%s: %d, %v", text, got, err)
			}
			var n int
			if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM pg_prepared_statements WHERE statement = ?", text).Scan(&n); err != nil {
				t.Fatal(err)
			}
			counts = append(counts, n)
		}
		return counts
	}
	if got := prepared(t, url, "SELECT 40 + 2 /* repeat */"); got[0] != 0 || got[1] != 1 || got[2] != 1 {
		t.Errorf("prepared statements after each of three runs: %v, want [0 1 1]", got)
	}
	if got := prepared(t, url+"&default_query_exec_mode=cache_statement", "SELECT 40 + 2 /* chosen */"); got[0] != 1 {
		t.Errorf("with the mode chosen in the URL, prepared after the first run: %v, want 1", got)
	}
}
