package reports

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/notifications"
	"agora/instances/reports"
	"agora/storage/blobs"
)

// pageData is a report's page.
type pageData struct {
	R          *reports.Report
	Category   string
	StateName  string
	Reporter   string
	EnteredBy  string
	Point      string
	Scheduled  string
	Photos     []photoView
	Timeline   []eventView
	Done       string
	Confirm    confirmView
	MaySay     bool
	MayChange  bool
	NextStates []web.Option
	Categories []web.Option
	Forms      map[string]*web.Form
	Open       bool
	Suggestion bool              // a suggestion of a new amenity: "me too" is a support
	Rank       int               // its rank in the council's latest result, 0 for none
	RankVote   string            // that vote's page
	Follow     *web.FollowButton // a signed-in resident's follow button; nil without follows
}

type photoView struct {
	URL   string
	N     int
	After bool
}

type eventView struct {
	When, Who, What, Message, Detail string
	Private                          bool
}

type confirmView struct {
	SignIn    string // the sign-in link for a visitor
	May       bool
	Confirmed bool
	Own       bool
}

func (s *surface) reportPage(w http.ResponseWriter, r *http.Request) {
	s.renderReport(w, r, http.StatusOK, mux.Vars(r)["id"], nil)
}

// renderReport shows a report; forms holds a refused form to show again
// with its messages ("message", "state", "confirm").
func (s *surface) renderReport(w http.ResponseWriter, r *http.Request, status int, id string, forms map[string]*web.Form) {
	ctx := r.Context()
	l := s.Printer(r)
	rep, err := s.reports.ByID(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	acc := web.CurrentAccount(r)
	viewer := accounts.Actor{Account: acc}
	if acc == nil {
		viewer.Account = &accounts.Account{} // nobody: sees only what is public
	}
	names, err := s.categoryNames(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := pageData{R: rep, Category: names[rep.Category], StateName: l.T("street.state." + string(rep.State)),
		Done: r.URL.Query().Get("done"), Open: rep.State.Open(), Forms: map[string]*web.Form{}}
	for _, k := range []string{"message", "state", "confirm"} {
		d.Forms[k] = web.EmptyForm()
		if f := forms[k]; f != nil {
			d.Forms[k] = f
		}
	}
	d.Reporter = l.T("street.reporter.anonymous")
	author, err := s.accounts.ByID(ctx, rep.AuthorID)
	if err != nil && !errors.Is(err, accounts.ErrNotFound) {
		s.Fail(w, r, err)
		return
	}
	if err == nil && rep.NamePublic && !author.Deleted() {
		d.Reporter = author.DisplayName
	}
	if rep.EnteredBy != "" {
		d.EnteredBy = l.T("street.entered_at_desk")
	}
	if p, ok := rep.Point(); ok {
		d.Point = strconv.FormatFloat(p.Lat, 'f', 6, 64) + ", " + strconv.FormatFloat(p.Lon, 'f', 6, 64)
	}
	if rep.ScheduledFor != nil && rep.State == reports.Scheduled {
		d.Scheduled = l.Date(*rep.ScheduledFor)
	}
	photos, err := s.reports.Photos(ctx, rep.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, p := range photos {
		d.Photos = append(d.Photos, photoView{URL: "/reports/" + url.PathEscape(rep.ID) + "/photos/" + strconv.Itoa(p.Position), N: p.Position, After: p.After})
	}
	events, err := s.reports.Timeline(ctx, viewer, rep.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, e := range events {
		d.Timeline = append(d.Timeline, s.eventView(r, rep, e, d.Reporter, names))
	}
	switch {
	case acc == nil:
		d.Confirm.SignIn = "/login?next=" + url.QueryEscape("/reports/"+rep.ID)
	case acc.ID == rep.AuthorID:
		d.Confirm.Own = true
	default:
		if d.Confirm.Confirmed, err = s.reports.Confirmed(ctx, acc.ID, rep.ID); err != nil {
			s.Fail(w, r, err)
			return
		}
		d.Confirm.May = rep.State.Open() && !d.Confirm.Confirmed
	}
	if acc != nil && s.follows != nil {
		t := notifications.Target{Kind: notifications.Report, ID: rep.ID}
		on, err := s.follows.Following(ctx, acc.ID, t)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		d.Follow = &web.FollowButton{L: l, Kind: string(t.Kind), ID: rep.ID, Back: r.URL.Path, Following: on,
			Done: r.URL.Query().Get("follow")}
	}
	if acc != nil {
		d.MaySay = reports.MaySay(accounts.As(acc), rep)
		d.MayChange = reports.MayChange(accounts.As(acc), rep)
	}
	if d.MayChange {
		for _, st := range reports.Next(rep.State) {
			d.NextStates = append(d.NextStates, web.Option{Value: string(st), Label: l.T("street.state." + string(st))})
		}
		cats, err := s.reports.Categories(ctx, false)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		d.Categories = []web.Option{{Value: "", Label: l.T("street.state_form.no_category")}}
		for _, c := range cats {
			if c.Slug != rep.Category {
				d.Categories = append(d.Categories, web.Option{Value: c.Slug, Label: c.Name(l.Lang) + " (" + c.Service + ")"})
			}
		}
	}
	title := l.T("street.report.title", d.Category)
	kinds, err := s.categoryKinds(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if d.Suggestion = kinds[rep.Category] == reports.Suggestion; d.Suggestion {
		title = l.T("suggestions.report.title", d.Category)
		if rep.CouncilRank != nil {
			d.Rank, d.RankVote = *rep.CouncilRank, "/votes/"+url.PathEscape(rep.CouncilVote)
		}
	}
	s.HTML(w, r, status, "street_report", title, d)
}

// eventView writes a timeline event: the service speaks as itself, the
// reporter as they chose to be shown.
func (s *surface) eventView(r *http.Request, rep *reports.Report, e reports.Event, reporter string, names map[string]string) eventView {
	l := s.Printer(r)
	v := eventView{When: l.DateTime(e.At), Message: e.Message, Private: e.Private}
	who := reporter
	if e.ActorID != rep.AuthorID || e.Kind == reports.KindState {
		who = l.T("street.who.service", e.Service)
	}
	v.Who = who
	switch e.Kind {
	case reports.KindCreated:
		v.What = l.T("street.event.created")
		if e.EnteredBy != "" {
			v.What = l.T("street.event.created_desk")
		}
	case reports.KindMessage:
		v.What = l.T("street.event.message")
	case reports.KindState:
		v.What = l.T("street.event.state", l.T("street.state."+string(e.State)))
		switch e.State {
		case reports.Scheduled:
			if e.ScheduledFor != nil {
				v.Detail = l.T("street.event.scheduled_for", l.Date(*e.ScheduledFor))
			}
		case reports.Transferred:
			v.Detail = l.T("street.event.operator", e.Operator)
		case reports.Requalified:
			v.Detail = l.T("street.event.requalified", names[e.Category], e.Service)
		}
	}
	return v
}

// photoServe serves a report's photo n, inline, never sniffed as
// anything else.
func (s *surface) photoServe(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	n, _ := strconv.Atoi(mux.Vars(r)["n"])
	p, err := s.reports.Photo(ctx, mux.Vars(r)["id"], n)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	obj, err := s.blobs.Open(ctx, p.BlobKey)
	if errors.Is(err, blobs.ErrNotFound) {
		err = web.HTTPError(http.StatusNotFound, err)
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	defer obj.Close()
	h := w.Header()
	h.Set("Content-Type", p.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+p.BlobKey+`"`)
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, obj)
}
