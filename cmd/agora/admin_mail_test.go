package main

import (
	"path/filepath"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/notifications"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// TestAdminMailBounce: a Postfix bounce piped in stops email to the
// address its VERP key names; a resident's reply is refused with the
// reason, exit 1, and changes nothing.
func TestAdminMailBounce(t *testing.T) {
	bounces := filepath.Join("..", "..", "instances", "notifications", "testdata", "bounces")
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		dir := t.TempDir()
		url := storagetest.DatabaseURL(t, dialect)
		env := map[string]string{"AGORA_DATA_DIR": dir, "AGORA_DATABASE_URL": url, "AGORA_BASE_URL": "https://paris15.example"}
		if code, out, errOut := runCmd(t, env, "migrate", "up"); code != 0 {
			t.Fatalf("migrate up: exit %d %s%s", code, out, errOut)
		}
		db, err := database.Open(t.Context(), url, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		acc, err := accounts.NewService(db, nil).Create(t.Context(), accounts.System, accounts.NewAccount{Handle: "camille", DisplayName: "Camille"})
		if err != nil {
			t.Fatal(err)
		}
		svc := notifications.NewService(db, nil)
		if _, err := svc.SetAddress(t.Context(), acc.ID, "camille@example.org"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.NewUpdate().Table("notification_email").Set("bounce_key = '0123456789abcdef01234567'").Where("account_id = ?", acc.ID).Exec(t.Context()); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCmd(t, env, "admin", "mail", "bounce", "--file", filepath.Join(bounces, "reply.eml"))
		if code != 1 || !strings.Contains(errOut, "not a bounce") {
			t.Errorf("a reply: exit %d %s%s", code, out, errOut)
		}
		if e, _ := svc.Email(t.Context(), acc.ID); e.BouncedAt != nil {
			t.Errorf("a reply was recorded: %+v", e)
		}
		code, out, errOut = runCmd(t, env, "admin", "mail", "bounce", "--file", filepath.Join(bounces, "postfix-hard.eml"))
		if code != 0 || !strings.Contains(out, "hard bounce of camille@example.org (5.1.1) recorded on 1 address") {
			t.Fatalf("a bounce: exit %d %s%s", code, out, errOut)
		}
		if e, _ := svc.Email(t.Context(), acc.ID); e.RefusedAt == nil || !e.BounceHard {
			t.Errorf("a hard bounce did not stop email: %+v", e)
		}
	})
}
