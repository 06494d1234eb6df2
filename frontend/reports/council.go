package reports

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/reports"
)

// The council's vote on suggestions (docs/REPORTS.md, "Suggestions of
// new amenities"): an official of a neighbourhood council chooses the
// council, the suggestion categories, the method and the dates; the
// options are the open suggestions, shown before sending. The vote
// itself (ballots, desk, results) is on the decisions pages.

// councilLocalTime is the datetime-local field's format.
const councilLocalTime = "2006-01-02T15:04"

type councilData struct {
	Form       *web.Form
	Councils   []web.Option
	Categories []web.Option
	Methods    []web.Option
	Ballot     []listItem // the suggestions the vote would carry, in order
}

func (s *surface) councilPage(w http.ResponseWriter, r *http.Request) {
	f := web.EmptyForm()
	q := r.URL.Query()
	for _, k := range []string{"space", "category", "method", "question", "opens_at", "closes_at"} {
		f.Values[k] = strings.TrimSpace(q.Get(k))
	}
	if f.Values["method"] == "" {
		f.Values["method"] = string(decisions.Ranked)
	}
	now := time.Now().In(s.Location())
	if f.Values["opens_at"] == "" {
		f.Values["opens_at"] = now.Add(time.Hour).Format(councilLocalTime)
	}
	if f.Values["closes_at"] == "" {
		f.Values["closes_at"] = now.Add(15 * 24 * time.Hour).Format(councilLocalTime)
	}
	s.renderCouncil(w, r, http.StatusOK, f)
}

func (s *surface) renderCouncil(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	ctx, l := r.Context(), s.Printer(r)
	if err := decisions.MayRun(accounts.As(web.CurrentAccount(r))); err != nil {
		s.Fail(w, r, web.HTTPError(http.StatusForbidden, err))
		return
	}
	councils, err := s.council.Councils(ctx)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := councilData{Form: f, Methods: []web.Option{
		{Value: string(decisions.Ranked), Label: l.T("suggestions.council.ranked")},
		{Value: string(decisions.Approval), Label: l.T("suggestions.council.approval")}}}
	for _, sp := range councils {
		d.Councils = append(d.Councils, web.Option{Value: sp.ID, Label: sp.Title})
	}
	cats, err := s.reports.Categories(ctx, true)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Categories = []web.Option{{Value: "", Label: l.T("suggestions.council.all")}}
	for _, c := range cats {
		if c.Kind == reports.Suggestion {
			d.Categories = append(d.Categories, web.Option{Value: c.Slug, Label: c.Name(l.Lang)})
		}
	}
	if list, err := s.council.Ballot(ctx, councilCategories(f)); err == nil {
		near := make([]nearOne, len(list))
		for i, rep := range list {
			near[i] = nearOne{rep, -1}
		}
		if d.Ballot, err = s.items(r, near); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	s.HTML(w, r, status, "street_council", l.T("suggestions.council.title"), d)
}

// councilFields is the form field of each field of a
// decisions.InvalidError; the others are about the options, that is the
// suggestions chosen.
var councilFields = map[string]string{"question": "question", "description": "description", "method": "method", "closes_at": "closes_at"}

// councilMessages are the messages of the vote's rules a council's form
// can break.
var councilMessages = []struct {
	err error
	key string
}{
	{decisions.ErrQuestion, "votepages.error.question"},
	{decisions.ErrDescription, "votepages.error.description"},
	{decisions.ErrMethod, "votepages.error.method"},
	{decisions.ErrDates, "votepages.error.dates"},
}

func councilCategories(f *web.Form) []string {
	if c := f.Values["category"]; c != "" {
		return []string{c}
	}
	return nil
}

func (s *surface) councilSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f, l, loc := web.NewForm(r), s.Printer(r), s.Location()
	in := reports.CouncilInput{Question: f.Values["question"], Description: strings.TrimSpace(r.PostForm.Get("description")),
		Method: decisions.Method(f.Values["method"]), Categories: councilCategories(f)}
	f.Values["description"] = in.Description
	var err error
	if in.OpensAt, err = time.ParseInLocation(councilLocalTime, f.Values["opens_at"], loc); err != nil {
		f.Errors["opens_at"] = l.T("suggestions.error.time")
	}
	if in.ClosesAt, err = time.ParseInLocation(councilLocalTime, f.Values["closes_at"], loc); err != nil {
		f.Errors["closes_at"] = l.T("suggestions.error.time")
	}
	if f.Invalid() {
		s.renderCouncil(w, r, http.StatusBadRequest, f)
		return
	}
	v, err := s.council.OpenVote(r.Context(), accounts.As(web.CurrentAccount(r)), f.Values["space"], in)
	var inv *decisions.InvalidError
	switch {
	case errors.As(err, &inv):
		// The vote's own rules, each next to its field; the decisions
		// pages' messages say them.
		for _, fe := range inv.Errors {
			field, key := councilFields[fe.Field], "suggestions.error.few"
			for _, m := range councilMessages {
				if errors.Is(fe.Err, m.err) {
					key = m.key
				}
			}
			if field == "" {
				field = "category" // the options are the suggestions
			}
			f.Errors[field] = l.T(key)
		}
		s.renderCouncil(w, r, http.StatusBadRequest, f)
		return
	case err != nil:
		s.renderCouncil(w, r, s.Refuse(w, r, f, err), f)
		return
	}
	http.Redirect(w, r, "/votes/"+url.PathEscape(v.ID), http.StatusSeeOther)
}
