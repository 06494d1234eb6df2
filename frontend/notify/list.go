package notify

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/frontend/web"
	"agora/instances/notifications"
)

// pageSize is how many notifications one page shows.
const pageSize = 50

// listData is the notifications page: days, newest first.
type listData struct {
	Days   []day
	Unread int
	Next   string // the older notifications' page, or ""
	Done   bool   // all were just marked read
}

type day struct {
	Date  string
	Items []item
}

type item struct {
	ID     int64
	Text   string // what happened, in words
	Title  string // what it is about
	URL    string
	Detail string // a reason, in the resident's words
	Time   string
	ISO    string
	Unread bool
}

// list shows a signed-in resident's notifications, grouped by day.
func (s *surface) list(w http.ResponseWriter, r *http.Request) {
	ctx, l, acc := r.Context(), s.Printer(r), web.CurrentAccount(r)
	var before int64
	if v := r.URL.Query().Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			s.Fail(w, r, web.HTTPError(http.StatusBadRequest, err))
			return
		}
		before = n
	}
	ns, err := s.svc.List(ctx, acc.ID, before, pageSize+1)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := listData{Done: r.URL.Query().Get("done") == "read"}
	if d.Unread, err = s.svc.Unread(ctx, acc.ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	if len(ns) > pageSize {
		ns = ns[:pageSize]
		d.Next = "/notifications?before=" + strconv.FormatInt(ns[len(ns)-1].ID, 10)
	}
	for i := range ns {
		it := view(l, &ns[i])
		date := l.Date(ns[i].CreatedAt)
		if len(d.Days) == 0 || d.Days[len(d.Days)-1].Date != date {
			d.Days = append(d.Days, day{Date: date})
		}
		last := &d.Days[len(d.Days)-1]
		last.Items = append(last.Items, it)
	}
	s.HTML(w, r, http.StatusOK, "notifications", l.T("notify.title"), d)
}

// view puts one notification into the resident's words.
func view(l *i18n.Printer, n *notifications.Notification) item {
	who := n.ActorName
	if who == "" {
		who = l.T("notify.someone")
	}
	it := item{ID: n.ID, Title: n.Title, URL: SubjectURL(n.SubjectKind, n.SubjectID, n.CommentID),
		Time: l.DateTime(n.CreatedAt), ISO: n.CreatedAt.UTC().Format(time.RFC3339), Unread: n.Unread()}
	switch n.Kind {
	case notifications.Answered, notifications.StateChange:
		state := l.T("proposal.state." + n.Detail)
		if n.SubjectKind == notifications.Debate {
			state = l.T("debate.state." + n.Detail)
		}
		it.Text = l.T("notify.kind."+string(n.Kind), state)
	case notifications.DeskAct:
		it.Text = l.T("notify.kind.desk", who)
		it.Detail = l.T(n.Detail)
		if n.SubjectKind == notifications.Account {
			it.Title, it.URL = l.T("notify.your_account"), "/account/history"
		}
	case notifications.Reply, notifications.Mention, notifications.NewProposal, notifications.NewDebate:
		it.Text = l.T("notify.kind."+string(n.Kind), who)
	case notifications.ProposalBy, notifications.DebateBy:
		it.Text = l.T("notify2.kind."+string(n.Kind), who)
	case notifications.PhaseStart:
		it.Text = l.T("notify2.kind.phase", l.T("space.phase."+n.Detail))
	case notifications.VoteOpened:
		it.Text = l.T("notify2.kind.vote_open")
	case notifications.VoteClosed:
		it.Text = l.T("notify2.kind.vote_closed")
		if n.Detail != "" {
			it.Text = l.T("notify2.kind.vote_closed_winner", n.Detail)
		}
	case notifications.ReportState:
		it.Text = l.T("notifymore.kind.report_state", l.T("street.state."+n.Detail))
	case notifications.BudgetStep:
		status, progress, _ := strings.Cut(n.Detail, " ")
		it.Text = l.T("budgetopen.notify.step", l.T("budget.status."+status), progress)
	default: // moderation.<action>, with the reason
		it.Text = l.T("notify.kind." + string(n.Kind))
		it.Detail = l.T("notify.reason", n.Detail)
	}
	return it
}

// SubjectURL is the page a notification or a follow leads to.
func SubjectURL(kind notifications.TargetKind, id, commentID string) string {
	var u string
	switch kind {
	case notifications.Space:
		return "/spaces" // a space's page is named by its slug, which follows do not keep
	case notifications.Debate:
		u = "/debates/" + url.PathEscape(id)
	case notifications.Proposal:
		u = "/proposals/" + url.PathEscape(id)
	case notifications.Vote:
		return "/votes/" + url.PathEscape(id)
	case notifications.BudgetProject:
		u = "/budgets/projects/" + url.PathEscape(id)
	case notifications.Report:
		u = "/reports/" + url.PathEscape(id)
	default:
		return "/account"
	}
	if commentID != "" {
		u += "#comment-" + url.PathEscape(commentID)
	}
	return u
}

// readOne marks one notification read and comes back to the list.
func (s *surface) readOne(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(mux.Vars(r)["id"], 10, 64)
	if err != nil {
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, err))
		return
	}
	if err := s.svc.MarkRead(r.Context(), web.CurrentAccount(r).ID, id); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/notifications#n-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// readAll marks every notification read.
func (s *surface) readAll(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.MarkAllRead(r.Context(), web.CurrentAccount(r).ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/notifications?done=read", http.StatusSeeOther)
}
