package participation

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"agora/frontend/web"
	"agora/instances/notifications"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// proposalData is a proposal's page: the proposal, its files, its
// supports and the support button, its timeline with the official
// answers, and the forms of who may act on it.
type proposalData struct {
	L           *i18n.Printer // for the parts rendered alone (proposal_reader.html)
	P           *proposals.Proposal
	Space       *spaces.Space
	Title       string
	Body        template.HTML // rendered and sanitised by the proposals service
	StateName   string
	Author      string
	Profile     string // the author's public profile handle, or ""
	Follow      *web.FollowButton
	Published   string
	Edited      string
	EnteredBy   string // "entered by agent X at desk Y for Z", for a desk entry
	Category    string
	MapURL      string
	Point       string
	ShowContent bool // false for a hidden proposal, but for moderators
	Attachments []attachmentView
	Timeline    []eventView
	Supports    string // the count, in words
	Fediverse   string // likes and shares from other servers, apart from supports; "" for none
	Threshold   string // how many lead to a review, while published
	Support     supportView
	EditUntil   string // until when the author may edit, or ""
	Moderate    bool   // a moderator may edit it, with a reason
	CanWithdraw bool
	AnswerTo    []web.Option         // the states an official may answer with; none: no form
	Agent       bool                 // offer the support for a resident present
	Forms       map[string]*web.Form // support, behalf, withdraw, answer: empty, or the one that failed
	Done        string
	Comments    commentsData
	Moderator   bool // show the moderation links
	CanReport   bool // show the report link: signed in, and not its author
}

// supportView is the support part of the page.
type supportView struct {
	Open       bool   // the proposal takes supports now
	Why        string // why not, in words
	SignIn     string // where to sign in, for a visitor
	Unverified bool   // signed in, residency not verified
	Refused    string // why the reader does not support it (their own, a city service's account), in words
	Supported  bool   // the reader supports it
}

type attachmentView struct {
	URL, Name, Kind, Size string
	Image                 bool
}

type eventView struct {
	At, Text, Service, Reason string
	Answer                    template.HTML
}

// proposalForms are the forms of the proposal page.
var proposalForms = []string{"support", "behalf", "withdraw", "answer"}

// proposalDone are the confirmations a redirect may ask the page to show.
var proposalDone = []string{"published", "edited", "supported", "unsupported", "withdrawn", "answered",
	"supported_behalf", "unsupported_behalf"}

func (s *surface) proposalPage(w http.ResponseWriter, r *http.Request) {
	s.renderProposal(w, r, http.StatusOK, mux.Vars(r)["id"], nil, "")
}

