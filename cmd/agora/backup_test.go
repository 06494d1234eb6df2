package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"html"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/minio/minio-go/v7"

	"agora/instances/demo"
	"agora/storage/storagetest"
)

// restoredTables are the tables whose rows a restored node must hold
// exactly as the node backed up did: what people and staff made. (Jobs,
// sessions' last-seen times and rate-limit windows move on their own.)
var restoredTables = []string{
	"accounts", "account_roles", "residencies", "passkeys", "audit_log",
	"spaces", "space_phases", "space_categories",
	"proposals", "proposal_supports", "proposal_events", "proposal_attachments",
	"debates", "comments", "comment_supports", "moderation_log",
	"apps", "app_releases", "app_artifacts", "ap_keys",
}

// TestBackupAndRestore fills a node (the demo, a proposal with a file, an
// app of the catalogue with a release file), backs it up while it runs
// and restores it into a fresh node exactly as docs/ADMIN.md says:
// SQLite with `agora admin backup` and rsync of the blob directory;
// PostgreSQL with pg_dump and pg_restore into a new database, and the S3
// prefix's objects copied to a new prefix. The restored node passes
// `agora admin check`, serves every proposal page as the old one did,
// the file and the release file byte for byte, and the old sessions and
// a new sign-in link work; the people's and staff's tables are
// identical, row for row.
func TestBackupAndRestore(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		env := map[string]string{"AGORA_DATABASE_URL": ""} // SQLite and files in the data directory, as by default
		var pgSchema, pgBase string
		if dialect == "postgres" {
			tool(t, "pg_dump")
			tool(t, "pg_restore")
			env["AGORA_DATABASE_URL"] = storagetest.DatabaseURL(t, dialect)
			env["AGORA_BLOB_URL"] = storagetest.S3URL(t)
			pgBase, pgSchema = splitSchema(t, env["AGORA_DATABASE_URL"])
		} else {
			tool(t, "rsync")
		}
		old := newNode(t, "Paris 15e", env)
		old.admin(t, "demo")
		old.admin(t, "apps", "import", "../../instances/apps/testdata/valid.yml")
		old.start(t)

		camille, admin := old.signIn(t, "camille"), old.signIn(t, "demo_admin")
		plan := []byte("%PDF-1.4\n% plan du square Violet\n%%EOF\n")
		withFile := proposeWithFile(t, old, camille, demo.BudgetSlug, "espaces-verts", "Un plan pour le square Violet", "plan.pdf", plan)
		var app string
		if err := old.db.NewSelect().Table("apps").Column("slug").Scan(ctx, &app); err != nil {
			t.Fatal(err)
		}
		release := bytes.Repeat([]byte("agora 2.0.0 "), 50_000)
		uploadRelease(t, old, admin, app, "2.0.0", "agora-2.0.0.tar.gz", release)
		var artifact string
		if err := old.db.NewSelect().Table("app_artifacts").Column("id").Scan(ctx, &artifact); err != nil {
			t.Fatal(err)
		}
		// What the node serves before: every proposal's page.
		var ids, titles []string
		if err := old.db.NewSelect().Table("proposals").Column("id", "title").OrderExpr("id").Scan(ctx, &ids, &titles); err != nil {
			t.Fatal(err)
		}
		if len(ids) < 10 {
			t.Fatalf("%d proposals: the demo did not load", len(ids))
		}
		before := map[string]int{}
		for _, id := range ids {
			before[id] = do(t, http.DefaultClient, http.MethodGet, old.base+"/proposals/"+id, nil, "").status
		}

		// Back up while the node runs: the database first, then the files.
		backups := t.TempDir()
		restored := map[string]string{"AGORA_DATA_DIR": t.TempDir()}
		switch dialect {
		case "sqlite":
			old.admin(t, "backup", "--to", backups+"/agora.db")
			must(t, "mkdir", "-p", backups+"/blobs")
			must(t, "rsync", "-a", old.env["AGORA_DATA_DIR"]+"/blobs/sha256/", backups+"/blobs/sha256/")
		case "postgres":
			must(t, "pg_dump", "--format=custom", "--file="+backups+"/agora.dump", "--schema="+pgSchema, pgBase)
			restored["AGORA_BLOB_URL"] = storagetest.S3URL(t)
			copyS3(t, old.env["AGORA_BLOB_URL"], restored["AGORA_BLOB_URL"])
		}
		old.stop(t)

		// Restore into a fresh data directory, a fresh database and a fresh
		// prefix.
		switch dialect {
		case "sqlite":
			dir := restored["AGORA_DATA_DIR"]
			must(t, "cp", backups+"/agora.db", dir+"/agora.db")
			must(t, "rm", "-f", dir+"/agora.db-wal", dir+"/agora.db-shm")
			must(t, "mkdir", "-p", dir+"/blobs")
			must(t, "rsync", "-a", backups+"/blobs/sha256/", dir+"/blobs/sha256/")
			restored["AGORA_DATABASE_URL"] = ""
		case "postgres":
			fresh := freshDatabase(t, pgBase)
			must(t, "pg_restore", "--clean", "--if-exists", "--no-owner", "--dbname="+fresh, backups+"/agora.dump")
			restored["AGORA_DATABASE_URL"] = withSchema(t, fresh, pgSchema)
		}
		n := &fedNode{name: "restored", base: old.base, clients: map[string]*http.Client{}, env: maps.Clone(old.env)}
		maps.Copy(n.env, restored)
		if out := n.admin(t, "check"); !strings.HasPrefix(out, "ok: ") {
			t.Fatalf("agora admin check on the restored node: %s", out)
		}
		n.openDB(t)
		for _, table := range restoredTables {
			if a, b := storagetest.Rows(t, old.db, table), storagetest.Rows(t, n.db, table); !slices.Equal(a, b) {
				t.Errorf("table %s: %d rows before, %d restored, or rows differ", table, len(a), len(b))
			}
		}
		n.start(t)

		for i, id := range ids {
			resp := do(t, http.DefaultClient, http.MethodGet, n.base+"/proposals/"+id, nil, "")
			if resp.status != before[id] || resp.status == http.StatusOK && !strings.Contains(resp.body, html.EscapeString(titles[i])) {
				t.Errorf("proposal %s (%q): %d after restoring, %d before", id, titles[i], resp.status, before[id])
			}
		}
		if resp := do(t, http.DefaultClient, http.MethodGet, n.base+"/spaces/"+demo.BudgetSlug, nil, ""); resp.status != http.StatusOK {
			t.Errorf("the demo's space: %d", resp.status)
		}
		if resp := do(t, http.DefaultClient, http.MethodGet, n.base+"/proposals/"+withFile+"/attachments/1", nil, ""); resp.status != http.StatusOK || resp.body != string(plan) {
			t.Errorf("the proposal's file after restoring: %d, %d bytes", resp.status, len(resp.body))
		}
		if resp := do(t, http.DefaultClient, http.MethodGet, n.base+"/apps/"+app+"/artifacts/"+artifact, nil, ""); resp.status != http.StatusOK || resp.body != string(release) {
			t.Errorf("the release file after restoring: %d, %d bytes of %d", resp.status, len(resp.body), len(release))
		}
		// Sessions are in the database: Camille is still signed in; and
		// a new sign-in link works.
		if resp := do(t, camille, http.MethodGet, n.base+"/account", nil, ""); resp.status != http.StatusOK || !strings.Contains(resp.body, "camille") {
			t.Errorf("Camille's session after restoring: %d", resp.status)
		}
		n.signIn(t, "youssef")
	})
}

