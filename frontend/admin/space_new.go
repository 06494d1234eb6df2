package admin

import (
	"net/http"
	"net/url"
	"strconv"

	"agora/frontend/web"

	"agora/instances/accounts"
	"agora/instances/spaces"
)

func (s *surface) spaceNewPage(w http.ResponseWriter, r *http.Request) {
	f := web.EmptyForm()
	f.Values["kind"] = string(spaces.Process)
	f.Values["title_max"] = strconv.Itoa(spaces.DefaultTitleMax)
	f.Values["body_max"] = strconv.Itoa(spaces.DefaultBodyMax)
	f.Values["threshold"] = strconv.Itoa(spaces.DefaultThreshold)
	s.renderSpaceForm(w, r, http.StatusOK, f, nil)
}

// spaceNewSave opens the space. What the form cannot read and what the
// service refuses come back together, each next to its field, and
// nothing is created while one remains.
func (s *surface) spaceNewSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	if s.addRow(w, r, f, nil) {
		return
	}
	edit, at := s.postedSpace(r, f, nil)
	in := spaces.NewSpace{Slug: f.Values["slug"], Title: edit.Title, Description: edit.Description, Kind: edit.Kind,
		Phases: edit.Phases, Categories: edit.Categories, TitleMax: edit.TitleMax, BodyMax: edit.BodyMax,
		SupportThreshold: edit.SupportThreshold, UnverifiedMayPropose: edit.UnverifiedMayPropose}
	var err error
	if f.Invalid() {
		err = s.spaces.Validate(r.Context(), in)
	} else {
		var sp *spaces.Space
		if sp, err = s.spaces.Create(r.Context(), accounts.As(web.CurrentAccount(r)), in); err == nil {
			http.Redirect(w, r, "/spaces/"+url.PathEscape(sp.Slug)+"?done=created", http.StatusSeeOther)
			return
		}
	}
	if err != nil && !s.spaceFailed(r, f, at, err) {
		s.Fail(w, r, err)
		return
	}
	status := http.StatusBadRequest
	if f.Errors["slug"] == s.Printer(r).T("space.error.slug_taken") && len(f.Errors) == 1 {
		status = http.StatusConflict
	}
	s.renderSpaceForm(w, r, status, f, nil)
}
