package participation

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"

	"agora/frontend/web"
	"agora/instances/markup"
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
	if st, ok := s.Site(r.Context()); ok {
		text := st.WelcomeFR
		if s.Printer(r).Lang == "en" {
			text = cmp.Or(st.WelcomeEN, text)
		}
		if text != "" {
			d.Welcome = template.HTML(s.homeMarkup().Markdown(text))
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

// homeMarkup renders the welcome text, also on a node without
// participation.
func (s *surface) homeMarkup() *markup.Renderer {
	if s.markup == nil {
		return markup.New()
	}
	return s.markup
}
