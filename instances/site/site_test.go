package site_test

import (
	"errors"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/instancestest"
	"agora/instances/site"
	"agora/storage/storagetest"
)

// Contrast ratios as WCAG defines them, on known pairs.
func TestContrast(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#767676", "#ffffff", 4.54}, // the lightest grey that passes AA on white
		{"#777777", "#ffffff", 4.48},
		{"#0a4fa6", "#ffffff", 7.83},
	} {
		if got := site.Contrast(tt.a, tt.b); got < tt.want-0.01 || got > tt.want+0.01 {
			t.Errorf("Contrast(%s, %s) = %.3f, want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
	if site.Readable("#777777") || !site.Readable("#767676") || site.Contrast("red", "#ffffff") != 0 {
		t.Error("Readable draws the AA line at the wrong place")
	}
	if got := site.Darker("#0a4fa6", 0.35); got != "#07336c" {
		t.Errorf("Darker = %s", got)
	}
}

// The admin sets the node's settings; every field at fault is named at
// once and nothing changes; each change is in the audit log.
func TestSettings(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		db := storagetest.MigratedDB(t, dialect)
		clock := storagetest.NewClock(instancestest.Start)
		acc := accounts.NewService(db, clock.Now)
		svc := site.NewService(db, clock.Now)
		admin := instancestest.Account(t, acc, "camille", accounts.Admin)
		resident := instancestest.Account(t, acc, "marie")

		st, err := svc.Get(t.Context())
		if err != nil || st.Name != "" || st.A11yRate != -1 {
			t.Fatalf("fresh settings %+v, %v", st, err)
		}
		tables := storagetest.Tables{DB: db, Names: []string{"node_settings", "audit_log"}}
		before := tables.State(t)
		bad := site.Settings{Name: "Paris\x0015e", Accent: "#ffdd00", WelcomeFR: string(make([]rune, 2001)), A11yStatus: "maybe"}
		err = svc.Update(t.Context(), accounts.As(admin), bad)
		for _, want := range []error{site.ErrName, site.ErrContrast, site.ErrWelcome, site.ErrA11y} {
			if !errors.Is(err, want) {
				t.Errorf("bad settings: %v, want %v among the errors", err, want)
			}
		}
		if err := svc.Update(t.Context(), accounts.As(admin), site.Settings{Accent: "blue"}); !errors.Is(err, site.ErrAccent) {
			t.Errorf("accent blue: %v", err)
		}
		if err := svc.Update(t.Context(), accounts.As(resident), site.Settings{Name: "Chez moi"}); !errors.Is(err, site.ErrForbidden) {
			t.Errorf("a resident's update: %v", err)
		}
		tables.Unchanged(t, before, "refused updates")

		good := site.Settings{Name: " Paris 15e ", Accent: "#0B6E4F", WelcomeFR: "Bienvenue **chez vous**.", Publisher: "Mairie du 15e",
			A11yStatus: "partial", A11yRate: 72, A11yAudit: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}
		if err := svc.Update(t.Context(), accounts.As(admin), good); err != nil {
			t.Fatal(err)
		}
		st, err = svc.Get(t.Context())
		if err != nil || st.Name != "Paris 15e" || st.Accent != "#0b6e4f" || st.A11yRate != 72 || st.Publisher != "Mairie du 15e" {
			t.Fatalf("settings %+v, %v", st, err)
		}
		if err := svc.SetLogo(t.Context(), accounts.As(admin), "abc", "image/png"); err != nil {
			t.Fatal(err)
		}
		// Another process sees the change within the cache's time.
		other := site.NewService(db, clock.Now)
		if st, _ := other.Get(t.Context()); st.LogoKey != "abc" || st.Name != "Paris 15e" {
			t.Errorf("another process reads %+v", st)
		}
		// Updating keeps the logo.
		good.Name = "Paris 15e arrondissement"
		if err := svc.Update(t.Context(), accounts.As(admin), good); err != nil {
			t.Fatal(err)
		}
		if st, _ := svc.Get(t.Context()); st.LogoKey != "abc" {
			t.Errorf("the logo went with an update: %+v", st)
		}
		entries, err := acc.AuditLog(t.Context(), accounts.System, accounts.AuditFilter{Action: "site.update"})
		if err != nil || len(entries) != 3 || entries[2].Details != "changed=name,accent,welcome_fr,publisher,a11y_status,a11y_rate,a11y_audit" ||
			entries[0].Details != "changed=name" || entries[0].ActorID != admin.ID {
			t.Errorf("audit entries %+v, %v", entries, err)
		}
	})
}
