package frontend

import "net/http"

// home welcomes residents with the node's open spaces, so a first visit
// shows what can be done here and now.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	var d spaceListData
	if s.spaces != nil {
		var err error
		if d, err = s.spaceList(r); err != nil {
			s.render.fail(w, r, err)
			return
		}
	}
	s.render.html(w, r, http.StatusOK, "home", "", d)
}
