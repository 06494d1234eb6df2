package participation

import (
	"html/template"
	"net/http"

	"agora/instances/spaces"
)

// spaceListData is every space of the node, each with what residents can
// do there now.
type spaceListData struct {
	Spaces  []spaceSummary
	Welcome template.HTML // the admin's welcome text, on the home page
}

type spaceSummary struct {
	Slug, Title, Kind, Now string
	Current                string // the current phase's name, or ""
}

func (s *surface) spaceListPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.spaceList(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.HTML(w, r, http.StatusOK, "space_list", s.Printer(r).T("space.list.title"), d)
}

// spaceList sums up every space for the reader: its kind, its current
// phase and what residents may do now.
func (s *surface) spaceList(r *http.Request) (spaceListData, error) {
	list, err := s.spaces.List(r.Context())
	if err != nil {
		return spaceListData{}, err
	}
	l, now := s.Printer(r), s.Now()
	d := spaceListData{Spaces: make([]spaceSummary, len(list))}
	for i := range list {
		sp := &list[i]
		d.Spaces[i] = spaceSummary{Slug: sp.Slug, Title: sp.Title, Kind: spaceKindName(l, sp.Kind), Now: s.whatNow(l, sp, now)}
		if p := sp.PhaseAt(now); p != nil {
			d.Spaces[i].Current = phaseName(l, p)
		}
	}
	return d, nil
}

// spaceBySlug loads the space named in the URL; it answers 404 and
// returns nil when there is none.
func (s *surface) spaceBySlug(w http.ResponseWriter, r *http.Request, slug string) *spaces.Space {
	sp, err := s.spaces.BySlug(r.Context(), slug)
	if err != nil {
		s.Fail(w, r, err)
		return nil
	}
	return sp
}
