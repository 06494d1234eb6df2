package frontend_test

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"agora/frontend"
	"agora/frontend/browsertest"
	"agora/frontend/frontendtest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// The pages as a person meets them in a real browser: each passes axe-core
// with zero violations, in both languages, and the keyboard reaches the
// skip link first.
func TestPagesInBrowser(t *testing.T) {
	b := browsertest.New(t)
	h, err := frontend.New(frontend.Config{NodeName: "Paris 15e", BaseURL: frontendtest.MustURL(t, "http://localhost")},
		frontend.Deps{Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, h)

	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/?lang=fr", http.StatusOK},
		{"/?lang=en", http.StatusOK},
		{"/no/such/page", http.StatusNotFound},
	} {
		if got := b.Navigate(base + tc.path); got != tc.status {
			t.Fatalf("%s: status %d, want %d", tc.path, got, tc.status)
		}
		b.AssertAccessible()
	}

	b.Open(base + "/?lang=fr")
	if f := b.Tab(); f.Role != "link" || f.Name != "Aller au contenu" {
		t.Errorf("first Tab stop is %s, want the skip link", f)
	}
	if f := b.Tab(); f.Role != "link" || f.Name != "Paris 15e" {
		t.Errorf("second Tab stop is %s, want the node name", f)
	}
}
