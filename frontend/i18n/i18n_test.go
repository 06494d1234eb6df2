package i18n

import (
	"fmt"
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

// Days, whole numbers and decimals as each language writes them.
func TestNumbersAndDays(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	fr, en := c.Printer("fr"), c.Printer("en")
	first := time.Date(2027, 1, 1, 10, 0, 0, 0, time.UTC)
	second := time.Date(2027, 1, 2, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ got, want string }{
		{fr.Date(first), "1er janvier 2027"},
		{fr.DateTime(first), "1er janvier 2027 à 10:00"},
		{fr.Date(second), "2 janvier 2027"},
		{en.Date(first), "1 January 2027"},
		{fr.Int(7), "7"},
		{fr.Int(2027), "2027"},
		{fr.Int(10000), "10\u202f000"},
		{fr.Int(-1234567), "-1\u202f234\u202f567"},
		{en.Int(10000), "10,000"},
		{en.Int(999), "999"},
		{en.Int(1000), "1,000"},
		{fr.Decimal(48.8385, -1), "48,8385"},
		{en.Decimal(48.8385, -1), "48.8385"},
		{fr.Decimal(2.5, 1), "2,5"},
		{fr.Size(1_500_000), fr.T("attachment.mb", "1,5")},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// French elides "de" and "que" before an argument that starts with a
// vowel, and only there.
func TestElision(t *testing.T) {
	for _, tc := range []struct {
		format string
		args   []any
		want   string
	}{
		{"la plateforme de %s", []any{"Agora"}, "la plateforme d’Agora"},
		{"la plateforme de %s", []any{"Paris 15e"}, "la plateforme de Paris 15e"},
		{"De %s à %s", []any{"Inès", "Léa"}, "D’Inès à Léa"},
		{"commentaire de %[2]s, n° %[1]d", []any{3, "Élodie"}, "commentaire d’Élodie, n° 3"},
		{"plus que %s", []any{"une"}, "plus qu’une"},
		{"de %s", []any{"Hautes-Alpes"}, "de Hautes-Alpes"},
		{"100 %% de %s", []any{"élus"}, "100 % d’élus"},
		{"de %d", []any{8}, "de 8"},
		{"inde %s", []any{"a"}, "inde a"},
	} {
		if got := fmt.Sprintf(elide(tc.format, tc.args), tc.args...); got != tc.want {
			t.Errorf("%q %v = %q, want %q", tc.format, tc.args, got, tc.want)
		}
	}
}
