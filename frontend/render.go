package frontend

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"

	"agora/frontend/i18n"
	"agora/instances/accounts"
)

//go:embed templates
var templateFiles embed.FS

// renderer holds every page template, all checked at start-up: a
// template that does not parse stops the node from starting, not a
// resident's page.
type renderer struct {
	pages map[string]*pageTemplate // read-only after start-up
	// partials holds the shared templates alone, for fragments rendered
	// outside a page (comment threads, see threadCache).
	partials *template.Template
	proto    *template.Template
	// buffers are reused between pages: a page with a long thread is
	// hundreds of kilobytes, and growing a new buffer for each would be
	// most of what the request allocates.
	buffers sync.Pool
	catalog *i18n.Catalog
	log     *slog.Logger
	common  commonData
}

// commonData is what every page shows whatever the request.
type commonData struct {
	NodeName string
	CSSURL   string
	// Federation is on: the nav links to the "Other cities" pages.
	Federation bool
	// Apps is on: the nav links to the catalogue of free software.
	Apps bool
}

// page is what a page template receives.
type page struct {
	commonData
	L       *i18n.Printer
	Account *accounts.Account // the signed-in account, or nil
	Title   string            // the page's own title, before the node name
	Path    string            // the current path, for the language switch
	Data    any
}

func newRenderer(catalog *i18n.Catalog, log *slog.Logger, common commonData) (*renderer, error) {
	funcs := template.FuncMap{
		"field": field,
		"options": func(pairs ...string) []option {
			var out []option
			for i := 0; i+1 < len(pairs); i += 2 {
				out = append(out, option{Value: pairs[i], Label: pairs[i+1]})
			}
			return out
		},
		"withOptions": func(d fieldData, o []option) fieldData { d.Options = o; return d },
		// formIf passes a form to a field only when it is the one that failed.
		"formIf": func(ok bool, f *form) *form {
			if ok {
				return f
			}
			return nil
		},
	}
	shared := []string{"templates/layout.html", "templates/partials.html", "templates/comments.html"}
	parseShared := func() (*template.Template, error) {
		return template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, shared...)
	}
	partials, err := parseShared()
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	// proto is the layout and partials that page templates are cloned
	// from; it is never executed (a template cannot be cloned once it
	// has been), unlike partials, which renders fragments.
	proto, err := parseShared()
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	rd := &renderer{pages: map[string]*pageTemplate{}, partials: partials, proto: proto, catalog: catalog, log: log, common: common,
		buffers: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	// Every page is parsed now, so that one that does not parse stops the
	// node from starting; the parsed copies are then dropped and each page
	// is parsed again the first time it is asked for. Each copy holds the
	// layout and every partial: kept for all 40-odd pages, they were most
	// of an idle node's heap.
	for _, file := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "templates/pages/"), ".html")
		if _, err := rd.parsePage(file); err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		rd.pages[name] = &pageTemplate{file: file}
	}
	debug.FreeOSMemory()
	return rd, nil
}

// pageTemplate is a page's template, parsed on first use.
type pageTemplate struct {
	file string
	once sync.Once
	t    *template.Template
	err  error
}

func (rd *renderer) parsePage(file string) (*template.Template, error) {
	t, err := rd.proto.Clone()
	if err != nil {
		return nil, err
	}
	return t.ParseFS(templateFiles, file)
}

// page returns the named page's template.
func (rd *renderer) page(name string) (*template.Template, error) {
	p, ok := rd.pages[name]
	if !ok {
		return nil, fmt.Errorf("no page template %q", name)
	}
	p.once.Do(func() { p.t, p.err = rd.parsePage(p.file) })
	return p.t, p.err
}

// html renders the named page with the reader's language. The page is
// rendered to a buffer first so a template error becomes a clean 500, not
// half a page.
func (rd *renderer) html(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, err := rd.page(name)
	if err != nil {
		rd.fail(w, r, err)
		return
	}
	p := page{commonData: rd.common, L: rd.printer(r), Account: currentAccount(r), Title: title, Path: r.URL.Path, Data: data}
	buf := rd.buffers.Get().(*bytes.Buffer)
	defer func() {
		// A buffer that grew for a huge page is left to the collector
		// rather than kept for every small one.
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			rd.buffers.Put(buf)
		}
	}()
	if err := t.ExecuteTemplate(buf, "layout.html", p); err != nil {
		rd.log.ErrorContext(r.Context(), "render page", "page", name, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fragment renders one shared template to a string.
func (rd *renderer) fragment(name string, data any) (string, error) {
	var b strings.Builder
	if err := rd.partials.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return b.String(), nil
}

// fail answers a failed request: HTML for browsers, JSON for API clients.
// It is the one place errors are logged, once.
func (rd *renderer) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := asError(err)
	if e.Status >= 500 {
		rd.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "status", e.Status, "err", e.Err)
	} else if e.Err != nil {
		rd.log.DebugContext(r.Context(), "request refused", "method", r.Method, "path", r.URL.Path, "status", e.Status, "err", e.Err)
	}
	l := rd.printer(r)
	msg := l.T(e.Key, e.Args...)
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(e.Status)
		json.NewEncoder(w).Encode(map[string]any{"error": msg, "status": e.Status})
		return
	}
	rd.html(w, r, e.Status, "error", l.T("error.title"), msg)
}

// wantsJSON reports whether the client asked for JSON rather than a page.
func wantsJSON(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "json") && !strings.Contains(accept, "text/html")
}

// printer returns the request's translator, in the default language when
// the request never went through withLocale.
func (rd *renderer) printer(r *http.Request) *i18n.Printer {
	if p, ok := r.Context().Value(printerKey).(*i18n.Printer); ok {
		return p
	}
	return rd.catalog.Printer(i18n.Languages[0])
}
