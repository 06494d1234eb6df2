package browsertest

import (
	"context"
	"encoding/json"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Selectors in this file are CSS selectors, and each acts on the first
// element that matches. A selector that matches nothing fails the test
// after 10 s.

// Fill empties the text field (input or textarea) that selector matches
// and types text into it key by key, as a person would, so the page gets
// its key and input events.
func (b *Browser) Fill(selector, text string) {
	b.t.Helper()
	// chromedp.SetValue(sel, "") cannot empty a field (chromedp v0.23.0
	// sends the empty string as undefined), so a script does it, once the
	// query has waited for the element.
	sel, _ := json.Marshal(selector)
	clear := `(() => {
		const e = document.querySelector(` + string(sel) + `);
		e.value = "";
		e.dispatchEvent(new Event("input", {bubbles: true}));
	})()`
	run(b, b.t, "fill "+selector, chromedp.Steps(
		chromedp.WaitReady(chromedp.CSS(selector)),
		chromedp.Evaluate[chromedp.Void](clear),
		chromedp.SendKeys(chromedp.CSS(selector), text),
	))
}

// Select chooses the option with the given value in the select element
// that selector matches.
func (b *Browser) Select(selector, value string) {
	b.t.Helper()
	run(b, b.t, "select "+value+" in "+selector, chromedp.SetValue(chromedp.CSS(selector), value))
}

// Click clicks the element that selector matches, with the mouse, and does
// not wait for a page to load: use it for a checkbox, a radio button or a
// button that changes the page in place. Use Submit for a click that loads
// a page.
func (b *Browser) Click(selector string) {
	b.t.Helper()
	run(b, b.t, "click "+selector, chromedp.Click(chromedp.CSS(selector)))
}

// Submit clicks the element that selector matches (a submit button or a
// link), waits for the page it loads, and returns the HTTP status of that
// page, after redirects. It fails the test when no page loads.
func (b *Browser) Submit(selector string) int {
	b.t.Helper()
	return b.load("submit with "+selector, func(ctx context.Context) (*network.Response, error) {
		return chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	})
}

// Text returns the rendered text (innerText) of the element that selector
// matches.
func (b *Browser) Text(selector string) string {
	b.t.Helper()
	return run(b, b.t, "read the text of "+selector, chromedp.Text(chromedp.CSS(selector)))
}

// SubmitWant submits with the element that selector matches and fails the
// test unless the page it loads answers status.
func (b *Browser) SubmitWant(selector string, status int) {
	b.t.Helper()
	if got := b.Submit(selector); got != status {
		b.t.Fatalf("browsertest: submit %s: status %d, want %d", selector, got, status)
	}
}

// NoValidate turns off the browser's own checks of the page's forms, so
// that a test can post a form with errors and see the server's messages
// next to the fields.
func (b *Browser) NoValidate() {
	b.t.Helper()
	b.Eval(`document.querySelectorAll("form").forEach(f => f.noValidate = true), ""`)
}

// Eval runs a script in the page and returns its result as a string.
func (b *Browser) Eval(script string) string {
	b.t.Helper()
	return run(b, b.t, "evaluate "+script, chromedp.Evaluate[string](script))
}

// SetCookie puts an HTTP-only, SameSite=Lax cookie for url into the
// browser, as the server would have set it.
func (b *Browser) SetCookie(url, name, value string) {
	b.t.Helper()
	run(b, b.t, "set the cookie "+name, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{
			Name: name, Value: value, URL: url, HTTPOnly: new(true), SameSite: network.CookieSameSiteLax})
		return err
	}))
}
