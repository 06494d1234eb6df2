package moderation

import (
	"net/http"
	"net/url"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/moderation"
)

// reportData is the page where a resident reports an item to the
// moderators, and thanks them once done.
type reportData struct {
	Item *itemView
	Form modForm
	Done bool
	Own  bool // the reader wrote the item: no form, a plain explanation
}

// reportPage shows the form to report an item of the kind named in the
// URL, or the thanks once reported (?done=1).
func (s *surface) reportPage(kind moderation.TargetKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := moderation.Target{Kind: kind, ID: mux.Vars(r)["id"]}
		s.renderReport(w, r, http.StatusOK, t, web.EmptyForm(), r.URL.Query().Get("done") == "1")
	}
}

func (s *surface) renderReport(w http.ResponseWriter, r *http.Request, status int, t moderation.Target, f *web.Form, done bool) {
	l := s.Printer(r)
	item, err := s.itemView(r.Context(), l, t, web.CurrentAccount(r).Has(accounts.Moderator))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := reportData{Item: item, Done: done, Own: moderation.MayReport(web.CurrentAccount(r), item.AuthorID) != nil, Form: modForm{Action: reportPath(t), Button: l.T("report.submit"), Error: f.Error,
		Fields: []modField{{ID: "report-reason", Name: "reason", Label: l.T("report.reason"), Type: "textarea",
			Hint: l.T("report.reason_hint"), Value: f.Values["reason"], Error: f.Errors["reason"], Max: moderation.MaxReason}}}}
	s.HTML(w, r, status, "moderation_report", l.T("report.title"), d)
}

// reportSave records the report, or shows the form again with the
// message next to the reason.
func (s *surface) reportSave(kind moderation.TargetKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.ParseForm(w, r) {
			return
		}
		t := moderation.Target{Kind: kind, ID: mux.Vars(r)["id"]}
		f := web.NewForm(r)
		if _, err := s.moderation.Report(r.Context(), accounts.As(web.CurrentAccount(r)), t, r.PostForm.Get("reason")); err != nil {
			s.FormFailed(w, r, f, err, func(status int) { s.renderReport(w, r, status, t, f, false) })
			return
		}
		http.Redirect(w, r, reportPath(t)+"?done=1", http.StatusSeeOther)
	}
}

// reportPath is where an item is reported.
func reportPath(t moderation.Target) string {
	return map[moderation.TargetKind]string{moderation.TargetProposal: "/proposals/", moderation.TargetDebate: "/debates/",
		moderation.TargetComment: "/comments/"}[t.Kind] + url.PathEscape(t.ID) + "/report"
}