// renderProposal shows a proposal's page, with f in place of the form
// named failed when a post went wrong.
func (s *surface) renderProposal(w http.ResponseWriter, r *http.Request, status int, id string, f *web.Form, failed string) {
	ctx := r.Context()
	l, now, acc := s.Printer(r), s.Now(), web.CurrentAccount(r)
	p, err := s.proposals.ByID(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	sp, err := s.spaces.ByID(ctx, p.SpaceID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	events, err := s.proposals.Timeline(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	files, err := s.proposals.Attachments(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := proposalData{L: l, P: p, Space: sp, Title: p.Title, Body: template.HTML(p.BodyHTML), StateName: l.T("proposal.state." + string(p.State)),
		Author: authorName(l, p), Profile: web.ProfileHandle(p.Author), Published: l.DateTime(p.CreatedAt), Supports: l.Plural("proposal.supports", p.SupportCount),
		ShowContent: !p.Hidden() || acc.Has(accounts.Moderator), Forms: map[string]*web.Form{}}
	if !d.ShowContent {
		d.Title = l.T("proposal.hidden.title")
	}
	if p.EditedAt != nil {
		d.Edited = l.DateTime(*p.EditedAt)
	}
	if c := sp.Category(p.Category); c != nil {
		d.Category = c.Name(l.Lang)
	}
	if p.Lat != nil && p.Lon != nil {
		lat, lon := strconv.FormatFloat(*p.Lat, 'f', -1, 64), strconv.FormatFloat(*p.Lon, 'f', -1, 64)
		d.Point = l.T("words.point", l.Decimal(*p.Lat, -1), l.Decimal(*p.Lon, -1))
		d.MapURL = "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=18/" + lat + "/" + lon
	}
	if p.EnteredBy != "" {
		agent := l.T("account.former")
		a, err := s.accounts.ByID(ctx, p.EnteredBy)
		switch {
		case err == nil && !a.Deleted():
			agent = a.DisplayName
		case err != nil && !errors.Is(err, accounts.ErrNotFound):
			s.Fail(w, r, err)
			return
		}
		d.EnteredBy = l.T("proposal.entered_by", agent, p.Desk, d.Author)
	}
	for _, a := range files {
		d.Attachments = append(d.Attachments, attachmentView{URL: fmt.Sprintf("/proposals/%s/attachments/%d", url.PathEscape(p.ID), a.Position),
			Name: a.Name, Kind: l.T("attachment.kind." + a.ContentType), Size: l.Size(a.Size), Image: a.ContentType != "application/pdf"})
	}
	for _, e := range events {
		d.Timeline = append(d.Timeline, s.eventView(l, sp, e))
	}
	if p.State == proposals.Published && sp.SupportThreshold > 0 {
		d.Threshold = l.T("proposal.threshold", sp.SupportThreshold)
	}
	if err := s.supportView(r, &d, now); err != nil {
		s.Fail(w, r, err)
		return
	}
	if acc != nil {
		author := acc.ID == p.AuthorID
		if author && p.State == proposals.Published && p.SupportCount == 0 && now.Sub(p.CreatedAt) <= proposals.EditWindow {
			d.EditUntil = l.DateTime(p.CreatedAt.Add(proposals.EditWindow))
		}
		d.Moderate = !author && acc.Has(accounts.Moderator)
		d.CanWithdraw = author && (p.State == proposals.Published || p.State == proposals.Review)
		if acc.Has(accounts.Official) {
			for _, st := range proposals.States {
				if proposals.CanAnswer(p.State, st) {
					d.AnswerTo = append(d.AnswerTo, web.Option{Value: string(st), Label: l.T("proposal.state." + string(st))})
				}
			}
		}
		d.Agent = acc.Has(accounts.Agent) && d.Support.Open
	}
	for _, name := range proposalForms {
		d.Forms[name] = web.EmptyForm()
	}
	d.Forms["behalf"].Values["desk"] = web.RememberedDesk(r)
	if f != nil {
		d.Forms[failed] = f
	}
	if done := r.URL.Query().Get("done"); slices.Contains(proposalDone, done) {
		d.Done = "proposal.done." + done
	}
	if d.Comments, err = s.commentsView(r, debates.Target{Kind: debates.TargetProposal, ID: p.ID}); err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Moderator, d.CanReport = acc.Has(accounts.Moderator), acc != nil && moderation.MayReport(acc, p.AuthorID) == nil
	if d.ShowContent {
		d.Fediverse = s.fediverseLine(r, "proposal", p.ID)
	}
	if d.Follow, err = s.followButton(r, notifications.Proposal, p.ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	if acc == nil {
		web.KeepForReaders(r, &d)
	}
	s.HTML(w, r, status, "proposal", d.Title, d)
}

// proposalReader is what a proposal's page reads of a signed-in
// resident: their support box, their follow, their comment supports.
type proposalReader struct {
	d        proposalData // its Support only
	follow   *web.FollowButton
	comments map[string]bool

	// The reader's parts as rendered into the kept page page (one URL,
	// one language): a reload of that page renders nothing.
	mu    sync.Mutex
	page  *proposalData
	fills map[string]web.Fill
}

// proposalForReader fills, for a signed-in resident, the slots of a
// proposal's page kept for anonymous visitors (kept: its proposalData):
// the follow button, the support box, the report link, the comment form
// and the comment thread with the reader's buttons, from their follow, supports and residency
// (three or four small reads, kept while the reader posts nothing: see
// web.Kit.Memo), rendering only those parts, once per kept page. The rest of
// the page is what anonymous visitors get, up to the page cache's time
// old. A reader who holds a role (their page has forms by role) or who
// wrote the proposal (edit, withdraw) gets the page rendered for them.
func (s *surface) proposalForReader(r *http.Request, kept any) (func(string) (web.Fill, bool), error) {
	anon, ok := kept.(*proposalData)
	acc := web.CurrentAccount(r)
	if !ok || acc == nil || len(acc.Roles) > 0 || acc.ID == anon.P.AuthorID {
		return nil, nil
	}
	d := *anon
	d.L = s.Printer(r)
	// What the page reads of the reader, kept while they post nothing
	// (web.Kit.Memo): a resident reloading the page costs no round trip.
	v, err := s.Memo(r, "proposal:"+d.P.ID, func() (any, error) {
		var st proposalReader
		st.d.P, st.d.Space = d.P, d.Space
		if err := s.supportView(r, &st.d, s.Now()); err != nil {
			return nil, err
		}
		var err error
		if st.follow, err = s.followButton(r, notifications.Proposal, d.P.ID); err != nil {
			return nil, err
		}
		if th := d.Comments.thread; th != nil && !th.empty {
			if st.comments, err = s.debates.Supported(r.Context(), acc.ID, d.Comments.Target); err != nil {
				return nil, err
			}
		}
		return &st, nil
	})
	if err != nil {
		return nil, err
	}
	st := v.(*proposalReader)
	d.Support, d.Follow = st.d.Support, st.follow
	if d.Follow != nil {
		f := *d.Follow
		f.L, f.Done = d.L, r.URL.Query().Get("follow")
		d.Follow = &f
	}
	d.CanReport = moderation.MayReport(acc, d.P.AuthorID) == nil
	d.Comments.L = d.L
	d.Comments.forReader(true)
	reader := threadReader{accountID: acc.ID, open: d.Comments.Open, supported: st.comments}
	fragment := func(name string, data any) (web.Fill, bool) {
		html, err := s.Fragment(name, data)
		if err != nil {
			s.Log().ErrorContext(r.Context(), "render a reader's part of a kept page", "part", name, "err", err)
			return web.Fill{}, false
		}
		return web.Fill{HTML: []byte(html)}, true
	}
	render := func(slot string) (web.Fill, bool) {
		switch slot {
		case "follow":
			if d.Follow == nil {
				return web.Fill{}, true
			}
			return fragment("follow", d.Follow)
		case "support":
			return fragment("proposal-support", &d)
		case "moderation":
			return fragment("proposal-moderation", &d)
		case "comment-add":
			return fragment("comments-add", &d.Comments)
		case "thread":
			// The whole thread with the reader's buttons, compressed once
			// for as long as it is kept: a thread of hundreds of comments
			// is most of the page.
			if d.Comments.thread == nil {
				return web.Fill{}, false
			}
			return web.CompressedFill([]byte(d.Comments.thread.html(reader))), true
		}
		return web.Fill{}, false
	}
	return func(slot string) (web.Fill, bool) {
		st.mu.Lock()
		defer st.mu.Unlock()
		if st.page != anon {
			st.page, st.fills = anon, map[string]web.Fill{}
		}
		if f, ok := st.fills[slot]; ok {
			return f, true
		}
		f, ok := render(slot)
		if ok {
			st.fills[slot] = f
		}
		return f, ok
	}, nil
}

// supportView says whether the reader may support the proposal now, and
// if not, why, in plain words.
func (s *surface) supportView(r *http.Request, d *proposalData, now time.Time) error {
	l, acc, p := s.Printer(r), web.CurrentAccount(r), d.P
	v := &d.Support
	switch err := proposals.SupportsOpen(p, d.Space, now); {
	case errors.Is(err, proposals.ErrClosed):
		v.Why = l.T("proposal.support.closed")
	case errors.Is(err, proposals.ErrPhase):
		v.Why = l.T("proposal.support.phase", s.whatNow(l, d.Space, now))
	default:
		v.Open = true
	}
	if acc == nil {
		v.SignIn = "/login?next=" + url.QueryEscape("/proposals/"+p.ID+"#support")
		return nil
	}
	supported, err := s.proposals.Supports(r.Context(), acc.ID, []string{p.ID})
	if err != nil {
		return err
	}
	v.Supported = supported[p.ID]
	if v.Supported {
		return nil
	}
	switch err := s.proposals.MaySupport(r.Context(), acc, p); {
	case errors.Is(err, proposals.ErrOwnProposal):
		v.Refused = l.T("rules.support.own")
	case errors.Is(err, proposals.ErrServiceAccount):
		v.Refused = l.T("rules.support.service")
	case errors.Is(err, proposals.ErrNotVerified):
		v.Unverified = true
	case err != nil:
		return err
	}
	return nil
}

// eventView writes one line of the timeline.
func (s *surface) eventView(l *i18n.Printer, sp *spaces.Space, e proposals.Event) eventView {
	v := eventView{At: l.DateTime(e.At), Service: e.Service, Reason: e.Reason, Answer: template.HTML(e.AnswerHTML)}
	switch e.Kind {
	case "published", "edited", "withdrawn":
		v.Text = l.T("proposal.event." + e.Kind)
	case "review":
		v.Text = l.T("proposal.event.review", sp.SupportThreshold)
	case "answer":
		v.Text = l.T("proposal.event.answer", l.T("proposal.state."+string(e.ToState)))
	default:
		v.Text = l.T("proposal.event.other", l.T("proposal.state."+string(e.ToState)))
	}
	return v
}
