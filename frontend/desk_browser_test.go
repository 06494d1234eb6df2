package frontend

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"agora/frontend/browsertest"
	"agora/instances/accounts"
)

// browserAs opens a browser signed in as acc on the node served at base:
// the session cookie is put straight into the browser, as a passkey
// sign-in would leave it.
func browserAs(t *testing.T, n *staffNode, base string, acc *accounts.Account) *browsertest.Browser {
	t.Helper()
	b := browsertest.New(t, browsertest.Timeout(2*time.Minute))
	token := n.session(t, acc)
	browserDo(t, b, "set the session cookie", func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{
			Name: "agora_session", Value: token, URL: base, HTTPOnly: new(true), SameSite: network.CookieSameSiteLax})
		return err
	})
	return b
}

// browserDo runs one chromedp step in the tab, failing the test on error.
func browserDo(t *testing.T, b *browsertest.Browser, what string, f func(ctx context.Context, tg *chromedp.Target) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Context(), 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Func(f)); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// evaluate runs a script in the page and returns its string result.
func evaluate(t *testing.T, b *browsertest.Browser, script string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Context(), 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](script))
	if err != nil {
		t.Fatalf("evaluate %s: %v", script, err)
	}
	return v
}

// skipValidation turns off the browser's own checks of the page's forms,
// so that a test can post a form with errors and see the server's
// messages next to the fields.
func skipValidation(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	evaluate(t, b, `document.querySelectorAll("form").forEach(f => f.noValidate = true), ""`)
}

// submitWant submits with the button and fails unless the page answers
// status.
func submitWant(t *testing.T, b *browsertest.Browser, button string, status int) {
	t.Helper()
	if got := b.Submit(button); got != status {
		t.Fatalf("submit %s: status %d, want %d", button, got, status)
	}
}

// The desk's pages as an agent meets them: each passes axe-core, with and
// without form errors, in both languages; the setup sheet prints alone
// on one A4 page.
func TestDeskPagesInBrowser(t *testing.T) {
	t.Parallel()
	n := newStaffNode(t, "sqlite")
	resident := n.account(t, "marie")
	if err := n.svc.VerifyAtDesk(t.Context(), accounts.Actor{Account: n.staff[accounts.Agent], Desk: desk}, resident.ID, "id_card"); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, n.h)
	b := browserAs(t, n, base, n.staff[accounts.Agent])

	for _, path := range []string{"/desk?lang=fr", "/desk?q=mar", "/desk?q=nobody", "/desk/accounts/new", "/desk/accounts/" + resident.ID, "/desk?lang=en", "/desk/accounts/" + resident.ID + "?lang=en"} {
		b.Open(base + path)
		b.AssertAccessible()
	}
	b.Open(base + "/desk?lang=fr")

	// The desk name, typed once.
	b.Fill("#f-desk", desk)
	submitWant(t, b, `form[action="/desk/name"] button`, http.StatusOK)
	b.AssertAccessible()

	// The resident page with an error in the profile form.
	b.Open(base + "/desk/accounts/" + resident.ID)
	if got := evaluate(t, b, `document.querySelector("#profile-desk").value`); got != desk {
		t.Errorf("desk field %q, want the remembered %q", got, desk)
	}
	skipValidation(t, b)
	submitWant(t, b, `form[action$="/profile#profile"] button`, http.StatusBadRequest)
	b.AssertAccessible()

	// A new account: first with errors, then the sheet.
	b.Open(base + "/desk/accounts/new")
	skipValidation(t, b)
	b.Fill("#f-desk", "")
	b.Fill("#f-handle", "Pas Bon")
	submitWant(t, b, `form[action="/desk/accounts/new"] button`, http.StatusBadRequest)
	b.AssertAccessible()
	b.Fill("#f-desk", desk)
	b.Fill("#f-handle", "rene")
	b.Fill("#f-display_name", "René L.")
	b.Select("#f-language", "en")
	submitWant(t, b, `form[action="/desk/accounts/new"] button`, http.StatusOK)
	b.AssertAccessible()
	if code := b.Text(".sheet-code"); len(strings.ReplaceAll(code, "-", "")) != 16 {
		t.Errorf("code on the sheet %q", code)
	}

	// On paper: only the sheet, on one A4 page.
	browserDo(t, b, "emulate print", func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	})
	shown := evaluate(t, b, `["header.site", "footer.site", ".no-print", ".sheet"].map(s => getComputedStyle(document.querySelector(s)).display).join(" ")`)
	if shown != "none none none block" {
		t.Errorf("printed displays (header, footer, notice, sheet) = %q, want none none none block", shown)
	}
	var pdf []byte
	browserDo(t, b, "print to PDF", func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PreferCSSPageSize: new(true)})
		pdf = res.Data
		return err
	})
	if pages := len(regexp.MustCompile(`/Type\s*/Page\b`).FindAll(pdf, -1)); pages != 1 {
		t.Errorf("the sheet prints on %d pages, want 1", pages)
	}
	if !regexp.MustCompile(`/MediaBox \[0 0 59[45]\.?\d* 84[12]\.?\d*\]`).Match(pdf) {
		t.Errorf("the sheet is not printed on A4 (@page sheet)")
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("not a PDF: %.20q", pdf)
	}
}
