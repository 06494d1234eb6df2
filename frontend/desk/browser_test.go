package desk_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"agora/frontend/frontendtest"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"agora/frontend/browsertest"
	"agora/instances/accounts"
)

// The desk's pages as an agent meets them: each passes axe-core, with and
// without form errors, in both languages; the setup sheet prints alone
// on one A4 page.
func TestDeskPagesInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewStaffNode(t, "sqlite")
	resident := n.Account(t, "marie")
	if err := n.Accounts.VerifyAtDesk(t.Context(), accounts.Actor{Account: n.Staff[accounts.Agent], Desk: frontendtest.Desk}, resident.ID, "id_card", accounts.Electoral{}); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, n.H)
	b := n.BrowserAs(t, base, n.Staff[accounts.Agent])

	for _, path := range []string{"/desk?lang=fr", "/desk?q=mar", "/desk?q=nobody", "/desk/accounts/new", "/desk/accounts/" + resident.ID, "/desk?lang=en", "/desk/accounts/" + resident.ID + "?lang=en"} {
		b.Open(base + path)
		b.AssertAccessible()
	}
	b.Open(base + "/desk?lang=fr")

	// The desk name, typed once.
	b.Fill("#f-desk", frontendtest.Desk)
	b.SubmitWant(`form[action="/desk/name"] button`, http.StatusOK)
	b.AssertAccessible()

	// The resident page with an error in the profile form.
	b.Open(base + "/desk/accounts/" + resident.ID)
	if got := b.Eval(`document.querySelector("#profile-desk").value`); got != frontendtest.Desk {
		t.Errorf("desk field %q, want the remembered %q", got, frontendtest.Desk)
	}
	b.NoValidate()
	b.SubmitWant(`form[action$="/profile#profile"] button`, http.StatusBadRequest)
	b.AssertAccessible()

	// A new account: first with errors, then the sheet.
	b.Open(base + "/desk/accounts/new")
	b.NoValidate()
	b.Fill("#f-desk", "")
	b.Fill("#f-handle", "Pas Bon")
	b.SubmitWant(`form[action="/desk/accounts/new"] button`, http.StatusBadRequest)
	b.AssertAccessible()
	b.Fill("#f-desk", frontendtest.Desk)
	b.Fill("#f-handle", "rene")
	b.Fill("#f-display_name", "René L.")
	b.Select("#f-language", "en")
	b.SubmitWant(`form[action="/desk/accounts/new"] button`, http.StatusOK)
	b.AssertAccessible()
	if code := b.Text(".sheet-code"); len(strings.ReplaceAll(code, "-", "")) != 16 {
		t.Errorf("code on the sheet %q", code)
	}

	// On paper: only the sheet, on one A4 page.
	b.Do("emulate print", func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	})
	shown := b.Eval(`["header.site", "footer.site", ".no-print", ".sheet"].map(s => getComputedStyle(document.querySelector(s)).display).join(" ")`)
	if shown != "none none none block" {
		t.Errorf("printed displays (header, footer, notice, sheet) = %q, want none none none block", shown)
	}
	var pdf []byte
	b.Do("print to PDF", func(ctx context.Context, tg *chromedp.Target) error {
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
