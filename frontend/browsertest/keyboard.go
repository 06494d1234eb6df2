package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Focus describes the element that has the keyboard focus, as assistive
// technology sees it.
type Focus struct {
	Tag  string // lower-case tag name; "body" when nothing has the focus
	ID   string // id attribute, if any
	Role string // computed role, from Chromium's accessibility tree: "link", "textbox", "button"...
	Name string // computed accessible name: the text a screen reader reads
}

// String formats f as `role "name"`, with the tag and id after it, for
// test messages and for comparing a whole tab order at once.
func (f Focus) String() string {
	s := fmt.Sprintf("%s %q <%s", f.Role, f.Name, f.Tag)
	if f.ID != "" {
		s += " id=" + f.ID
	}
	return s + ">"
}

// Tab presses Tab and returns the element that has the focus after it.
func (b *Browser) Tab() Focus {
	b.t.Helper()
	run(b, b.t, "press Tab", chromedp.KeyEvent(kb.Tab))
	return b.Focused()
}

// ShiftTab presses Shift+Tab and returns the element that has the focus
// after it.
func (b *Browser) ShiftTab() Focus {
	b.t.Helper()
	run(b, b.t, "press Shift+Tab", chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
	return b.Focused()
}

// Press types keys into the element that has the focus: text, or the keys
// of package github.com/chromedp/chromedp/kb, such as kb.Enter, kb.Escape
// or " " (Space). It does not wait for a page to load; see PressAndLoad.
func (b *Browser) Press(keys string) {
	b.t.Helper()
	run(b, b.t, fmt.Sprintf("press %q", keys), chromedp.KeyEvent(keys))
}

// PressAndLoad types keys like Press, for example kb.Enter on a link or in
// a form, waits for the page they load, and returns its HTTP status, after
// redirects. It fails the test when no page loads.
func (b *Browser) PressAndLoad(keys string) int {
	b.t.Helper()
	return b.load(fmt.Sprintf("press %q", keys), func(ctx context.Context) (*network.Response, error) {
		return chromedp.RunResponse(ctx, chromedp.KeyEvent(keys))
	})
}

// Focused returns the element that has the keyboard focus.
func (b *Browser) Focused() Focus {
	b.t.Helper()
	return run(b, b.t, "read the focused element", chromedp.Action[Focus](focused))
}

func focused(ctx context.Context, t *chromedp.Target) (Focus, error) {
	var f Focus
	obj, err := chromedp.Evaluate[*runtime.RemoteObject](`document.activeElement || document.body`)(ctx, t)
	if err != nil {
		return f, err
	}
	if obj.ObjectID == "" {
		return f, fmt.Errorf("document.activeElement is %s", obj.Type)
	}
	defer cdp.Call(ctx, t, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: obj.ObjectID})

	desc, err := cdp.Call(ctx, t, dom.DescribeNode, dom.DescribeNodeParams{ObjectID: obj.ObjectID})
	if err != nil {
		return f, fmt.Errorf("describe the focused element: %w", err)
	}
	f.Tag = strings.ToLower(desc.Node.LocalName)
	for i := 0; i+1 < len(desc.Node.Attributes); i += 2 {
		if desc.Node.Attributes[i] == "id" {
			f.ID = desc.Node.Attributes[i+1]
		}
	}

	ax, err := cdp.Call(ctx, t, accessibility.GetPartialAXTree, accessibility.GetPartialAXTreeParams{
		ObjectID:       obj.ObjectID,
		FetchRelatives: new(false),
	})
	if err != nil {
		return f, fmt.Errorf("accessibility tree of the focused element: %w", err)
	}
	for _, n := range ax.Nodes {
		if n.BackendDOMNodeID != desc.Node.BackendNodeID {
			continue
		}
		f.Role = axString(n.Role)
		f.Name = axString(n.Name)
	}
	return f, nil
}

// axString decodes an accessibility value that holds a string.
func axString(v *accessibility.Value) string {
	if v == nil || len(v.Value) == 0 {
		return ""
	}
	var s string
	if err := json.Unmarshal(v.Value, &s); err != nil {
		return string(v.Value)
	}
	return s
}
