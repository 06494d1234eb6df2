package desk

import (
	"net/http"
	"strings"

	"agora/frontend/web"

	"agora/instances/accounts"
)

// deskData is the desk's home: the desk name, a search of residents, and
// the way to open an account for someone without a device.
type deskData struct {
	Form     *web.Form // the desk name form
	Query    string
	Searched bool
	Results  []deskResult
	Done     string
}

// deskResult is one resident found, with where their residency stands.
type deskResult struct {
	accounts.Account
	State accounts.ResidencyState
}

// deskSearchLimit is how many residents one search shows.
const deskSearchLimit = 50

func (s *surface) deskPage(w http.ResponseWriter, r *http.Request) {
	f := &web.Form{Values: map[string]string{"desk": web.RememberedDesk(r)}, Errors: map[string]string{}}
	s.renderDesk(w, r, http.StatusOK, f)
}

// renderDesk shows the desk's home, searching for ?q= when given.
func (s *surface) renderDesk(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	d := deskData{Form: f, Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if d.Query != "" {
		found, err := s.accounts.Search(r.Context(), accounts.As(web.CurrentAccount(r)), d.Query, deskSearchLimit)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		d.Searched = true
		now := s.Now()
		for _, a := range found {
			res, err := s.accounts.Residency(r.Context(), a.ID)
			if err != nil {
				s.Fail(w, r, err)
				return
			}
			d.Results = append(d.Results, deskResult{Account: a, State: res.State(now)})
		}
	}
	if r.URL.Query().Get("done") == "desk_saved" {
		d.Done = "desk.done.desk_saved"
	}
	s.HTML(w, r, status, "desk", s.Printer(r).T("desk.title"), d)
}
