package browsertest

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"agora/storage/storagetest"
)

// axeTags are the axe-core rule tags that Agora's pages must pass: WCAG 2.0
// and 2.1, levels A and AA (what RGAA asks), and axe's best practices.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"}

// Violation is one axe-core rule that the page breaks, with every element
// that breaks it.
type Violation struct {
	Rule     string    `json:"id"`      // axe rule id, such as "image-alt"
	Impact   string    `json:"impact"`  // minor, moderate, serious or critical
	Help     string    `json:"help"`    // what the rule asks, in one line
	HelpURL  string    `json:"helpUrl"` // Deque's page on the rule
	Elements []Element `json:"nodes"`
}

// Element is one element that breaks a rule.
type Element struct {
	// Target is the CSS selector of the element; it has more than one
	// entry when the element is in an iframe or a shadow root.
	Target []string `json:"target"`
	HTML   string   `json:"html"`    // the element's opening tag, as axe shows it
	Fix    string   `json:"failure"` // axe's "Fix any of the following: ..." text
}

// String formats v so that a developer can fix the page from it alone.
func (v Violation) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s (%s): %s\n    %s\n", v.Rule, v.Impact, v.Help, v.HelpURL)
	for _, e := range v.Elements {
		fmt.Fprintf(&sb, "    - at %s\n      html: %s\n", strings.Join(e.Target, " >>> "), e.HTML)
		for line := range strings.SplitSeq(strings.TrimSpace(e.Fix), "\n") {
			fmt.Fprintf(&sb, "      %s\n", strings.TrimSpace(line))
		}
	}
	return sb.String()
}

// AssertAccessible runs axe-core on the page in the tab, as it is now, and
// fails the test unless it finds no violation of WCAG 2.0 and 2.1 A and AA
// and of axe's best practices. The message lists each violation: rule,
// impact, help and, for every element, its selector, its HTML and what to
// fix. It skips the test (fails it in CI) when AGORA_TEST_AXE is not set.
//
// axe runs in the page's main frame through the DevTools protocol, which
// the page's Content-Security-Policy does not restrict, so the page is
// checked with the policy it is served with. It does not look inside
// iframes.
func (b *Browser) AssertAccessible() {
	b.t.Helper()
	b.assertAccessible(b.t)
}

// assertAccessible reports to t, so that a test can prove that the check
// fails on a broken page.
func (b *Browser) assertAccessible(t testing.TB) {
	t.Helper()
	vs := b.violations(t)
	if len(vs) == 0 {
		return
	}
	url := run(b, t, "read the location", chromedp.Location())
	var sb strings.Builder
	fmt.Fprintf(&sb, "accessibility: axe-core found %d violation(s) on %s (tags %s):\n", len(vs), url, strings.Join(axeTags, ", "))
	for i, v := range vs {
		fmt.Fprintf(&sb, "%d. %s", i+1, v)
	}
	t.Error(sb.String())
}

// Violations runs axe-core on the page like AssertAccessible and returns
// what it finds, for a test that expects some.
func (b *Browser) Violations() []Violation {
	b.t.Helper()
	return b.violations(b.t)
}

func (b *Browser) violations(t testing.TB) []Violation {
	t.Helper()
	b.injectAxe(t)
	tags, _ := json.Marshal(axeTags)
	js := `axe.run(document, {
		runOnly: {type: "tag", values: ` + string(tags) + `},
		resultTypes: ["violations"],
	}).then(r => r.violations.map(v => ({
		id: v.id,
		impact: v.impact || "",
		help: v.help,
		helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(s => Array.isArray(s) ? s.join(" ") : String(s)),
			html: n.html,
			failure: n.failureSummary || "",
		})),
	})))`
	return run(b, t, "run axe-core", chromedp.Evaluate[[]Violation](js, chromedp.EvalAwaitPromise))
}

// injectAxe loads axe.min.js into the page unless it is there already.
func (b *Browser) injectAxe(t testing.TB) {
	t.Helper()
	path := storagetest.Env(t, EnvAxe, "axe-core (the path of node_modules/axe-core/axe.min.js)")
	if run(b, t, "look for axe-core", chromedp.Evaluate[bool](`typeof window.axe === "object"`)) {
		return
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("browsertest: read axe-core from %s=%s: %v", EnvAxe, path, err)
	}
	// The trailing 0 keeps the protocol from serialising whatever the
	// script evaluates to.
	run(b, t, "inject axe-core from "+path, chromedp.Evaluate[chromedp.Void](string(src)+"\n;0"))
	if !run(b, t, "look for axe-core", chromedp.Evaluate[bool](`typeof window.axe === "object"`)) {
		t.Fatalf("browsertest: %s did not define window.axe: is %s axe.min.js?", path, EnvAxe)
	}
}
