package participation

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"agora/frontend/i18n"
	"agora/frontend/web"
	"agora/instances/debates"
)

// threadCache keeps comment threads rendered to HTML, one per target,
// sort order and language, so a page with hundreds of comments costs a
// signed-in reader two small queries (the thread's version and their own
// supports) instead of a thread load and a render.
//
// What depends on the reader (support, reply, edit, report and moderation
// buttons) is rendered once per comment as separate pieces and chosen per
// request (commentActs.write), so one rendering serves every reader.
//
// An entry is used while the thread's version (debates.ThreadVersion,
// moved by database triggers on any comment change from any process) is
// the one it was rendered at. Authors' display names are not in the
// version: an entry is also dropped after threadCacheTTL, so a new name
// shows within that time. Memory is bounded by threadCacheBytes; past it,
// arbitrary entries go first.
type threadCache struct {
	debates *debates.Service
	render  *web.Pages
	now     func() time.Time
	mark    string // opens the place of one comment's acts in a rendering

	mu      sync.Mutex
	entries map[threadKey]*renderedThread
	bytes   int
	load    singleflight.Group
}

const (
	threadCacheTTL   = time.Minute
	threadCacheBytes = 32 << 20
)

type threadKey struct {
	target debates.Target
	sort   debates.Sort
	lang   string
}

// renderedThread is a thread rendered for no one in particular: static
// HTML with, between its parts, the acts of one comment.
type renderedThread struct {
	version int64
	built   time.Time
	parts   []threadPart
	visible int  // comments neither hidden nor deleted
	empty   bool // no comment at all
	size    int
}

type threadPart struct {
	html string
	acts *commentActs // what follows html; nil after the last part
}

// commentActs are the rendered acts of one comment, chosen per reader.
type commentActs struct {
	id, authorID                                          string // authorID is "" for a remote author
	hidden, deleted                                       bool
	support, unsupport, reply, edit, report, hide, unhide string
}

// threadReader is what a rendering needs to know of the reader.
type threadReader struct {
	accountID string // "" when not signed in
	moderator bool
	open      bool // the target takes comments
	supported map[string]bool
}

func newThreadCache(d *debates.Service, rd *web.Pages, now func() time.Time) *threadCache {
	nonce := make([]byte, 8)
	rand.Read(nonce)
	// An HTML comment with a per-process nonce: sanitised bodies carry no
	// comments, and attribute values escape "<", so nothing a person
	// wrote can forge one.
	return &threadCache{debates: d, render: rd, now: now, entries: map[threadKey]*renderedThread{},
		mark: "<!--acts-" + hex.EncodeToString(nonce) + "-"}
}

// get returns the thread of target rendered in l's language, from the
// cache while it is current.
func (tc *threadCache) get(ctx context.Context, l *i18n.Printer, target debates.Target, sort debates.Sort) (*renderedThread, error) {
	// The version is read before the thread: a change in between makes
	// the entry look older than it is (rendered again next time), never
	// newer.
	version, err := tc.debates.ThreadVersion(ctx, target)
	if err != nil {
		return nil, err
	}
	key := threadKey{target: target, sort: sort, lang: l.Lang}
	tc.mu.Lock()
	e := tc.entries[key]
	tc.mu.Unlock()
	if e != nil && e.version == version && tc.now().Sub(e.built) < threadCacheTTL {
		return e, nil
	}
	flight := fmt.Sprintf("%s/%s/%s/%s/%d", target.Kind, target.ID, sort, l.Lang, version)
	v, err, _ := tc.load.Do(flight, func() (any, error) {
		e, err := tc.build(ctx, l, target, sort, version)
		if err != nil {
			return nil, err
		}
		tc.store(key, e)
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*renderedThread), nil
}

func (tc *threadCache) store(key threadKey, e *renderedThread) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if old := tc.entries[key]; old != nil {
		tc.bytes -= old.size
	}
	for k, old := range tc.entries {
		if tc.bytes+e.size <= threadCacheBytes {
			break
		}
		tc.bytes -= old.size
		delete(tc.entries, k)
	}
	tc.entries[key] = e
	tc.bytes += e.size
}

