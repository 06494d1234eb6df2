package i18n

import (
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ref := c.Keys(Languages[0])
	if len(ref) == 0 {
		t.Fatal("empty catalogue")
	}
	for _, lang := range Languages[1:] {
		if got := c.Keys(lang); !slices.Equal(got, ref) {
			t.Errorf("%s keys differ from %s:\n%v\n%v", lang, Languages[0], got, ref)
		}
	}
}

func TestNegotiate(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, query, cookie, accept, want string
	}{
		{"default is French", "", "", "", "fr"},
		{"English browser", "", "", "en-GB,en;q=0.9", "en"},
		{"French browser", "", "", "fr-FR,fr;q=0.9,en;q=0.5", "fr"},
		{"unsupported falls back to French", "", "", "de-DE", "fr"},
		{"garbage header", "", "", ";;;=", "fr"},
		{"cookie beats header", "", "fr", "en", "fr"},
		{"query beats cookie", "en", "fr", "fr", "en"},
		{"unknown query ignored", "xx", "", "en", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/?lang="+tt.query, nil)
			if tt.cookie != "" {
				r.Header.Set("Cookie", CookieName+"="+tt.cookie)
			}
			if tt.accept != "" {
				r.Header.Set("Accept-Language", tt.accept)
			}
			if got := c.Negotiate(r); got != tt.want {
				t.Errorf("Negotiate = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPrinter(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Printer("en").T("home.title", "Paris 15e"); got != "Welcome to the participation platform of Paris 15e" {
		t.Errorf("en T = %q", got)
	}
	if got := c.Printer("zz").Lang; got != "fr" {
		t.Errorf("unknown language printer = %q, want fr", got)
	}
	if got := c.Printer("fr").T("no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key = %q", got)
	}
}

func TestDates(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	c.Location, _ = time.LoadLocation("Europe/Paris")
	at := time.Date(2026, 11, 24, 20, 30, 0, 0, time.UTC)
	if got := c.Printer("fr").DateTime(at); got != "24 novembre 2026 à 21:30" {
		t.Errorf("fr = %q", got)
	}
	if got := c.Printer("en").DateTime(at); got != "24 November 2026 at 21:30" {
		t.Errorf("en = %q", got)
	}
}
