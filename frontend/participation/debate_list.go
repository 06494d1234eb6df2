package participation

import (
	"net/http"
	"net/url"
	"time"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/spaces"
)

// debatesPerPage is the length of a page of a space's debates.
const debatesPerPage = 20

// debateListData is a page of a space's debates, newest first.
type debateListData struct {
	Space   *spaces.Space
	Items   []debateItem
	Next    string // the next page, older debates
	CanOpen bool   // the reader may open a debate
	SignIn  string
}

type debateItem struct {
	ID, Question, State, StateName, Opened, Comments string
	Hidden                                           bool
	Reason                                           string
}

func (s *surface) debateListPage(w http.ResponseWriter, r *http.Request) {
	sp := s.spaceBySlug(w, r, mux.Vars(r)["slug"])
	if sp == nil {
		return
	}
	l := s.Printer(r)
	filter := debates.DebateFilter{SpaceID: sp.ID, Limit: debatesPerPage}
	if b, err := time.Parse(time.RFC3339Nano, r.URL.Query().Get("before")); err == nil {
		filter.Before = b
	}
	list, err := s.debates.Debates(r.Context(), filter)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := debateListData{Space: sp, CanOpen: web.CurrentAccount(r) != nil}
	if !d.CanOpen {
		d.SignIn = "/login?next=" + url.QueryEscape("/spaces/"+sp.Slug+"/debates/new")
	}
	for _, db := range list {
		it := debateItem{ID: db.ID, Question: db.Question, State: string(db.State), StateName: l.T("debate.state." + string(db.State)),
			Opened: l.Date(db.CreatedAt), Comments: l.Plural("comment.count", db.CommentCount), Hidden: db.Hidden(), Reason: db.HiddenReason}
		if it.Hidden {
			it.Question = l.T("debate.hidden.title")
		}
		d.Items = append(d.Items, it)
	}
	if len(list) == debatesPerPage {
		d.Next = "/spaces/" + url.PathEscape(sp.Slug) + "/debates?before=" +
			url.QueryEscape(list[len(list)-1].CreatedAt.UTC().Format(time.RFC3339Nano))
	}
	s.HTML(w, r, http.StatusOK, "debate_list", l.T("debate.list.title", sp.Title), d)
}

// debateNewData is the form to open a debate in a space.
type debateNewData struct {
	Space *spaces.Space
	Form  *web.Form
}

func (s *surface) debateNewPage(w http.ResponseWriter, r *http.Request) {
	if sp := s.spaceBySlug(w, r, mux.Vars(r)["slug"]); sp != nil {
		s.renderDebateNew(w, r, http.StatusOK, sp, web.EmptyForm())
	}
}

func (s *surface) renderDebateNew(w http.ResponseWriter, r *http.Request, status int, sp *spaces.Space, f *web.Form) {
	s.HTML(w, r, status, "debate_form", s.Printer(r).T("debate.new.title"), debateNewData{Space: sp, Form: f})
}

func (s *surface) debateNewSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	sp := s.spaceBySlug(w, r, mux.Vars(r)["slug"])
	if sp == nil {
		return
	}
	f := web.NewForm(r)
	d, err := s.debates.CreateDebate(r.Context(), accounts.As(web.CurrentAccount(r)), debates.NewDebate{SpaceID: sp.ID,
		Question: r.PostForm.Get("question"), Description: r.PostForm.Get("description")})
	if err != nil {
		s.FormFailed(w, r, f, err, func(status int) { s.renderDebateNew(w, r, status, sp, f) })
		return
	}
	http.Redirect(w, r, "/debates/"+url.PathEscape(d.ID)+"?done=opened", http.StatusSeeOther)
}
