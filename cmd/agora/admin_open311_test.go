package main

import (
	"strings"
	"testing"

	"agora/instances/reports"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// TestAdminOpen311CreateKey: the key printed on the last line opens the
// API as the client's own account.
func TestAdminOpen311CreateKey(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		dir := t.TempDir()
		url := storagetest.DatabaseURL(t, dialect)
		env := map[string]string{"AGORA_DATA_DIR": dir, "AGORA_DATABASE_URL": url, "AGORA_BASE_URL": "https://agora.example"}
		if code, out, errOut := runCmd(t, env, "migrate", "up"); code != 0 {
			t.Fatalf("migrate up: exit %d %s%s", code, out, errOut)
		}
		if code, out, errOut := runCmd(t, env, "admin", "open311", "create-key"); code != 2 || !strings.Contains(errOut, "--name") {
			t.Errorf("no name: exit %d %s%s", code, out, errOut)
		}
		code, out, errOut := runCmd(t, env, "admin", "open311", "create-key", "--name", "Appli DansMaRue")
		if code != 0 {
			t.Fatalf("exit %d %s%s", code, out, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		key := lines[len(lines)-1]
		if !strings.HasPrefix(key, "o311_") || len(key) < 40 {
			t.Fatalf("last line %q is not a key", key)
		}
		db, err := database.Open(t.Context(), url, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		svc := reports.NewService(db, nil)
		acc, err := svc.KeyAccount(t.Context(), key)
		if err != nil || acc == "" {
			t.Errorf("key refused: %v", err)
		}
		if _, err := svc.KeyAccount(t.Context(), key+"x"); err != reports.ErrBadKey {
			t.Errorf("a wrong key: %v", err)
		}
	})
}