// build loads and renders a thread with a mark where each comment's acts
// go, then cuts the rendering at the marks.
func (tc *threadCache) build(ctx context.Context, l *i18n.Printer, target debates.Target, sort debates.Sort, version int64) (*renderedThread, error) {
	nodes, err := tc.debates.Thread(ctx, target, debates.ThreadOptions{Sort: sort, MaxDepth: threadDepth})
	if err != nil {
		return nil, err
	}
	e := &renderedThread{version: version, built: tc.now(), empty: len(nodes) == 0}
	var acts []*commentActs
	d := &commentsData{L: l}
	level, err := tc.level(l, d, nodes, &acts, &e.visible)
	if err != nil {
		return nil, err
	}
	html, err := tc.render.Fragment("comment-list", level)
	if err != nil {
		return nil, err
	}
	for {
		i := strings.Index(html, tc.mark)
		if i < 0 {
			e.parts = append(e.parts, threadPart{html: html})
			break
		}
		rest := html[i+len(tc.mark):]
		end := strings.Index(rest, "-->")
		n, err := strconv.Atoi(rest[:max(end, 0)])
		if end < 0 || err != nil || n >= len(acts) {
			return nil, fmt.Errorf("render thread: broken acts mark at %d", i)
		}
		e.parts = append(e.parts, threadPart{html: html[:i], acts: acts[n]})
		html = rest[end+len("-->"):]
	}
	for _, p := range e.parts {
		e.size += len(p.html)
		if a := p.acts; a != nil {
			e.size += len(a.support) + len(a.unsupport) + len(a.reply) + len(a.edit) + len(a.report) + len(a.hide) + len(a.unhide)
		}
	}
	return e, nil
}

// level turns a level of the thread into views, each with the mark of its
// acts, rendering those acts once.
func (tc *threadCache) level(l *i18n.Printer, d *commentsData, nodes []*debates.Node, acts *[]*commentActs, visible *int) (commentLevel, error) {
	out := commentLevel{D: d, Items: make([]*commentView, 0, len(nodes))}
	for _, n := range nodes {
		v := viewComment(l, n.Comment)
		if !v.Hidden && !v.Deleted {
			*visible++
		}
		a, err := tc.acts(l, n.Comment, v)
		if err != nil {
			return out, err
		}
		v.Acts = template.HTML(tc.mark + strconv.Itoa(len(*acts)) + "-->")
		*acts = append(*acts, a)
		if v.Replies, err = tc.level(l, d, n.Replies, acts, visible); err != nil {
			return out, err
		}
		out.Items = append(out.Items, v)
	}
	return out, nil
}

// acts renders what readers may do with a comment, each piece once.
func (tc *threadCache) acts(l *i18n.Printer, c *debates.Comment, v *commentView) (*commentActs, error) {
	a := &commentActs{id: c.ID, authorID: c.AuthorID, hidden: v.Hidden, deleted: v.Deleted}
	if c.Remote() {
		a.authorID = ""
	}
	data := struct {
		L *i18n.Printer
		C *commentView
	}{l, v}
	pieces := map[string]*string{"unhide": &a.unhide}
	if !v.Hidden && !v.Deleted {
		pieces = map[string]*string{"support": &a.support, "unsupport": &a.unsupport, "reply": &a.reply,
			"edit": &a.edit, "report": &a.report, "hide": &a.hide}
	}
	for name, into := range pieces {
		s, err := tc.render.Fragment("comment-act-"+name, data)
		if err != nil {
			return nil, err
		}
		*into = s
	}
	return a, nil
}

// html is the thread for one reader.
func (e *renderedThread) html(r threadReader) template.HTML {
	var b strings.Builder
	b.Grow(e.size)
	for _, p := range e.parts {
		b.WriteString(p.html)
		if p.acts != nil {
			p.acts.write(&b, r)
		}
	}
	return template.HTML(b.String())
}

// write adds what the reader may do with the comment: support it (not
// their own) or take their support back, reply, edit their own, report
// someone else's, and, for moderators, hide or unhide it. Nothing but
// reading once the target is closed, except taking a support back,
// reporting and moderating.
func (a *commentActs) write(b *strings.Builder, r threadReader) {
	if a.deleted {
		return
	}
	if a.hidden {
		if r.moderator {
			b.WriteString(a.unhide)
		}
		return
	}
	signedIn := r.accountID != ""
	own := signedIn && a.authorID == r.accountID
	switch {
	case signedIn && r.supported[a.id]:
		b.WriteString(a.unsupport)
	case r.open && signedIn && !own:
		b.WriteString(a.support)
	}
	if r.open && signedIn {
		b.WriteString(a.reply)
	}
	if r.open && own {
		b.WriteString(a.edit)
	}
	if signedIn && !own {
		b.WriteString(a.report)
	}
	if r.moderator {
		b.WriteString(a.hide)
	}
}
