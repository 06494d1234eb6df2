package frontend

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"agora/instances/accounts"
)

// deskNewData is the form that opens an account for a resident with no
// device.
type deskNewData struct {
	Form *form
}

func (s *server) deskNewPage(w http.ResponseWriter, r *http.Request) {
	f := &form{Values: map[string]string{"desk": rememberedDesk(r), "language": accounts.Languages[0]}, Errors: map[string]string{}}
	s.renderDeskNew(w, r, http.StatusOK, f)
}

func (s *server) renderDeskNew(w http.ResponseWriter, r *http.Request, status int, f *form) {
	s.render.html(w, r, status, "desk_new", s.render.printer(r).T("desk.new.title"), deskNewData{Form: f})
}

// deskNewSave opens the account, then answers with the setup sheet to
// print. Every field is checked first, so a form with any error creates
// nothing and shows each message next to its field.
func (s *server) deskNewSave(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	l := s.render.printer(r)
	f := newForm(r)
	desk, _ := s.postedDesk(r, f)
	in := accounts.NewAccount{
		Handle:      normalizeHandle(r.PostForm.Get("handle")),
		DisplayName: strings.TrimSpace(r.PostForm.Get("display_name")),
		Language:    r.PostForm.Get("language"),
	}
	status := http.StatusBadRequest
	var checks []error
	if err := s.accounts.HandleAvailable(r.Context(), in.Handle); err != nil {
		checks = append(checks, err)
	}
	if n := utf8.RuneCountInString(in.DisplayName); n < 1 || n > 80 {
		checks = append(checks, accounts.ErrDisplayName)
	}
	if !slices.Contains(accounts.Languages, in.Language) {
		checks = append(checks, accounts.ErrLanguage)
	}
	for _, err := range checks {
		e := asError(err)
		if e.Status >= 500 {
			s.render.fail(w, r, err)
			return
		}
		f.fail(l, err)
		status = max(status, e.Status)
	}
	if f.Invalid() {
		s.renderDeskNew(w, r, status, f)
		return
	}
	acc, err := s.accounts.Create(r.Context(), accounts.Actor{Account: currentAccount(r), Desk: desk}, in)
	if err != nil {
		if e := asError(err); e.Status < 500 {
			f.fail(l, err)
			s.renderDeskNew(w, r, e.Status, f)
			return
		}
		s.render.fail(w, r, err)
		return
	}
	s.rememberDesk(w, desk)
	s.issueSheet(w, r, acc, desk, true)
}
