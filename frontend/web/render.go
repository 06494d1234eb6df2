package web

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"

	"agora/frontend/i18n"
	"agora/instances/accounts"
)

//go:embed templates
var templateFiles embed.FS

// Common is what every page shows whatever the request.
type Common struct {
	NodeName string
	CSSURL   string
	// SiteCSSURL and LogoURL are the admin's accent and logo ("" for
	// the defaults), with a hash of what they are so browsers keep them.
	SiteCSSURL, LogoURL string
	// A11yStatus is the accessibility statement's conformity (none,
	// partial, full), which the footer states as the RGAA asks.
	A11yStatus string
	// Nav names the surfaces whose link the navigation shows ("cities",
	// "apps"), set with Kit.Nav.
	Nav map[string]bool
	// Notifications is whether the header links the signed-in reader's
	// notifications (set by Kit.Unread).
	Notifications bool
	// ReaderOpen and ReaderClose frame the part of the header that
	// depends on the reader (template "reader-nav"): the slot "nav" (see
	// Slots).
	ReaderOpen, ReaderClose template.HTML
	// Slots marks the other places of a page that depend on the reader.
	Slots Slots
}

// Slots marks the places of a page that depend on the signed-in reader,
// where the page cache puts a reader's own rendering into a page rendered
// for no one (see Kit.CacheForReaders): {{.Slots.Open "name"}}, what an
// anonymous visitor gets there, {{.Slots.Close}}. Slots do not nest. The
// marks are HTML comments with a per-process nonce, so nothing a person
// writes can forge one: sanitised bodies carry no comments and attribute
// values escape "<". The zero Slots marks nothing.
type Slots struct{ open, close string }

func newSlots(nonce string) Slots {
	return Slots{open: "<!--slot-" + nonce + ":", close: "<!--/slot-" + nonce + "-->"}
}

// Open opens the slot name (letters, digits, "-", "_" and ":").
func (s Slots) Open(name string) template.HTML {
	if s.open == "" {
		return ""
	}
	return template.HTML(s.open + name + "-->")
}

// Close closes the slot opened last.
func (s Slots) Close() template.HTML { return template.HTML(s.close) }

// Page is what a page template receives.
type Page struct {
	Common
	L       *i18n.Printer
	Account *accounts.Account // the signed-in account, or nil
	Title   string            // the page's own title, before the node name
	Path    string            // the current path, for the language switch
	Data    any
	Unread  int // the signed-in reader's unread notifications
}

// funcs are the template functions every page may use.
var funcs = template.FuncMap{
	"field": FieldOf,
	"options": func(pairs ...string) []Option {
		var out []Option
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, Option{Value: pairs[i], Label: pairs[i+1]})
		}
		return out
	},
	// languages are the interface's languages as choices, each named in
	// itself and marked as such, so a screen reader says "English" in
	// English on a French page.
	"languages": func() []Option {
		return []Option{{Value: "fr", Label: "Français", Lang: "fr"}, {Value: "en", Label: "English", Lang: "en"}}
	},
	"withOptions": func(d Field, o []Option) Field { d.Options = o; return d },
	// table starts a data table: its id (for the caption's), caption and
	// column headers; withActions adds a last column for buttons, named
	// for screen readers only; withClass gives the table a class.
	"table": func(id, caption string, cols ...string) Table {
		return Table{ID: id, Caption: caption, Cols: cols}
	},
	"withActions": func(t Table, label string) Table { t.Actions = label; return t },
	"withClass":   func(t Table, class string) Table { t.Class = class; return t },
	// person pairs an author's name with their public profile's handle
	// for the "person" partial.
	"person": func(name, handle string) Person { return Person{Name: name, Handle: handle} },
	// formIf passes a form to a field only when it is the one that failed.
	"formIf": func(ok bool, f *Form) *Form {
		if ok {
			return f
		}
		return nil
	},
}

// Table is what the "table-open" partial renders.
type Table struct {
	ID, Caption, Class, Actions string
	Cols                        []string
}

