package admin

import (
	"net/http"
	"net/url"
	"strconv"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/spaces"
)

// spaceListData is the admin's list of spaces, each with its edit link.
type spaceListData struct {
	Spaces []spaces.Space
}

// spaceListPage lists the spaces to change.
func (s *surface) spaceListPage(w http.ResponseWriter, r *http.Request) {
	all, err := s.spaces.List(r.Context())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.HTML(w, r, http.StatusOK, "admin_spaces", s.Printer(r).T("rules.space.list.title"), spaceListData{Spaces: all})
}

// spaceEditPage shows the form of a space, filled with what it holds.
func (s *surface) spaceEditPage(w http.ResponseWriter, r *http.Request) {
	sp, err := s.spaces.BySlug(r.Context(), mux.Vars(r)["slug"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	f := web.EmptyForm()
	f.Values["title"], f.Values["slug"], f.Values["description"] = sp.Title, sp.Slug, sp.Description
	f.Values["kind"] = string(sp.Kind)
	f.Values["title_max"], f.Values["body_max"] = strconv.Itoa(sp.TitleMax), strconv.Itoa(sp.BodyMax)
	f.Values["threshold"] = strconv.Itoa(sp.SupportThreshold)
	if sp.UnverifiedMayPropose {
		f.Values["unverified"] = "on"
	}
	for i, p := range sp.Phases {
		row := phaseFields(i)
		f.Values[row.Kind], f.Values[row.Name] = string(p.Kind), p.Name
		f.Values[row.Start], f.Values[row.End] = s.dayOf(p.StartsAt, false), s.dayOf(p.EndsAt, true)
	}
	for i, c := range sp.Categories {
		row := categoryFields(i)
		f.Values[row.Slug], f.Values[row.FR], f.Values[row.EN] = c.Slug, c.NameFR, c.NameEN
	}
	f.Values["phase_rows"], f.Values["category_rows"] = strconv.Itoa(len(sp.Phases)), strconv.Itoa(len(sp.Categories))
	s.renderSpaceForm(w, r, http.StatusOK, f, sp)
}

// spaceEditSave changes the space. As when opening one, every problem
// comes back at once and nothing changes while one remains.
func (s *surface) spaceEditSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	sp, err := s.spaces.BySlug(r.Context(), mux.Vars(r)["slug"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	f := web.NewForm(r)
	f.Values["slug"] = sp.Slug
	if s.addRow(w, r, f, sp) {
		return
	}
	in, at := s.postedSpace(r, f, sp)
	if f.Invalid() {
		err = s.spaces.CheckEdit(r.Context(), sp.ID, in)
	} else if _, err = s.spaces.Update(r.Context(), accounts.As(web.CurrentAccount(r)), sp.ID, in); err == nil {
		http.Redirect(w, r, "/spaces/"+url.PathEscape(sp.Slug)+"?done=edited", http.StatusSeeOther)
		return
	}
	if err != nil && !s.spaceFailed(r, f, at, err) {
		s.Fail(w, r, err)
		return
	}
	s.renderSpaceForm(w, r, http.StatusBadRequest, f, sp)
}
