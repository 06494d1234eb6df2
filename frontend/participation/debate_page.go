package participation

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"agora/frontend/web"
	"agora/instances/notifications"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
	"agora/instances/spaces"
)

// debateData is a debate's page: the question, its description, its
// state and conclusion, its thread, and the forms of who may act on it.
type debateData struct {
	D           *debates.Debate
	Space       *spaces.Space
	Title       string
	StateName   string
	Author      string
	Profile     string // the author's public profile handle, or ""
	Follow      *web.FollowButton
	Opened      string
	Edited      string
	Closed      string
	EnteredBy   string
	Description template.HTML // rendered and sanitised by the debates service
	Conclusion  template.HTML
	ShowContent bool // false for a hidden debate, but for moderators
	Comments    commentsData
	CanClose    bool
	Close       *web.Form
	Moderator   bool
	CanReport   bool
	Done        string
	Fediverse   string // likes and shares from other servers; "" for none
}

// debateDone are the confirmations a redirect may ask the page to show.
var debateDone = []string{"opened", "closed", "hidden", "unhidden"}

func (s *surface) debatePage(w http.ResponseWriter, r *http.Request) {
	s.renderDebate(w, r, http.StatusOK, mux.Vars(r)["id"], web.EmptyForm())
}

// renderDebate shows a debate's page, with closeForm as the close form (the
// one that failed, when a post went wrong).
func (s *surface) renderDebate(w http.ResponseWriter, r *http.Request, status int, id string, closeForm *web.Form) {
	ctx, l, acc := r.Context(), s.Printer(r), web.CurrentAccount(r)
	db, err := s.debates.Debate(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	sp, err := s.spaces.ByID(ctx, db.SpaceID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := debateData{D: db, Space: sp, Title: db.Question, StateName: l.T("debate.state." + string(db.State)),
		Opened: l.DateTime(db.CreatedAt), Description: template.HTML(db.DescriptionHTML), Conclusion: template.HTML(db.ConclusionHTML),
		ShowContent: !db.Hidden() || acc.Has(accounts.Moderator), Close: closeForm, Moderator: acc.Has(accounts.Moderator),
		CanReport: acc != nil && moderation.MayReport(acc, db.AuthorID) == nil}
	if !d.ShowContent {
		d.Title = l.T("debate.hidden.title")
	}
	d.Author = l.T("account.former")
	if a, err := s.accounts.ByID(ctx, db.AuthorID); err == nil && !a.Deleted() {
		d.Author, d.Profile = a.DisplayName, web.ProfileHandle(a)
	} else if err != nil && !errors.Is(err, accounts.ErrNotFound) {
		s.Fail(w, r, err)
		return
	}
	if db.EnteredBy != "" {
		d.EnteredBy = l.T("debate.entered_at_desk", db.Desk)
	}
	if db.EditedAt != nil {
		d.Edited = l.DateTime(*db.EditedAt)
	}
	if db.ClosedAt != nil {
		d.Closed = l.DateTime(*db.ClosedAt)
	}
	d.CanClose = db.State == debates.DebateOpen && !db.Hidden() && acc != nil && (acc.ID == db.AuthorID || debates.MayClose(acc))
	if d.ShowContent {
		if d.Comments, err = s.commentsView(r, debates.Target{Kind: debates.TargetDebate, ID: db.ID}); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	if done := r.URL.Query().Get("done"); slices.Contains(debateDone, done) {
		d.Done = l.T("debate.done." + done)
	}
	if d.ShowContent {
		d.Fediverse = s.fediverseLine(r, "debate", db.ID)
	}
	if d.Follow, err = s.followButton(r, notifications.Debate, db.ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.HTML(w, r, status, "debate", d.Title, d)
}

// debateClose closes a debate with a conclusion.
func (s *surface) debateClose(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	id := mux.Vars(r)["id"]
	f := web.NewForm(r)
	if _, err := s.debates.CloseDebate(r.Context(), accounts.As(web.CurrentAccount(r)), id, r.PostForm.Get("conclusion")); err != nil {
		s.FormFailed(w, r, f, err, func(status int) { s.renderDebate(w, r, status, id, f) })
		return
	}
	http.Redirect(w, r, "/debates/"+url.PathEscape(id)+"?done=closed#conclusion", http.StatusSeeOther)
}