// tool checks that a command-line tool the test runs is installed: the
// test is skipped without it, or fails where services are required.
func tool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if storagetest.Required() {
			t.Fatalf("%s is required here (CI or AGORA_TEST_REQUIRE is set) but not installed", name)
		}
		t.Skipf("skipping: install %s (not found on PATH) to run this test", name)
	}
}

// must runs a command and fails the test if it fails.
func must(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// stop stops the node with SIGTERM and waits for it to exit.
func (n *fedNode) stop(t *testing.T) {
	t.Helper()
	n.proc.cmd.Process.Signal(syscall.SIGTERM)
	if err := n.proc.cmd.Wait(); err != nil {
		t.Fatalf("%s: stop: %v\n%s", n.name, err, n.proc.log())
	}
}

// splitSchema splits a test's PostgreSQL URL into a URL libpq's tools
// accept (no search_path) and the schema.
func splitSchema(t *testing.T, raw string) (base, schema string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema = q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema
}

func withSchema(t *testing.T, raw, schema string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// freshDatabase creates an empty database on the server of base, dropped
// when the test ends, and returns its URL.
func freshDatabase(t *testing.T, base string) string {
	t.Helper()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := "restore_" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "_")) + fmt.Sprint(os.Getpid())
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			t.Error(err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}

// copyS3 copies every object under one blob URL's prefix to another's, as
// an S3 client that mirrors a bucket would.
func copyS3(t *testing.T, from, to string) {
	t.Helper()
	client, _ := storagetest.S3Client(t)
	split := func(raw string) (bucket, prefix string) {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		bucket, prefix, _ = strings.Cut(strings.Trim(u.Path, "/"), "/")
		return bucket, prefix
	}
	fb, fp := split(from)
	tb, tp := split(to)
	copied := 0
	for oi := range client.ListObjects(t.Context(), fb, minio.ListObjectsOptions{Prefix: fp + "/", Recursive: true}) {
		if oi.Err != nil {
			t.Fatal(oi.Err)
		}
		_, err := client.CopyObject(t.Context(),
			minio.CopyDestOptions{Bucket: tb, Object: tp + strings.TrimPrefix(oi.Key, fp)},
			minio.CopySrcOptions{Bucket: fb, Object: oi.Key})
		if err != nil {
			t.Fatalf("copy %s: %v", oi.Key, err)
		}
		copied++
	}
	if copied == 0 {
		t.Fatalf("no object under %s", fp)
	}
}

// uploadRelease adds a release with one file to an app of the catalogue.
func uploadRelease(t *testing.T, n *fedNode, c *http.Client, app, version, name string, data []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("version", version)
	fw, _ := mw.CreateFormFile("artifacts", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, n.base+"/apps/"+app+"/releases/new", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	nc := *c
	nc.CheckRedirect = noRedirect
	resp, err := nc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s: new release of %s: %d\n%s", n.name, app, resp.StatusCode, body)
	}
}
