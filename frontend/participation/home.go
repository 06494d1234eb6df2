package participation

import (
	"fmt"
	"net/http"

	"agora/frontend/web"
)

// home welcomes residents with the node's open spaces, so a first visit
// shows what can be done here and now.
func (s *surface) home(w http.ResponseWriter, r *http.Request) {
	var d spaceListData
	if s.spaces != nil {
		var err error
		if d, err = s.spaceList(r); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	s.HTML(w, r, http.StatusOK, "home", "", d)
}

// RegisterHome serves only the home page, with no spaces: a node without
// participation (tests of the kit and the assembly).
func RegisterHome(k *web.Kit) error {
	pages, err := k.Pages(templates, "templates/*.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("participation: %w", err)
	}
	s := &surface{Pages: pages}
	k.Anyone().Get("/", s.home)
	return nil
}
