package desk

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"agora/frontend/web"

	"agora/instances/accounts"
)

// deskNewData is the form that opens an account for a resident with no
// device.
type deskNewData struct {
	Form *web.Form
}

func (s *surface) deskNewPage(w http.ResponseWriter, r *http.Request) {
	f := &web.Form{Values: map[string]string{"desk": web.RememberedDesk(r), "language": accounts.Languages[0]}, Errors: map[string]string{}}
	s.renderDeskNew(w, r, http.StatusOK, f)
}

func (s *surface) renderDeskNew(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	s.HTML(w, r, status, "desk_new", s.Printer(r).T("desk.new.title"), deskNewData{Form: f})
}

// deskNewSave opens the account, then answers with the setup sheet to
// print. Every field is checked first, so a form with any error creates
// nothing and shows each message next to its field.
func (s *surface) deskNewSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	desk, _ := s.PostedDesk(r, f)
	in := accounts.NewAccount{
		Handle:      web.NormalizeHandle(r.PostForm.Get("handle")),
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
		e := s.AsError(err)
		if e.Status >= 500 {
			s.Fail(w, r, err)
			return
		}
		s.FailForm(r, f, err)
		status = max(status, e.Status)
	}
	if f.Invalid() {
		s.renderDeskNew(w, r, status, f)
		return
	}
	acc, err := s.accounts.Create(r.Context(), accounts.Actor{Account: web.CurrentAccount(r), Desk: desk}, in)
	if err != nil {
		if e := s.AsError(err); e.Status < 500 {
			s.FailForm(r, f, err)
			s.renderDeskNew(w, r, e.Status, f)
			return
		}
		s.Fail(w, r, err)
		return
	}
	s.RememberDesk(w, desk)
	s.issueSheet(w, r, acc, desk, true)
}
