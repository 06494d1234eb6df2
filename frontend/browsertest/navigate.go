package browsertest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Serve serves h on a loopback port until the test ends and returns its
// base URL with the host name localhost: http://localhost:PORT. Use it
// rather than httptest.Server.URL (http://127.0.0.1:PORT): WebAuthn refuses
// an IP address as relying party, so a passkey ceremony works only on
// localhost, and one origin for all page tests keeps them alike.
func Serve(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatalf("browsertest: address of the test server: %v", err)
	}
	return "http://localhost:" + port
}

// Navigate loads url in the tab, waits for its load event, and returns the
// HTTP status of the main document (after redirects). It fails the test
// only when no page loads; the status is the caller's to check, so use it
// for error pages. For a page that must load, use Open.
func (b *Browser) Navigate(url string) int {
	b.t.Helper()
	return b.navigate(url)
}

// Open loads url like Navigate, and fails the test unless the page answers
// with a 2xx status, so that a check never runs on an error page by
// mistake.
func (b *Browser) Open(url string) {
	b.t.Helper()
	if status := b.navigate(url); status < 200 || status > 299 {
		b.t.Fatalf("browsertest: open %s: HTTP status %d, want 2xx", url, status)
	}
}

func (b *Browser) navigate(url string) int {
	b.t.Helper()
	return b.load("navigate to "+url, func(ctx context.Context) (*network.Response, error) {
		return chromedp.Run(ctx, chromedp.NavigateResponse(url))
	})
}

// load runs do, which loads a page and waits for it, and returns the HTTP
// status of the page.
//
// Chromium does not load a 4xx or 5xx answer with an empty body: it shows
// its own error page, and the navigation fails with
// ERR_HTTP_RESPONSE_CODE_FAILURE. The status is still the page's status,
// so load takes it from the response that the tab's listener saw.
func (b *Browser) load(what string, do func(ctx context.Context) (*network.Response, error)) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	b.docStatus.Store(0)
	resp, err := do(ctx)
	var loadErr *chromedp.LoadError
	if errors.As(err, &loadErr) && strings.Contains(loadErr.ErrorText, "ERR_HTTP_RESPONSE_CODE_FAILURE") {
		if status := b.docStatus.Load(); status != 0 {
			return int(status)
		}
	}
	if err != nil {
		b.t.Fatalf("browsertest: %s: %v", what, b.explain(err))
	}
	if resp == nil {
		b.t.Fatalf("browsertest: %s: no HTTP response (is it an http URL?)", what)
	}
	return int(resp.Status)
}

// watchDocuments records the status of each document that the tab's main
// frame receives, for load.
func (b *Browser) watchDocuments() error {
	frame := cdp.FrameID(chromedp.FromContext(b.ctx).Target.TargetID)
	return chromedp.Listen(b.ctx, func(ev any) {
		if ev, ok := ev.(*network.EventResponseReceived); ok && ev.Type == network.ResourceTypeDocument && ev.FrameID == frame {
			b.docStatus.Store(ev.Response.Status)
		}
	})
}

// URL returns the address of the page in the tab, for example to check
// where a form post redirected.
func (b *Browser) URL() string {
	b.t.Helper()
	return run(b, b.t, "read the location", chromedp.Location())
}
