package apps

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"agora/frontend/web"

	"agora/frontend/i18n"
	"agora/instances/apps"
)

// appsPerPage is the length of a page of the catalogue.
const appsPerPage = 20

// Bounds of the catalogue's free-text filters, in characters.
const (
	appSearchMax = 200
	appValueMax  = 100 // a licence, platform or language
)

// appListData is a page of the catalogue with its filters.
type appListData struct {
	Filters                      *web.Form
	Categories, Platforms, Stats []web.Option
	Items                        []appItem
	Count                        string
	Paging                       web.Paging
	MayPublish                   bool
	Filtered                     bool // a filter is set: "none matches", not "none yet"
}

// appItem is one app of the list.
type appItem struct {
	Slug, Name, Short, ShortLang, License, Status string
	Categories                                    []string
	Certified, Deprecated                         bool
	Origin                                        string // the node it comes from, for a remote app
}

func (s *surface) appListPage(w http.ResponseWriter, r *http.Request) {
	l := s.Printer(r)
	f, fl := appFilter(r.URL.Query())
	page, err := s.apps.List(r.Context(), f)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := appListData{Filters: fl, Count: l.Plural("app.list.count", page.Total), Filtered: len(fl.Values) > 0}
	if actor, err := appActor(r); err == nil {
		d.MayPublish = s.apps.MayCurate(actor)
	}
	d.Categories = categoryOptions(l)
	d.Platforms = []web.Option{{Value: "", Label: l.T("app.list.any")}}
	for _, p := range apps.Platforms {
		d.Platforms = append(d.Platforms, web.Option{Value: p, Label: platformName(l, p)})
	}
	d.Stats = []web.Option{{Value: "", Label: l.T("app.list.any")}}
	for _, st := range apps.DevelopmentStatuses {
		d.Stats = append(d.Stats, web.Option{Value: st, Label: l.T("app.status." + st)})
	}
	for i := range page.Items {
		d.Items = append(d.Items, appItemOf(l, &page.Items[i]))
	}
	d.Paging = web.Paginate(l, "app.list.pages", appListURL(fl), page.Page, page.Pages())
	s.HTML(w, r, http.StatusOK, "app_list", l.T("app.list.title"), d)
}

// appFilter reads the catalogue's filters from the URL, for the page and
// the JSON list alike. A value the form cannot send (an unknown status, a
// page of letters) counts as not given.
func appFilter(v url.Values) (apps.Filter, *web.Form) {
	f := apps.Filter{Page: 1, PerPage: appsPerPage}
	fl := web.EmptyForm()
	text := func(key string, max int) string {
		s := strings.TrimSpace(v.Get(key))
		if s == "" || utf8.RuneCountInString(s) > max || !utf8.ValidString(s) {
			return ""
		}
		fl.Values[key] = s
		return s
	}
	f.Query = text("q", appSearchMax)
	if c := v.Get("category"); apps.IsCategory(c) {
		f.Category, fl.Values["category"] = c, c
	}
	f.License = text("license", appValueMax)
	f.Platform = text("platform", appValueMax)
	if st := v.Get("status"); slices.Contains(apps.DevelopmentStatuses, st) {
		f.Status, fl.Values["status"] = st, st
	}
	f.Language = text("language", appValueMax)
	if c := v.Get("certified"); c == "on" || c == "true" || c == "1" {
		f.Certified, fl.Values["certified"] = true, "on"
	}
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n > 1 {
		f.Page = n
	}
	return f, fl
}

// appFilterKeys are the catalogue's filters, in the order of the form.
var appFilterKeys = []string{"q", "category", "license", "platform", "status", "language", "certified"}

// appListURL is the list with the filters of f, for page n.
func appListURL(f *web.Form) func(n int) string {
	return func(n int) string {
		v := url.Values{}
		for _, k := range appFilterKeys {
			if f.Values[k] != "" {
				v.Set(k, f.Values[k])
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return "/apps"
		}
		return "/apps?" + v.Encode()
	}
}

func appItemOf(l *i18n.Printer, a *apps.App) appItem {
	it := appItem{Slug: a.Slug, Name: a.Name, License: a.License, Status: l.T("app.status." + a.DevelopmentStatus),
		Categories: names(l, a.Categories, categoryName), Certified: a.ReviewState == apps.Certified, Deprecated: a.Deprecated(), Origin: a.OriginNode}
	lang := pickLang(a.ShortDescriptions, l.Lang)
	it.Short = a.ShortDescriptions[lang]
	if primary(lang) != l.Lang {
		it.ShortLang = lang
	}
	return it
}

// pickLang chooses the text of the reader's language among texts keyed
// by BCP 47 tag: the language itself, a regional variant of it ("fr-BE"
// for "fr"), then French, English, and the first tag in order. It
// returns "" for no text at all.
func pickLang[V any](texts map[string]V, lang string) string {
	if order := langOrder(texts, lang); len(order) > 0 {
		return order[0]
	}
	return ""
}

// langOrder lists the tags of texts in the order pickLang prefers them.
func langOrder[V any](texts map[string]V, lang string) []string {
	keys := make([]string, 0, len(texts))
	for k := range texts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]string, 0, len(keys))
	add := func(k string) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for _, want := range []string{lang, i18n.Languages[0], "en"} {
		for _, k := range keys {
			if strings.EqualFold(k, want) {
				add(k)
			}
		}
		for _, k := range keys {
			if strings.EqualFold(primary(k), want) {
				add(k)
			}
		}
	}
	for _, k := range keys {
		add(k)
	}
	return out
}

// primary is the primary language subtag of a BCP 47 tag: "fr" of "fr-BE".
func primary(tag string) string {
	p, _, _ := strings.Cut(tag, "-")
	return strings.ToLower(p)
}
