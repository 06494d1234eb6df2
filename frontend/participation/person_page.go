package participation

import (
	"errors"
	"net/http"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
)

// personData is a resident's public profile.
type personData struct {
	Name   string
	Handle string // @handle@host, to follow from the fediverse
	Since  string
}

// personPage is the page of a resident who chose a public profile: what
// a fediverse user reaches from the author of a proposal or comment. A
// private or deleted account has no page, and nothing says it exists.
func (s *surface) personPage(w http.ResponseWriter, r *http.Request) {
	a, err := s.accounts.ByHandle(r.Context(), mux.Vars(r)["handle"])
	if errors.Is(err, accounts.ErrNotFound) || err == nil && (!a.Public || a.Deleted()) {
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, nil))
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	d := personData{Name: a.DisplayName, Handle: "@" + a.Handle + "@" + s.BaseURL().Host, Since: l.Date(a.CreatedAt)}
	s.HTML(w, r, http.StatusOK, "person", a.DisplayName, d)
}
