package apps

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/apps"
)

// appPublicCode serves an app's publiccode.yml with usedBy filled with
// the cities that use it now, for national catalogues and crawlers.
func (s *surface) appPublicCode(w http.ResponseWriter, r *http.Request) {
	body, err := s.apps.PublicCodeWithUsedBy(r.Context(), mux.Vars(r)["slug"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	web.ServeCached(w, r, "application/yaml; charset=utf-8", body, web.APIMaxAge)
}

// The JSON shapes of the catalogue (docs/API.md).
type apiAppPage struct {
	Items   []apiAppJSON `json:"items"`
	Page    int          `json:"page"`
	PerPage int          `json:"per_page"`
	Total   int          `json:"total"`
	Pages   int          `json:"pages"`
	Next    *string      `json:"next"`
	Prev    *string      `json:"prev"`
}

type apiAppJSON struct {
	Slug              string            `json:"slug"`
	Name              string            `json:"name"`
	Description       map[string]string `json:"description"` // short descriptions, by language
	License           string            `json:"license"`
	Categories        []string          `json:"categories"`
	Platforms         []string          `json:"platforms"`
	DevelopmentStatus string            `json:"development_status"`
	SoftwareType      string            `json:"software_type"`
	ReviewState       apps.ReviewState  `json:"review_state"`
	Certified         bool              `json:"certified"`
	CertifiedAt       *string           `json:"certified_at"`
	Deprecated        bool              `json:"deprecated"`
	LatestRelease     *apiAppRelease    `json:"latest_release"`
	AdoptionCount     int               `json:"adoption_count"`
	Origin            *string           `json:"origin"` // the node that publishes it, null when this one
	UpdatedAt         string            `json:"updated_at"`
	URL               string            `json:"url"`
	RepositoryURL     string            `json:"repository_url"`
	PublicCodeURL     string            `json:"publiccode_url"`
}

type apiAppRelease struct {
	Version string `json:"version"`
	Date    string `json:"date"` // YYYY-MM-DD
}

// apiApps lists the catalogue, filtered and paginated like the page.
// Any parameter out of bounds is a 400 that names it.
func (s *surface) apiApps(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), s.Printer(r)
	f, err := apiAppFilter(r.URL.Query())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	page, err := s.apps.List(ctx, f)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	out := apiAppPage{Items: make([]apiAppJSON, 0, len(page.Items)), Page: f.Page, PerPage: f.PerPage,
		Total: page.Total, Pages: page.Pages()}
	ids := make([]string, 0, len(page.Items))
	for i := range page.Items {
		ids = append(ids, page.Items[i].ID)
	}
	sums, err := s.apps.Summaries(ctx, ids)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	links := s.Links()
	for i := range page.Items {
		a := &page.Items[i]
		item := apiAppJSON{Slug: a.Slug, Name: a.Name, Description: map[string]string(a.ShortDescriptions), License: a.License,
			Categories: nonNil(a.Categories), Platforms: nonNil(a.Platforms), DevelopmentStatus: a.DevelopmentStatus,
			SoftwareType: a.SoftwareType, ReviewState: a.ReviewState, Certified: a.ReviewState == apps.Certified,
			Deprecated: a.Deprecated(), UpdatedAt: a.UpdatedAt.UTC().Format(time.RFC3339),
			URL: links.Abs(appSlugPath(a.Slug), nil), RepositoryURL: a.URL,
			PublicCodeURL: links.Abs(appSlugPath(a.Slug)+"/publiccode.yml", nil)}
		if item.Description == nil {
			item.Description = map[string]string{}
		}
		if a.CertifiedAt != nil && item.Certified {
			at := a.CertifiedAt.UTC().Format(time.RFC3339)
			item.CertifiedAt = &at
		}
		if a.Remote() {
			item.Origin = &a.OriginNode
		}
		sum := sums[a.ID]
		if sum.LatestVersion != "" {
			item.LatestRelease = &apiAppRelease{Version: sum.LatestVersion, Date: sum.LatestDate.Format(time.DateOnly)}
		}
		item.AdoptionCount = sum.Adoptions
		out.Items = append(out.Items, item)
	}
	link := func(n int) *string {
		u := links.Abs("/api/v1/apps", apiAppValues(r.URL.Query(), f, n, web.ChosenLang(r, l)))
		return &u
	}
	if f.Page < out.Pages {
		out.Next = link(f.Page + 1)
	}
	if f.Page > 1 {
		out.Prev = link(min(f.Page-1, max(out.Pages, 1)))
	}
	s.PublicJSON(w, r, out)
}

// apiAppFilter reads the list's parameters: q, category, license,
// platform, status, language, certified, page and per_page.
func apiAppFilter(v url.Values) (apps.Filter, error) {
	f := apps.Filter{}
	bad := func(key string, args ...any) error {
		return &web.Error{Status: http.StatusBadRequest, Key: key, Args: args}
	}
	var err error
	if f.Page, f.PerPage, err = web.ParsePaging(v, web.PerPageDefault); err != nil {
		return f, err
	}
	if raw := strings.TrimSpace(v.Get("q")); raw != "" {
		if utf8.RuneCountInString(raw) > web.SearchMax || !utf8.ValidString(raw) {
			return f, bad("api.error.q", web.SearchMax)
		}
		f.Query = raw
	}
	if raw := v.Get("category"); raw != "" {
		if !apps.IsCategory(raw) {
			return f, bad("api.error.app_category")
		}
		f.Category = raw
	}
	if raw := v.Get("status"); raw != "" {
		if !slices.Contains(apps.DevelopmentStatuses, raw) {
			return f, bad("api.error.app_status", strings.Join(apps.DevelopmentStatuses, ", "))
		}
		f.Status = raw
	}
	for key, dst := range map[string]*string{"license": &f.License, "platform": &f.Platform, "language": &f.Language} {
		if raw := strings.TrimSpace(v.Get(key)); raw != "" {
			if utf8.RuneCountInString(raw) > appValueMax || !utf8.ValidString(raw) {
				return f, bad("api.error.app_value", key, appValueMax)
			}
			*dst = raw
		}
	}
	switch v.Get("certified") {
	case "", "false":
	case "true":
		f.Certified = true
	default:
		return f, bad("api.error.app_certified")
	}
	return f, nil
}

// apiAppValues writes the filters back as parameters, at page n.
func apiAppValues(in url.Values, f apps.Filter, n int, lang string) url.Values {
	v := url.Values{}
	for _, k := range []string{"q", "category", "license", "platform", "status", "language"} {
		if raw := strings.TrimSpace(in.Get(k)); raw != "" {
			v.Set(k, raw)
		}
	}
	if f.Certified {
		v.Set("certified", "true")
	}
	v.Set("page", strconv.Itoa(n))
	v.Set("per_page", strconv.Itoa(f.PerPage))
	if lang != "" {
		v.Set("lang", lang)
	}
	return v
}

// nonNil gives an empty list rather than null.
func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
