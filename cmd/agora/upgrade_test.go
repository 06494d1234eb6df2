package main

import (
	"context"
	"database/sql"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
	"agora/storage/storagetest"
)

// The fixtures of TestUpgradeFromPreviousMain are nodes made by commit
// 9672f58 of main, the last before the hardening of issue 14: the demo
// (`agora admin demo`) and an app of the catalogue (`agora admin apps
// import`), dumped as SQL text. Text, not a database file: it is small
// (80 and 110 KB), reviewable and diffable, and loads with no tool on
// SQLite (the test runs it through the driver) and with psql on
// PostgreSQL. Ids, times and the keys the demo draws are random, so two
// regenerations differ in those; the pg_dump \restrict lines, random
// too, are left out. Regenerate both from the repository's root, with
// the old commit checked out (git worktree add /tmp/agora-9672f58 9672f58)
// and AGORA_TEST_POSTGRES_URL set:
//
//	(cd /tmp/agora-9672f58 && go build -o agora ./cmd/agora && d=$(mktemp -d) && AGORA_DATA_DIR=$d ./agora admin demo >/dev/null && AGORA_DATA_DIR=$d ./agora admin apps import instances/apps/testdata/valid.yml >/dev/null && sqlite3 $d/agora.db .dump) > cmd/agora/testdata/upgrade/9672f58.sqlite.sql
//	(cd /tmp/agora-9672f58 && s=agora_9672f58 && psql "$AGORA_TEST_POSTGRES_URL" -qc "DROP SCHEMA IF EXISTS $s CASCADE; CREATE SCHEMA $s" && export AGORA_DATA_DIR=$(mktemp -d) AGORA_DATABASE_URL="$AGORA_TEST_POSTGRES_URL&search_path=$s" && ./agora admin demo >/dev/null && ./agora admin apps import instances/apps/testdata/valid.yml >/dev/null && pg_dump --no-owner --no-privileges --schema=$s "$AGORA_TEST_POSTGRES_URL" | grep -v '^\\\(un\)\?restrict ' && psql "$AGORA_TEST_POSTGRES_URL" -qc "DROP SCHEMA $s CASCADE") > cmd/agora/testdata/upgrade/9672f58.postgres.sql
const (
	upgradeFixture = "testdata/upgrade/9672f58"
	// upgradeSchema is the PostgreSQL schema the fixture was dumped
	// from; the test loads it under its own schema's name.
	upgradeSchema = "agora_9672f58"
)

// upgradedTables are the tables whose rows an upgrade must keep as they
// were: the demo's people, spaces, proposals, debates and the catalogue.
var upgradedTables = []string{
	"accounts", "account_roles", "residencies", "audit_log",
	"spaces", "space_phases", "space_categories",
	"proposals", "proposal_supports", "proposal_events",
	"debates", "comments", "comment_supports", "moderation_log",
	"apps", "app_tags", "app_releases",
}

