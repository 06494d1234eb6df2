package admin_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"agora/frontend/frontendtest"

	"github.com/chromedp/chromedp"

	"agora/frontend/browsertest"
	"agora/instances/accounts"
)

// The administration's pages as an admin meets them: each passes
// axe-core, with and without errors, in both languages.
func TestAdminPagesInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewStaffNode(t, "sqlite")
	if err := n.Accounts.SetRole(t.Context(), accounts.As(n.Staff[accounts.Admin]), n.Staff[accounts.Moderator].ID, accounts.Agent, "", false, "renfort au guichet"); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, n.H)
	b := n.BrowserAs(t, base, n.Staff[accounts.Admin])

	for _, path := range []string{"/admin?lang=fr", "/admin/audit", "/admin/audit?action=role.&subject=staff_moderator",
		"/admin/accounts", "/admin/accounts?q=staff", "/admin/accounts?q=nobody", "/admin/residency", "/admin?lang=en", "/admin/audit?lang=en"} {
		b.Open(base + path)
		b.AssertAccessible()
	}

	// Filters with errors.
	if got := b.Navigate(base + "/admin/audit?lang=fr&actor=nobody&since=hier"); got != http.StatusBadRequest {
		t.Fatalf("bad filters: status %d, want 400", got)
	}
	b.AssertAccessible()

	// A role change without a reason.
	b.Open(base + "/admin/accounts?q=staff_resident")
	b.NoValidate()
	b.SubmitWant(`form[action$="/roles"] button[value=grant]`, http.StatusBadRequest)
	b.AssertAccessible()

	// A census file with a bad line, then the letters form with errors.
	file := filepath.Join(t.TempDir(), "census.csv")
	if err := os.WriteFile(file, []byte("hash\nnot a hash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Open(base + "/admin/residency")
	b.Fill("#f-salt", "a salt of the city, secret")
	if _, err := chromedp.Run(b.Context(), chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file})); err != nil {
		t.Fatal(err)
	}
	b.SubmitWant(`form[action="/admin/residency/census"] button`, http.StatusBadRequest)
	b.AssertAccessible()
	if text := b.Text("#f-file-error"); !strings.Contains(text, "line 2") {
		t.Errorf("census errors %q, want line 2 named", text)
	}
	b.NoValidate()
	b.Fill("#f-count", "0")
	b.SubmitWant(`form[action="/admin/residency/letters"] button`, http.StatusBadRequest)
	b.AssertAccessible()
}