// views holds the layout and the kit's partials, which every page set
// clones, and the kit's own pages (the error page).
type views struct {
	// proto is never executed: a template cannot be cloned once it has
	// been.
	proto   *template.Template
	buffers *sync.Pool
	pages   *pageSet
}

func newViews() (*views, error) {
	proto, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	v := &views{proto: proto, buffers: &sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	v.pages, err = v.pageSet(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	return v, nil
}

// pageSet is the pages of one surface. Every page is parsed when the set
// is made, so that one that does not parse stops the node from starting;
// the parsed copies are then dropped and each page is parsed again the
// first time it is asked for. Each copy holds the layout and every
// partial: kept for all pages, they were most of an idle node's heap.
type pageSet struct {
	proto *template.Template // the layout, the kit's partials and the surface's
	pages map[string]*pageTemplate
}

// pageTemplate is a page's template, parsed on first use.
type pageTemplate struct {
	fsys fs.FS
	file string
	once sync.Once
	t    *template.Template
	err  error
}

// pageSet parses the pages named by the glob pattern in fsys (a page is
// named after its file, without .html) over the layout, the kit's
// partials and the partial files given.
func (v *views) pageSet(fsys fs.FS, pattern string, partials ...string) (*pageSet, error) {
	proto, err := v.proto.Clone()
	if err != nil {
		return nil, err
	}
	if len(partials) > 0 {
		if proto, err = proto.ParseFS(fsys, partials...); err != nil {
			return nil, fmt.Errorf("parse partials: %w", err)
		}
	}
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no page matches %s", pattern)
	}
	s := &pageSet{proto: proto, pages: map[string]*pageTemplate{}}
	for _, file := range names {
		p := &pageTemplate{fsys: fsys, file: file}
		name := strings.TrimSuffix(file[strings.LastIndexByte(file, '/')+1:], ".html")
		if _, dup := s.pages[name]; dup {
			return nil, fmt.Errorf("page %s defined twice", name)
		}
		if _, err := s.parse(p); err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		s.pages[name] = p
	}
	debug.FreeOSMemory()
	return s, nil
}

func (s *pageSet) parse(p *pageTemplate) (*template.Template, error) {
	t, err := s.proto.Clone()
	if err != nil {
		return nil, err
	}
	return t.ParseFS(p.fsys, p.file)
}

func (s *pageSet) page(name string) (*template.Template, error) {
	p, ok := s.pages[name]
	if !ok {
		return nil, fmt.Errorf("no page template %q", name)
	}
	p.once.Do(func() { p.t, p.err = s.parse(p) })
	return p.t, p.err
}

// Pages is a surface's page set, rendered with the kit's layout.
type Pages struct {
	*Kit
	set *pageSet
	// fragments renders the surface's partials alone (comment threads),
	// made on first use: most surfaces never render one.
	fragOnce  sync.Once
	fragments *template.Template
	fragErr   error
}

// Pages parses a surface's pages: the files of fsys matching pattern
// (e.g. "templates/*.html"), each with the layout, the kit's partials and
// the partial files given (e.g. "templates/partials/*.html"). A template
// that does not parse is an error now, not on a resident's page.
func (k *Kit) Pages(fsys fs.FS, pattern string, partials ...string) (*Pages, error) {
	set, err := k.view.pageSet(fsys, pattern, partials...)
	if err != nil {
		return nil, err
	}
	return &Pages{Kit: k, set: set}, nil
}

// HTML renders the named page with the reader's language. The page is
// rendered to a buffer first so a template error becomes a clean 500, not
// half a page.
func (p *Pages) HTML(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	p.Kit.html(w, r, p.set, status, name, title, data)
}

// Fragment renders one of the surface's partial templates to a string.
func (p *Pages) Fragment(name string, data any) (string, error) {
	// set.proto is never executed, so it may still be cloned here.
	p.fragOnce.Do(func() { p.fragments, p.fragErr = p.set.proto.Clone() })
	if p.fragErr != nil {
		return "", p.fragErr
	}
	var b strings.Builder
	if err := p.fragments.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return b.String(), nil
}

// page is what the layout of r's page receives, the reader's header
// included.
func (k *Kit) page(r *http.Request, title string, data any) Page {
	pg := Page{Common: k.common, L: k.Printer(r), Account: CurrentAccount(r), Title: title, Path: r.URL.Path, Data: data}
	pg.A11yStatus = "none"
	if pg.Account != nil && k.unread != nil {
		pg.Notifications, pg.Unread = true, k.unreadOf(r.Context(), pg.Account.ID)
	}
	return pg
}

// readerNav renders the part of the header that depends on the reader
// of r (template "reader-nav"), alone, for a page the page cache shares:
// the unread count and the rendering are the ones kept for the cache's
// time for this account, language and set of roles.
func (k *Kit) readerNav(r *http.Request) ([]byte, error) {
	pg := Page{Common: k.common, L: k.Printer(r), Account: CurrentAccount(r)}
	if pg.Account == nil {
		return nil, errors.New("reader-nav without a reader")
	}
	var key strings.Builder
	key.WriteString(pg.L.Lang)
	for _, g := range pg.Account.Roles {
		key.WriteByte('|')
		key.WriteString(string(g.Role))
	}
	return k.unreadCache.nav(r.Context(), pg.Account.ID, key.String(), func(ctx context.Context) ([]byte, error) {
		if k.unread != nil {
			pg.Notifications, pg.Unread = true, k.unreadOf(ctx, pg.Account.ID)
		}
		t, err := k.view.pages.page("error")
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, "reader-nav", pg); err != nil {
			return nil, fmt.Errorf("render reader-nav: %w", err)
		}
		return b.Bytes(), nil
	})
}

