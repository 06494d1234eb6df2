package frontend

import "net/http"

func (s *server) home(w http.ResponseWriter, r *http.Request) {
	s.render.html(w, r, http.StatusOK, "home", "", nil)
}
