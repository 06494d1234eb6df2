package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/audits"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Incident is something a page made the browser do that a page of the
// node never should: a Content-Security-Policy violation, a navigation
// the reader did not ask for or away from the node, a frame, a window
// opened, or a JavaScript dialog.
type Incident struct {
	Kind string // "csp", "navigation", "frame", "window", "dialog", "refresh"
	What string // what happened, for the failure message
}

func (i Incident) String() string { return i.Kind + ": " + i.What }

// Guard watches a tab for incidents, from WatchIncidents on. It is safe
// for concurrent use: the browser's events arrive on chromedp's
// goroutine.
type Guard struct {
	b      *Browser
	origin string // scheme://host:port of the node

	mu        sync.Mutex
	incidents []Incident
}

// bindingName is the function the watch script calls in the page when
// the page reports a CSP violation to itself.
const bindingName = "agoraBrowsertestCSPViolation"

// cspListener runs in every document of the tab before its own scripts
// (through the DevTools protocol, which the page's policy does not
// restrict) and passes every securitypolicyviolation event to the test.
const cspListener = `document.addEventListener("securitypolicyviolation", (e) => {
	` + bindingName + `(JSON.stringify({directive: e.effectiveDirective, blocked: e.blockedURI,
		source: e.sourceFile, line: e.lineNumber, sample: e.sample}));
}, true);`

// WatchIncidents starts watching the tab for what a hostile page could
// make the browser do, for pages served from origin (a base URL such as
// Serve returns). From now on, every page the tab loads is watched:
//
//   - a Content-Security-Policy violation, seen three ways: the page's
//     own securitypolicyviolation event, a ContentSecurityPolicyIssue of
//     the Audits domain, and a Log entry of the security source;
//   - a navigation the test did not make: one a meta refresh, a Refresh
//     header or a script requested (to any origin), any navigation of the
//     tab to another origin, a frame loaded in the page, a new window;
//   - a JavaScript dialog (alert, confirm, prompt, beforeunload), which
//     the guard dismisses so the page does not hang.
//
// AssertNoIncidents reports them. Navigations the test makes (Open,
// Navigate) are not incidents; a form the test submits or a link it
// clicks is (use a tab without a guard to act on pages).
func (b *Browser) WatchIncidents(origin string) *Guard {
	b.t.Helper()
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		b.t.Fatalf("browsertest: WatchIncidents(%q): not a base URL", origin)
	}
	g := &Guard{b: b, origin: u.Scheme + "://" + u.Host}
	target := chromedp.FromContext(b.ctx).Target
	if err := chromedp.Listen(b.ctx, g.event(target)); err != nil {
		b.t.Fatalf("browsertest: listen to the tab: %v", err)
	}
	run(b, b.t, "watch the tab for incidents", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, audits.Enable, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, runtime.AddBinding, runtime.AddBindingParams{Name: bindingName}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: cspListener})
		return err
	}))
	return g
}