func (k *Kit) html(w http.ResponseWriter, r *http.Request, set *pageSet, status int, name, title string, data any) {
	t, err := set.page(name)
	if err != nil {
		k.Fail(w, r, err)
		return
	}
	pg := k.page(r, title, data)
	if st, ok := k.Site(r.Context()); ok {
		pg.NodeName = cmp.Or(st.Name, pg.NodeName)
		pg.A11yStatus = cmp.Or(st.A11yStatus, "none")
		if st.Accent != "" {
			pg.SiteCSSURL = "/site.css?v=" + strings.TrimPrefix(st.Accent, "#")
		}
		if st.LogoKey != "" {
			pg.LogoURL = "/site/logo?v=" + st.LogoKey[:min(12, len(st.LogoKey))]
		}
	}
	buf := k.view.buffers.Get().(*bytes.Buffer)
	defer func() {
		// A buffer that grew for a huge page is left to the collector
		// rather than kept for every small one.
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			k.view.buffers.Put(buf)
		}
	}()
	if err := t.ExecuteTemplate(buf, "layout.html", pg); err != nil {
		k.log.ErrorContext(r.Context(), "render page", "page", name, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// Fail answers a failed request: HTML for browsers, JSON for API clients.
// It is the one place errors are logged, once.
func (k *Kit) Fail(w http.ResponseWriter, r *http.Request, err error) {
	e := k.AsError(err)
	if e.Status >= 500 {
		k.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "status", e.Status, "err", e.Err)
	} else if e.Err != nil {
		k.log.DebugContext(r.Context(), "request refused", "method", r.Method, "path", r.URL.Path, "status", e.Status, "err", e.Err)
	}
	l := k.Printer(r)
	msg := e.Message(l)
	e.retryAfter(w)
	if WantsJSON(r) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(e.Status)
		json.NewEncoder(w).Encode(map[string]any{"error": msg, "status": e.Status})
		return
	}
	k.html(w, r, k.view.pages, e.Status, "error", l.T("error.title"), msg)
}

// WantsJSON reports whether the client asked for JSON rather than a page.
func WantsJSON(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "json") && !strings.Contains(accept, "text/html")
}
