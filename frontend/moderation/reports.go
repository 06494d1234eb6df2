package moderation

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
	"agora/instances/proposals"
)

// reportsPerPage is how many open reports the queue shows at once, the
// oldest first; resolving them brings the next ones.
const reportsPerPage = 100

// reportsData is the moderators' queue: the open reports, grouped by the
// item they are about, with the acts on each item and on each report.
type reportsData struct {
	Groups []reportGroup
	More   bool // more open reports wait behind these
	Done   string
}

// reportGroup is an item and its open reports.
type reportGroup struct {
	Item    *itemView
	Anchor  string
	Reports []reportLine
	Acts    []modForm // hide or unhide; for a proposal, recategorise and merge
}

type reportLine struct {
	ID, Date, Reporter, Reason string
	Resolve                    modForm
}

// reportsDone are the confirmations a redirect may ask the queue to show.
var reportsDone = []string{"hidden", "unhidden", "recategorised", "merged", "resolved"}

func (s *surface) reportsPage(w http.ResponseWriter, r *http.Request) {
	ctx, l, acc := r.Context(), s.Printer(r), web.CurrentAccount(r)
	list, err := s.moderation.Reports(ctx, accounts.As(acc), moderation.ReportFilter{Limit: reportsPerPage})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := reportsData{More: len(list) == reportsPerPage}
	groups := map[moderation.Target]int{}
	reporters := map[string]string{}
	for _, rep := range list {
		i, ok := groups[rep.Target()]
		if !ok {
			g, err := s.reportGroup(ctx, l, rep.Target())
			if err != nil {
				s.Fail(w, r, err)
				return
			}
			i = len(d.Groups)
			groups[rep.Target()] = i
			d.Groups = append(d.Groups, g)
		}
		d.Groups[i].Reports = append(d.Groups[i].Reports, reportLine{ID: rep.ID, Date: l.DateTime(rep.CreatedAt),
			Reporter: s.reporterName(ctx, l, &rep, reporters), Reason: rep.Reason, Resolve: s.resolveForm(l, &rep, web.EmptyForm(), "resolve-"+rep.ID)})
	}
	for i := range d.Groups {
		for j := range d.Groups[i].Acts {
			d.Groups[i].Acts[j].Next = "/moderation/reports#" + d.Groups[i].Anchor
		}
		for j := range d.Groups[i].Reports {
			d.Groups[i].Reports[j].Resolve.Next = "/moderation/reports#" + d.Groups[i].Anchor
		}
	}
	if done := r.URL.Query().Get("done"); slices.Contains(reportsDone, done) {
		d.Done = l.T("moderation.done." + done)
	}
	s.HTML(w, r, http.StatusOK, "moderation_reports", l.T("moderation.reports.title"), d)
}

// reportGroup is an item of the queue with the forms of the acts on it.
// An item deleted since it was reported is named as gone, with no act
// but resolving its reports.
func (s *surface) reportGroup(ctx context.Context, l *i18n.Printer, t moderation.Target) (reportGroup, error) {
	g := reportGroup{Anchor: "item-" + t.ID}
	item, err := s.itemView(ctx, l, t, true)
	switch {
	case errors.Is(err, debates.ErrNotFound), errors.Is(err, proposals.ErrNotFound):
		g.Item = &itemView{Target: t, Name: l.T("moderation.item.gone")}
		return g, nil
	case err != nil:
		return g, err
	}
	g.Item = item
	acts := []modAct{actHide}
	if item.Hidden {
		acts = []modAct{actUnhide}
	}
	if t.Kind == moderation.TargetProposal && item.State != moderation.StateMerged {
		acts = append(acts, actRecategorise, actMerge)
	}
	for _, act := range acts {
		mf, err := s.modActForm(ctx, l, item, act, web.EmptyForm(), string(act)+"-"+t.ID)
		if err != nil {
			return g, err
		}
		g.Acts = append(g.Acts, mf)
	}
	return g, nil
}

// reporterName names who reported, for moderators: a resident by their
// handle, a remote actor by their address.
func (s *surface) reporterName(ctx context.Context, l *i18n.Printer, rep *moderation.Report, cache map[string]string) string {
	if rep.ReporterID == "" {
		return rep.RemoteActor
	}
	if n, ok := cache[rep.ReporterID]; ok {
		return n
	}
	n := l.T("account.former")
	if a, err := s.accounts.ByID(ctx, rep.ReporterID); err == nil && !a.Deleted() {
		n = "@" + a.Handle
	}
	cache[rep.ReporterID] = n
	return n
}

// resolveForm is the form that resolves a report, its fields' ids
// starting with prefix.
func (s *surface) resolveForm(l *i18n.Printer, rep *moderation.Report, f *web.Form, prefix string) modForm {
	return modForm{Action: "/moderation/reports/" + url.PathEscape(rep.ID) + "/resolve", Button: l.T("moderation.resolve.submit"),
		Error: f.Error, Fields: []modField{{ID: prefix + "-resolution", Name: "resolution", Label: l.T("moderation.resolution"),
			Type: "text", Hint: l.T("moderation.resolution_hint"), Value: f.Values["resolution"], Error: f.Errors["resolution"],
			Max: moderation.MaxReason}}}
}

// resolveData is the page that resolves one report.
type resolveData struct {
	Item   *itemView
	Report reportLine
}

func (s *surface) resolvePage(w http.ResponseWriter, r *http.Request) {
	s.renderResolve(w, r, http.StatusOK, mux.Vars(r)["id"], web.EmptyForm(), r.URL.Query().Get("next"))
}

func (s *surface) renderResolve(w http.ResponseWriter, r *http.Request, status int, id string, f *web.Form, next string) {
	ctx, l := r.Context(), s.Printer(r)
	rep, err := s.moderation.ReportByID(ctx, accounts.As(web.CurrentAccount(r)), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !rep.Open() {
		s.Fail(w, r, moderation.ErrResolved)
		return
	}
	g, err := s.reportGroup(ctx, l, rep.Target())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	line := reportLine{ID: rep.ID, Date: l.DateTime(rep.CreatedAt), Reporter: s.reporterName(ctx, l, rep, map[string]string{}),
		Reason: rep.Reason, Resolve: s.resolveForm(l, rep, f, "act")}
	line.Resolve.Next = localPath(next)
	s.HTML(w, r, status, "moderation_resolve", l.T("moderation.resolve.title"), resolveData{Item: g.Item, Report: line})
}

func (s *surface) resolveSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	id := mux.Vars(r)["id"]
	f := web.NewForm(r)
	next := localPath(f.Values["next"])
	if _, err := s.moderation.Resolve(r.Context(), accounts.As(web.CurrentAccount(r)), id, r.PostForm.Get("resolution")); err != nil {
		if errors.Is(err, moderation.ErrResolved) { // no form to show again
			s.Fail(w, r, err)
			return
		}
		s.FormFailed(w, r, f, err, func(status int) { s.renderResolve(w, r, status, id, f, next) })
		return
	}
	if next == "" {
		next = "/moderation/reports"
	}
	http.Redirect(w, r, withDone(next, "resolved"), http.StatusSeeOther)
}