// TestUpgradeFromPreviousMain loads a database made by the previous
// commit of main, migrates it to the current schema with `agora migrate
// up` (which applies exactly the migrations added since) and serves it:
// the demo's rows are unchanged, every visible proposal's page and every
// space, debate and app page answers with its content, a resident signs
// in, and the outbox events the old version left are sent through the
// current job queue.
func TestUpgradeFromPreviousMain(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		env := map[string]string{}
		switch dialect {
		case "sqlite":
			dir := t.TempDir()
			loadSQLiteFixture(t, filepath.Join(dir, "agora.db"))
			env["AGORA_DATA_DIR"], env["AGORA_DATABASE_URL"] = dir, ""
		case "postgres":
			env["AGORA_DATABASE_URL"] = loadPostgresFixture(t)
		}
		old, err := database.Open(ctx, env["AGORA_DATABASE_URL"], env["AGORA_DATA_DIR"])
		if err != nil {
			t.Fatal(err)
		}
		defer old.Close()
		var had []string
		if err := old.NewSelect().Table("agora_migrations").Column("name").Scan(ctx, &had); err != nil || len(had) < 8 {
			t.Fatalf("the fixture's migrations: %v, %v", had, err)
		}
		// Rows of the columns the old version had: a migration may add
		// columns, never change what was there.
		kept := map[string]string{}
		before := map[string][]string{}
		for _, table := range upgradedTables {
			kept[table] = "(SELECT " + strings.Join(columns(t, old, table), ", ") + " FROM " + table + ") AS kept"
			before[table] = storagetest.Rows(t, old, kept[table])
		}
		if len(before["proposals"]) < 10 || len(before["apps"]) != 1 {
			t.Fatalf("the fixture holds %d proposals and %d apps", len(before["proposals"]), len(before["apps"]))
		}

		// The migrations added since, and only those, are applied.
		n := &fedNode{name: "upgraded", clients: map[string]*http.Client{}, env: map[string]string{
			"AGORA_NODE_NAME": "Paris 15e", "AGORA_PAGE_CACHE": "0s", "AGORA_LOG_LEVEL": "info",
		}}
		for k, v := range env {
			n.env[k] = v
		}
		if n.env["AGORA_DATA_DIR"] == "" {
			n.env["AGORA_DATA_DIR"] = t.TempDir()
		}
		code, out, errOut := runCmd(t, n.env, "migrate", "up")
		if code != 0 {
			t.Fatalf("migrate up: %s", errOut)
		}
		var applied []string
		for _, m := range regexp.MustCompile(`(?m)^applied (\S+)$`).FindAllStringSubmatch(out, -1) {
			applied = append(applied, m[1])
		}
		_, status, _ := runCmd(t, n.env, "migrate", "status")
		var want []string
		for _, m := range regexp.MustCompile(`(?m)^(\d{14}_\S+)\s+(\S+)`).FindAllStringSubmatch(status, -1) {
			if m[2] != "applied" {
				t.Errorf("after migrate up: %s", m[0])
			}
			if !slices.Contains(had, m[1][:14]) { // bun records the timestamp only
				want = append(want, m[1])
			}
		}
		if len(want) == 0 || !slices.Equal(applied, want) {
			t.Errorf("migrate up applied %q, want the migrations added since 9672f58: %q", applied, want)
		}
		for table, rows := range before {
			if now := storagetest.Rows(t, old, kept[table]); !slices.Equal(rows, now) {
				t.Errorf("table %s changed in the upgrade:\nbefore: %q\nafter:  %q", table, rows, now)
			}
		}

		// The upgraded node serves the demo.
		addr := freeAddr(t)
		n.base = "http://localhost:" + addr[strings.LastIndex(addr, ":")+1:]
		n.env["AGORA_ADDR"], n.env["AGORA_BASE_URL"] = addr, n.base
		n.openDB(t)
		n.start(t)
		pages := map[string]string{} // path: what it must show
		var proposals []struct {
			ID, Title string
			Hidden    bool
		}
		if err := n.db.NewSelect().Table("proposals").Column("id", "title").ColumnExpr("hidden_at IS NOT NULL AS hidden").Scan(ctx, &proposals); err != nil {
			t.Fatal(err)
		}
		for _, p := range proposals {
			if !p.Hidden {
				pages["/proposals/"+p.ID] = p.Title
			}
		}
		for _, q := range []struct{ table, path, text string }{
			{"spaces", "/spaces/' || slug || '", "title"},
			{"debates", "/debates/' || id || '", "question"},
			{"apps", "/apps/' || slug || '", "name"},
		} {
			var paths, texts []string
			if err := n.db.NewSelect().Table(q.table).ColumnExpr("'"+q.path+"'").Column(q.text).Scan(ctx, &paths, &texts); err != nil {
				t.Fatal(err)
			}
			for i := range paths {
				pages[paths[i]] = texts[i]
			}
		}
		for path, text := range pages {
			resp := do(t, http.DefaultClient, http.MethodGet, n.base+path, nil, "")
			if resp.status != http.StatusOK || !strings.Contains(resp.body, html.EscapeString(text)) {
				t.Errorf("GET %s: %d, want 200 showing %q", path, resp.status, text)
			}
		}
		t.Logf("%d pages checked", len(pages))
		if c := n.signIn(t, "camille"); !strings.Contains(do(t, c, http.MethodGet, n.base+"/account", nil, "").body, "camille") {
			t.Error("Camille's account page does not name her")
		}
		// What the old version left in the outbox goes through the
		// current job queue.
		eventually(t, 30*time.Second, "the old outbox is dispatched and its jobs done", func() bool {
			return n.count(t, "outbox_events", "1 = 1") == 0 &&
				n.count(t, "river_job", "state NOT IN ('completed', 'cancelled', 'discarded')") == 0
		})
		if k := n.count(t, "river_job", "state <> 'completed'"); k != 0 {
			t.Errorf("%d jobs did not complete", k)
		}
	})
}

// loadSQLiteFixture runs the SQLite fixture into a new database file.
func loadSQLiteFixture(t *testing.T, path string) {
	t.Helper()
	dump, err := os.ReadFile(upgradeFixture + ".sqlite.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(string(dump)); err != nil {
		t.Fatalf("load %s.sqlite.sql: %v", upgradeFixture, err)
	}
}

// loadPostgresFixture loads the PostgreSQL fixture with psql into the
// test's own schema and returns the database URL.
func loadPostgresFixture(t *testing.T) string {
	t.Helper()
	tool(t, "psql")
	raw := storagetest.DatabaseURL(t, "postgres")
	base, schema := splitSchema(t, raw)
	dump, err := os.ReadFile(upgradeFixture + ".postgres.sql")
	if err != nil {
		t.Fatal(err)
	}
	// The dump creates its schema: the test's, under the test's name.
	file := filepath.Join(t.TempDir(), "fixture.sql")
	text := "DROP SCHEMA " + schema + ";\n" + strings.ReplaceAll(string(dump), upgradeSchema, schema)
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	must(t, "psql", "--quiet", "--no-psqlrc", "--set=ON_ERROR_STOP=1", "--file="+file, base)
	return raw
}

// columns lists a table's columns, quoted.
func columns(t *testing.T, db *bun.DB, table string) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), "SELECT * FROM "+table+" WHERE 1 = 0")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cols {
		cols[i] = `"` + c + `"`
	}
	return cols
}
