package budgets

import (
	"net/http"

	"github.com/gorilla/mux"

	"agora/frontend/web"
)

// feedSize is how many steps a budget's feed carries: the newest.
const feedSize = 50

// feed is the Atom feed of an edition's follow-up, newest first: every
// published step of every funded project, so residents follow what is
// built from any feed reader.
func (s *surface) feed(w http.ResponseWriter, r *http.Request) {
	b, err := s.projects.Budget(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	steps, err := s.projects.Steps(r.Context(), b.ID, feedSize)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l, node := s.Printer(r), s.NodeName(r.Context())
	page := s.BaseURL().JoinPath("budgets", b.ID).String()
	lang := ""
	if web.ChosenLang(r, l) != "" { // a reader who chose a language keeps it
		lang = "?lang=" + l.Lang
	}
	f := &web.AtomFeed{
		Lang:     l.Lang,
		ID:       page + "/feed.atom",
		Title:    web.AtomText{Body: l.T("budget.feed.title", b.Title)},
		Subtitle: &web.AtomText{Body: l.T("budget.feed.subtitle", node)},
		Links: []web.AtomLink{
			{Rel: "self", Type: "application/atom+xml", Href: page + "/feed.atom" + lang},
			{Rel: "alternate", Type: "text/html", Href: page + lang, Hreflang: l.Lang},
		},
		Author:  &web.AtomPerson{Name: node},
		Updated: web.AtomTime(b.CreatedAt),
	}
	for i, st := range steps {
		if i == 0 {
			f.Updated = web.AtomTime(st.At)
		}
		project := s.BaseURL().JoinPath("budgets", "projects", st.ProjectID).String()
		text := l.T("budget.status."+string(st.Status)) + " — " + l.T("budget.feed.progress", st.Progress) + "\n\n" + st.Text
		f.Entries = append(f.Entries, web.AtomEntry{
			ID:        project + "#step-" + st.ID,
			Title:     web.AtomText{Body: l.T("budget.feed.entry", st.ProjectTitle, l.T("budget.status."+string(st.Status)))},
			Updated:   web.AtomTime(st.At),
			Published: web.AtomTime(st.At),
			Authors:   []web.AtomPerson{{Name: node}},
			Links:     []web.AtomLink{{Rel: "alternate", Type: "text/html", Href: project + lang + "#timeline"}},
			Content:   &web.AtomText{Body: text},
		})
	}
	s.ServeAtom(w, r, f)
}
