package desk

import (
	"net/http"

	"agora/frontend/web"
)

// deskNameSave remembers the desk name typed on the desk's home page.
func (s *surface) deskNameSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	desk, ok := s.PostedDesk(r, f)
	if !ok {
		s.renderDesk(w, r, http.StatusBadRequest, f)
		return
	}
	s.RememberDesk(w, desk)
	http.Redirect(w, r, "/desk?done=desk_saved", http.StatusSeeOther)
}
