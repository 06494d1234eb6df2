package frontend_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"agora/frontend/browsertest"
)

// demoStart are the pages a walk of the demo starts from; the others are
// reached by their links.
var demoStart = []string{"/", "/spaces", "/moderation", "/apps", "/cities", "/account", "/admin", "/admin/audit",
	"/mentions-legales", "/donnees-personnelles", "/accessibilite", "/plan-du-site"}

// layoutProblems runs in the page and lists what is wrong with its
// layout at the current width:
//   - the page is wider than the window (it scrolls sideways), with the
//     elements that stick out;
//   - a word of a table cell is broken across two lines ("Commentai|re");
//     a break after a hyphen or a slash is not a broken word;
//   - a date or time of a table cell (a time element, a "when" cell)
//     spans lines;
//   - at 1280 px, the header does not hold on one line.
const layoutProblems = `(() => {
  const out = [];
  const d = document.documentElement;
  const W = d.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.getAttribute("id") ? "#" + el.getAttribute("id") : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
  if (d.scrollWidth > W) {
    const wide = [];
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > W + 1 && !el.closest(".table-scroll") && !el.closest(".visually-hidden")) {
        wide.push(name(el) + " (right " + Math.round(r.right) + ")");
      }
    }
    out.push("page is " + d.scrollWidth + " px wide in a " + W + " px window: " + wide.slice(-5).join(", "));
  }
  const lines = (range) => {
    const tops = new Set();
    for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    return tops.size;
  };
  for (const cell of document.querySelectorAll("td, th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (t.parentElement.closest(".visually-hidden")) continue;
      const re = /[^\s\-\/]+[\-\/]?/g;
      let m;
      while ((m = re.exec(t.data)) !== null) {
        if (m[0].length < 2) continue;
        const r = document.createRange();
        r.setStart(t, m.index);
        r.setEnd(t, m.index + m[0].length);
        if (lines(r) > 1) out.push("word " + JSON.stringify(m[0]) + " broken in a table cell");
      }
    }
  }
  for (const tm of document.querySelectorAll("td time, th time, td.when")) {
    const r = document.createRange();
    r.selectNodeContents(tm);
    if (lines(r) > 1) out.push("date " + JSON.stringify(tm.textContent) + " on " + lines(r) + " lines in a table cell");
  }
  if (W >= 1200) {
    // The header's two rows (name, search, languages; then the
    // navigation) each hold on one line.
    const mid = (r) => (r.top + r.bottom) / 2;
    for (const row of ["header.site .bar > *", "header.site nav li"]) {
      const kids = [...document.querySelectorAll(row)].map((el) => el.getBoundingClientRect());
      if (kids.some((r) => Math.abs(mid(r) - mid(kids[0])) > 8)) out.push("a row of the header takes more than one line: " + row);
    }
  }
  return out;
})()`

// Every page of the demo, as every kind of visitor, in French and in
// English, at a phone's width (390 px) and a laptop's (1280 px): the page
// never scrolls sideways, no word of a table is cut in two, dates in
// tables hold on one line, and the header holds on one line on a laptop.
func TestDemoLayoutInBrowser(t *testing.T) {
	n := newDemoNode(t)
	base := browsertest.Serve(t, n.H)
	for _, v := range n.visitors() {
		t.Run(v.name, func(t *testing.T) {
			token := ""
			if v.acc != nil {
				token = n.Session(t, v.acc)
			}
			pages := n.crawl(t, token, demoStart, func(string, *html.Node) {})
			if len(pages) < 10 {
				t.Fatalf("only %d pages reached: %v", len(pages), pages)
			}
			// Every page is opened four times (two widths, two
			// languages): three seconds each on a loaded 2-core runner,
			// five minutes at the least. An admin reaches the most pages.
			budget := browsertest.Timeout(max(5*time.Minute, time.Duration(4*len(pages))*3*time.Second))
			var b *browsertest.Browser
			if v.acc != nil {
				b = n.BrowserAs(t, base, v.acc, budget)
			} else {
				b = browsertest.New(t, budget)
			}
			for _, width := range []int64{390, 1280} {
				setWidth(t, b, width)
				for _, lang := range []string{"fr", "en"} {
					for _, p := range pages {
						sep := "?"
						if strings.Contains(p, "?") {
							sep = "&"
						}
						b.Open(base + p + sep + "lang=" + lang)
						var problems []string
						b.Do("check the layout", func(ctx context.Context, _ *chromedp.Target) error {
							var err error
							problems, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](layoutProblems))
							return err
						})
						for _, pb := range problems {
							t.Errorf("%s at %d px (%s): %s", p, width, lang, pb)
						}
					}
				}
			}
		})
	}
}

// setWidth makes the tab's window width px wide, as a phone's when it is
// narrow (touch, no scrollbar).
func setWidth(t *testing.T, b *browsertest.Browser, width int64) {
	t.Helper()
	b.Do(fmt.Sprintf("set the width to %d px", width), func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride,
			emulation.SetDeviceMetricsOverrideParams{Width: width, Height: 900, DeviceScaleFactor: 1, Mobile: width < 600})
		return err
	})
}
