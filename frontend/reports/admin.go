package reports

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/reports"
)

// adminData is the admin's page: the categories and their services, a
// form to add or change one, and the territory's outline.
type adminData struct {
	Categories []reports.Category
	Category   *web.Form
	Territory  *web.Form
	Done       string
}

func (s *surface) adminPage(w http.ResponseWriter, r *http.Request) {
	s.renderAdmin(w, r, http.StatusOK, web.EmptyForm(), nil)
}

func (s *surface) renderAdmin(w http.ResponseWriter, r *http.Request, status int, cat, terr *web.Form) {
	cats, err := s.reports.Categories(r.Context(), true)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if terr == nil {
		poly, err := s.reports.Territory(r.Context())
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		terr = web.EmptyForm()
		terr.Values["territory"] = FormatPolygon(poly)
	}
	d := adminData{Categories: cats, Category: cat, Territory: terr, Done: r.URL.Query().Get("done")}
	s.HTML(w, r, status, "street_admin", s.Printer(r).T("street.admin.title"), d)
}

func (s *surface) adminCategorySave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	pos, _ := strconv.Atoi(f.Values["position"])
	c := reports.Category{Slug: f.Values["slug"], NameFR: f.Values["name_fr"], NameEN: f.Values["name_en"],
		Service: f.Values["service"], Position: pos, Retired: f.Values["retired"] == "on",
		Kind: reports.Kind(f.Values["kind"])}
	if err := s.reports.SaveCategory(r.Context(), accounts.As(web.CurrentAccount(r)), c); err != nil {
		s.renderAdmin(w, r, s.Refuse(w, r, f, err), f, nil)
		return
	}
	http.Redirect(w, r, "/admin/reports?done=category", http.StatusSeeOther)
}

func (s *surface) adminTerritorySave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	poly, err := ParsePolygon(r.PostForm.Get("territory"))
	if err == nil {
		err = s.reports.SetTerritory(r.Context(), accounts.As(web.CurrentAccount(r)), poly)
	}
	if err != nil {
		s.renderAdmin(w, r, s.Refuse(w, r, f, err), web.EmptyForm(), f)
		return
	}
	http.Redirect(w, r, "/admin/reports?done=territory", http.StatusSeeOther)
}

// ParsePolygon reads a territory typed one point a line, "latitude,
// longitude" or "latitude longitude" (a decimal comma needs the
// space). Blank lines are skipped; nothing at all is no territory.
func ParsePolygon(text string) (reports.Polygon, error) {
	var poly reports.Polygon
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if len(poly) >= reports.MaxTerritoryPoints {
			return nil, reports.ErrTerritory
		}
		var lat, lon string
		if f := strings.Fields(strings.ReplaceAll(line, ";", " ")); len(f) == 2 {
			lat, lon = strings.TrimSuffix(f[0], ","), f[1]
		} else if a, b, ok := strings.Cut(line, ","); ok {
			lat, lon = a, b
		} else {
			return nil, fmt.Errorf("%w: line %d", reports.ErrTerritory, i+1)
		}
		p, ok := web.ParsePoint(lat, lon)
		if !ok || p == nil {
			return nil, fmt.Errorf("%w: line %d", reports.ErrTerritory, i+1)
		}
		poly = append(poly, *p)
	}
	return poly, nil
}

// FormatPolygon writes a territory as ParsePolygon reads it.
func FormatPolygon(poly reports.Polygon) string {
	var b strings.Builder
	for _, p := range poly {
		fmt.Fprintf(&b, "%s, %s\n", strconv.FormatFloat(p.Lat, 'f', -1, 64), strconv.FormatFloat(p.Lon, 'f', -1, 64))
	}
	return b.String()
}