// event is the tab's listener. It runs in chromedp's loop, so it only
// records; closing a dialog is a command, sent from a goroutine.
func (g *Guard) event(tg *chromedp.Target) func(ev any) {
	return func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventBindingCalled:
			if ev.Name == bindingName {
				g.add("csp", "securitypolicyviolation "+ev.Payload)
			}
		case *audits.EventIssueAdded:
			if ev.Issue != nil && ev.Issue.Code == audits.InspectorIssueCodeContentSecurityPolicyIssue {
				var what string
				if ev.Issue.Details != nil && ev.Issue.Details.ContentSecurityPolicyIssueDetails != nil {
					d := ev.Issue.Details.ContentSecurityPolicyIssueDetails
					what = fmt.Sprintf("directive %s, %s, blocked %q", d.ViolatedDirective, d.ContentSecurityPolicyViolationType, d.BlockedURL)
				}
				g.add("csp", "Audits issue: "+what)
			}
		case *log.EventEntryAdded:
			if e := ev.Entry; e != nil && e.Source == log.EntrySourceSecurity {
				g.add("csp", fmt.Sprintf("console (%s): %s", e.Level, e.Text))
			}
		case *cdppage.EventFrameRequestedNavigation:
			switch {
			case ev.Reason == cdppage.ClientNavigationReasonMetaTagRefresh, ev.Reason == cdppage.ClientNavigationReasonHTTPHeaderRefresh,
				ev.Reason == cdppage.ClientNavigationReasonScriptInitiated:
				g.add("navigation", fmt.Sprintf("%s to %s", ev.Reason, ev.URL))
			case !g.same(ev.URL):
				g.add("navigation", fmt.Sprintf("%s to another origin: %s", ev.Reason, ev.URL))
			}
		case *cdppage.EventFrameNavigated:
			f := ev.Frame
			switch {
			case f == nil:
			case f.ParentID != "":
				g.add("frame", "a frame loaded "+f.URL)
			case !g.same(f.URL) || f.UnreachableURL != "" && !g.same(f.UnreachableURL):
				g.add("navigation", "the tab left the node for "+f.URL+" "+f.UnreachableURL)
			}
		case *cdppage.EventWindowOpen:
			g.add("window", "a window opened on "+ev.URL)
		case *cdppage.EventJavascriptDialogOpening:
			g.add("dialog", fmt.Sprintf("%s %q", ev.Type, ev.Message))
			go cdp.Call(g.b.ctx, tg, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
		}
	}
}

func (g *Guard) add(kind, what string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.incidents = append(g.incidents, Incident{Kind: kind, What: what})
}

// same reports whether raw is on the node's origin (or about:blank, the
// document every tab starts with).
func (g *Guard) same(raw string) bool {
	if raw == "about:blank" {
		return true
	}
	u, err := url.Parse(raw)
	return err == nil && u.Scheme+"://"+u.Host == g.origin
}

// Incidents returns what the guard saw so far, and forgets it.
func (g *Guard) Incidents() []Incident {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := g.incidents
	g.incidents = nil
	return out
}

// refreshProbe lists the meta refreshes of the document: one that waits
// longer than the test does would fire after it, so its mere presence is
// an incident.
const refreshProbe = `JSON.stringify([...document.querySelectorAll("meta[http-equiv]")]
	.filter(m => m.httpEquiv.toLowerCase() === "refresh").map(m => m.outerHTML))`

// AssertNoIncidents waits for wait (so that a meta refresh or a timer on
// the page has time to fire), then fails the test, naming the page, for
// every incident seen since the last check, and for a meta refresh still
// waiting in the page. It reports whether there was none: after an
// incident, the tab may be on another page.
func (g *Guard) AssertNoIncidents(wait time.Duration) bool {
	g.b.t.Helper()
	return g.assertNoIncidents(g.b.t, wait)
}

func (g *Guard) assertNoIncidents(t interface {
	Helper()
	Errorf(string, ...any)
}, wait time.Duration) bool {
	t.Helper()
	if wait > 0 {
		select {
		case <-time.After(wait):
		case <-g.b.ctx.Done():
		}
	}
	incidents := g.Incidents()
	var refreshes []string
	ctx, cancel := context.WithTimeout(g.b.ctx, actionTimeout)
	defer cancel()
	if raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](refreshProbe)); err == nil {
		json.Unmarshal([]byte(raw), &refreshes)
	}
	for _, r := range refreshes {
		incidents = append(incidents, Incident{Kind: "refresh", What: "a meta refresh waits in the page: " + r})
	}
	if len(incidents) == 0 {
		return true
	}
	where, _ := chromedp.Run(ctx, chromedp.Location())
	var sb strings.Builder
	fmt.Fprintf(&sb, "browsertest: %d incident(s) on %s:\n", len(incidents), where)
	for _, i := range incidents {
		fmt.Fprintf(&sb, "  - %s\n", i)
	}
	t.Errorf("%s", sb.String())
	return false
}
