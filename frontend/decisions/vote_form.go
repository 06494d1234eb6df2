package decisions

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// The form officials and admins open a vote with, and edit it with
// until its first ballot. Options are typed one per line; a space's
// proposals that reached a state can fill them (the "fill" button,
// which stores nothing). Times are the node's local time.

// localTime is the format of a datetime-local field.
const localTime = "2006-01-02T15:04"

// formMethods are the methods the form offers: budget votes, whose
// options carry costs, are opened by the participatory budget.
var formMethods = []decisions.Method{decisions.Single, decisions.Approval, decisions.Ranked, decisions.Score}

// fillStates are the proposal states whose proposals may become options.
var fillStates = []proposals.State{proposals.Accepted, proposals.Study, proposals.Review, proposals.Published}

// voteFormView is the vote form.
type voteFormView struct {
	Space     *spaces.Space
	Vote      *decisions.Vote // nil when opening one
	Action    string
	Form      *web.Form
	Methods   []web.Option
	Cats      []web.Option
	Districts []web.Option // the node's, when it has some
	States    []web.Option
	Fill      bool   // the proposals service is there
	Filled    int    // how many options the fill button put in
	Refusal   string // why the vote can no longer change
	TZ        string // the node's time zone, which times are typed in
}

// spacesView is the list of spaces to open a vote in.
type spacesView struct{ Spaces []spaces.Space }

func (s *surface) newVote(w http.ResponseWriter, r *http.Request) {
	if err := decisions.MayRun(accounts.As(web.CurrentAccount(r))); err != nil {
		s.Fail(w, r, err)
		return
	}
	id := r.URL.Query().Get("space")
	if id == "" {
		all, err := s.spaces.List(r.Context())
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		s.HTML(w, r, http.StatusOK, "vote_space", s.Printer(r).T("votepages.new.title"), spacesView{Spaces: all})
		return
	}
	sp, err := s.spaces.ByID(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	f := web.EmptyForm()
	loc := s.Location()
	day := s.Now().In(loc).Truncate(time.Hour).Add(24 * time.Hour)
	f.Values["opens_at"] = day.Format(localTime)
	f.Values["closes_at"] = day.Add(14 * 24 * time.Hour).Format(localTime)
	f.Values["method"] = string(decisions.Single)
	f.Values["quorum"] = "0"
	f.Values["min_age"] = "0"
	f.Values["score_min"], f.Values["score_max"] = "0", "5"
	f.Values["delegation"] = "on"
	s.voteForm(w, r, http.StatusOK, &voteFormView{Space: sp, Form: f})
}

func (s *surface) createVote(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	actor := accounts.As(web.CurrentAccount(r))
	if err := decisions.MayRun(actor); err != nil {
		s.Fail(w, r, err)
		return
	}
	sp, err := s.spaces.ByID(r.Context(), r.URL.Query().Get("space"))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := &voteFormView{Space: sp, Form: web.NewForm(r)}
	in := s.readVote(r, d, nil)
	if d.Form.Values["fill"] != "" {
		s.fill(w, r, d)
		return
	}
	if !s.checked(w, r, d, in) {
		return
	}
	v, err := s.decisions.Create(r.Context(), actor, sp.ID, in)
	if err != nil {
		s.voteFailed(w, r, d, err)
		return
	}
	http.Redirect(w, r, "/votes/"+v.ID, http.StatusSeeOther)
}

func (s *surface) editVote(w http.ResponseWriter, r *http.Request) {
	if err := decisions.MayRun(accounts.As(web.CurrentAccount(r))); err != nil {
		s.Fail(w, r, err)
		return
	}
	d, ok := s.loadEdit(w, r)
	if !ok {
		return
	}
	v, f := d.Vote, web.EmptyForm()
	loc := s.Location()
	f.Values["question"], f.Values["description"], f.Values["category"] = v.Question, v.Description, v.Category
	f.Values["method"] = string(v.Method)
	var lines []string
	for i, o := range v.Options {
		lines = append(lines, o.Label)
		if o.Key == v.StatusQuo && v.StatusQuo != "" {
			f.Values["status_quo"] = strconv.Itoa(i + 1)
		}
	}
	f.Values["options"] = strings.Join(lines, "\n")
	f.Values["score_min"], f.Values["score_max"] = strconv.Itoa(v.ScoreMin), strconv.Itoa(v.ScoreMax)
	if v.Method != decisions.Score {
		f.Values["score_min"], f.Values["score_max"] = "0", "5"
	}
	f.Values["opens_at"], f.Values["closes_at"] = v.OpensAt.In(loc).Format(localTime), v.ClosesAt.In(loc).Format(localTime)
	f.Values["quorum"] = strconv.FormatInt(v.Quorum, 10)
	f.Values["min_age"], f.Values["district"] = strconv.Itoa(v.MinAge), v.District
	if v.Delegation {
		f.Values["delegation"] = "on"
	}
	d.Form = f
	s.voteForm(w, r, http.StatusOK, d)
}

func (s *surface) updateVote(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	actor := accounts.As(web.CurrentAccount(r))
	if err := decisions.MayRun(actor); err != nil {
		s.Fail(w, r, err)
		return
	}
	d, ok := s.loadEdit(w, r)
	if !ok {
		return
	}
	d.Form = web.NewForm(r)
	if d.Refusal != "" {
		s.voteForm(w, r, http.StatusConflict, d)
		return
	}
	in := s.readVote(r, d, d.Vote)
	if d.Form.Values["fill"] != "" {
		s.fill(w, r, d)
		return
	}
	if !s.checked(w, r, d, in) {
		return
	}
	if _, err := s.decisions.Update(r.Context(), actor, d.Vote.ID, in); err != nil {
		s.voteFailed(w, r, d, err)
		return
	}
	http.Redirect(w, r, "/votes/"+d.Vote.ID, http.StatusSeeOther)
}

// loadEdit reads the vote being edited and its space, and whether it can
// still change.
func (s *surface) loadEdit(w http.ResponseWriter, r *http.Request) (*voteFormView, bool) {
	ctx := r.Context()
	v, err := s.decisions.ByID(ctx, mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	sp, err := s.spaces.ByID(ctx, v.SpaceID)
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	d := &voteFormView{Space: sp, Vote: v}
	switch err := s.decisions.Editable(ctx, v.ID); {
	case v.Method == decisions.Budget, v.MaxChoices > 0:
		// A budget's heading (costs, or "at most N projects"), which this
		// form cannot show: its budget's pages own it.
		d.Refusal = s.Printer(r).T("votepages.edit.budget")
	case errors.Is(err, decisions.ErrBallotsCast):
		d.Refusal = s.Printer(r).T("votepages.error.ballots_cast")
	case err != nil:
		s.Fail(w, r, err)
		return nil, false
	}
	return d, true
}

// readVote reads the posted form into an Input; what cannot be read
// (a date, a number) gets its message next to its field. It keeps the
// keys of the options of old whose label is unchanged.
func (s *surface) readVote(r *http.Request, d *voteFormView, old *decisions.Vote) decisions.Input {
	f, l, loc := d.Form, s.Printer(r), s.Location()
	in := decisions.Input{Question: f.Values["question"], Description: r.PostForm.Get("description"),
		Category: f.Values["category"], Method: decisions.Method(f.Values["method"]), Delegation: f.Values["delegation"] == "on"}
	f.Values["description"] = strings.TrimSpace(in.Description)
	if !slices.Contains(formMethods, in.Method) {
		in.Method = "" // the domain says it is unknown
	}
	keys := map[string]string{} // label → key of old
	if old != nil {
		for _, o := range old.Options {
			keys[o.Label] = o.Key
		}
	}
	used := map[string]bool{}
	for _, line := range strings.Split(r.PostForm.Get("options"), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		in.Options = append(in.Options, decisions.Option{Label: line})
	}
	// Keys: the old one for an unchanged label, else the line's number
	// (or the next free one).
	for i := range in.Options {
		if k, ok := keys[in.Options[i].Label]; ok && !used[k] {
			in.Options[i].Key, used[k] = k, true
		}
	}
	next := 1
	for i := range in.Options {
		if in.Options[i].Key != "" {
			continue
		}
		for used[strconv.Itoa(next)] {
			next++
		}
		in.Options[i].Key, used[strconv.Itoa(next)] = strconv.Itoa(next), true
	}
	f.Values["options"] = strings.TrimSpace(r.PostForm.Get("options"))
	if sq := f.Values["status_quo"]; sq != "" {
		n, err := strconv.Atoi(sq)
		switch {
		case err != nil || n < 1 || n > len(in.Options):
			f.Errors["status_quo"] = l.T("votepages.error.status_quo_line", len(in.Options))
		default:
			in.StatusQuo = in.Options[n-1].Key
		}
	}
	var err error
	if in.OpensAt, err = time.ParseInLocation(localTime, f.Values["opens_at"], loc); err != nil {
		f.Errors["opens_at"] = l.T("votepages.error.time")
	}
	if in.ClosesAt, err = time.ParseInLocation(localTime, f.Values["closes_at"], loc); err != nil {
		f.Errors["closes_at"] = l.T("votepages.error.time")
	}
	number := func(name string) int64 {
		x, err := strconv.ParseInt(f.Values[name], 10, 64)
		if err != nil {
			f.Errors[name] = l.T("votepages.error.number")
		}
		return x
	}
	in.Quorum = number("quorum")
	if f.Values["min_age"] != "" {
		in.MinAge = int(min(max(number("min_age"), -1), 121)) // the domain says what is wrong
	}
	in.District = f.Values["district"]
	if in.Method == decisions.Score {
		lo, hi := number("score_min"), number("score_max")
		if lo < -1000 || hi > 1000 || lo > hi {
			lo, hi = 1, 0 // the domain says what is wrong
		}
		in.ScoreMin, in.ScoreMax = int(lo), int(hi)
	}
	return in
}

// checked validates in without storing it and shows every message at
// once; false when the form was shown again.
func (s *surface) checked(w http.ResponseWriter, r *http.Request, d *voteFormView, in decisions.Input) bool {
	if !d.Form.Invalid() {
		return true
	}
	if err := s.decisions.Validate(r.Context(), d.Space.ID, in); err != nil {
		s.voteFailed(w, r, d, err)
		return false
	}
	s.voteForm(w, r, http.StatusBadRequest, d)
	return false
}

// voteFields is the form field of each field of decisions.InvalidError.
var voteFields = map[string]string{"question": "question", "description": "description", "category": "category",
	"method": "method", "options": "options", "costs": "options", "closes_at": "closes_at", "score": "score_min",
	"budget_total": "method", "status_quo": "status_quo", "quorum": "quorum", "min_age": "min_age", "district": "district"}

// voteMessages are the messages of the rules of a vote's input.
var voteMessages = []struct {
	err error
	key string
}{
	{decisions.ErrQuestion, "votepages.error.question"},
	{decisions.ErrDescription, "votepages.error.description"},
	{decisions.ErrCategory, "votepages.error.category"},
	{decisions.ErrMethod, "votepages.error.method"},
	{decisions.ErrOptions, "votepages.error.options"},
	{decisions.ErrBudget, "votepages.error.budget"},
	{decisions.ErrDates, "votepages.error.dates"},
	{decisions.ErrBounds, "votepages.error.bounds"},
	{decisions.ErrStatusQuo, "votepages.error.status_quo"},
	{decisions.ErrQuorum, "votepages.error.quorum"},
	{decisions.ErrMinAge, "electorate.error.min_age"},
	{accounts.ErrDistrict, "electorate.error.district"},
}

// voteFailed shows the form again with every problem err holds next to
// its field (a field the form already found wrong keeps its message),
// or fails the request for an error that is not about the form.
func (s *surface) voteFailed(w http.ResponseWriter, r *http.Request, d *voteFormView, err error) {
	var inv *decisions.InvalidError
	if !errors.As(err, &inv) {
		if e := s.AsError(err); e.Status < 500 && e.Status != http.StatusNotFound {
			if errors.Is(err, decisions.ErrBallotsCast) {
				d.Refusal = e.Message(s.Printer(r))
			}
			s.voteForm(w, r, s.Refuse(w, r, d.Form, err), d)
			return
		}
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	for _, fe := range inv.Errors {
		field := voteFields[fe.Field]
		if _, taken := d.Form.Errors[field]; taken || field == "" {
			continue
		}
		for _, m := range voteMessages {
			if errors.Is(fe.Err, m.err) {
				d.Form.Errors[field] = l.T(m.key)
				break
			}
		}
	}
	s.voteForm(w, r, http.StatusBadRequest, d)
}

// fill puts the titles of the space's proposals in the chosen state as
// the options, and shows the form again: nothing is stored.
func (s *surface) fill(w http.ResponseWriter, r *http.Request, d *voteFormView) {
	f, l := d.Form, s.Printer(r)
	st := proposals.State(f.Values["from_state"])
	if s.proposals == nil || !slices.Contains(fillStates, st) {
		f.Errors["from_state"] = l.T("votepages.error.from_state")
		s.voteForm(w, r, http.StatusBadRequest, d)
		return
	}
	page, err := s.proposals.List(r.Context(), proposals.Query{SpaceID: d.Space.ID, State: st, Sort: proposals.Newest, PerPage: 100})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var lines []string
	for _, p := range page.Items {
		lines = append(lines, strings.Join(strings.Fields(p.Title), " "))
	}
	if len(lines) == 0 {
		f.Errors["from_state"] = l.T("votepages.error.no_proposals")
		s.voteForm(w, r, http.StatusBadRequest, d)
		return
	}
	f.Values["options"] = strings.Join(lines, "\n")
	d.Filled = len(lines)
	// The messages of the other fields wait for the real submission.
	clear(f.Errors)
	s.voteForm(w, r, http.StatusOK, d)
}

// voteForm renders the form.
func (s *surface) voteForm(w http.ResponseWriter, r *http.Request, status int, d *voteFormView) {
	l := s.Printer(r)
	for _, m := range formMethods {
		d.Methods = append(d.Methods, web.Option{Value: string(m), Label: l.T("vote.method." + string(m))})
	}
	d.Cats = []web.Option{{Value: "", Label: l.T("votepages.form.no_category")}}
	for _, c := range d.Space.Categories {
		name := c.NameFR
		if l.Lang == "en" && c.NameEN != "" {
			name = c.NameEN
		}
		d.Cats = append(d.Cats, web.Option{Value: c.Slug, Label: name})
	}
	if d.Fill = s.proposals != nil; d.Fill {
		for _, st := range fillStates {
			d.States = append(d.States, web.Option{Value: string(st), Label: l.T("votepages.form.state." + string(st))})
		}
	}
	districts, err := s.decisions.Districts(r.Context())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if len(districts) > 0 {
		d.Districts = []web.Option{{Value: "", Label: l.T("electorate.district.all")}}
		for _, n := range districts {
			d.Districts = append(d.Districts, web.Option{Value: n, Label: n})
		}
	}
	d.TZ = s.Location().String()
	title := l.T("votepages.new.title")
	d.Action = "/votes/new?space=" + d.Space.ID
	if d.Vote != nil {
		title = l.T("votepages.edit.title")
		d.Action = "/votes/" + d.Vote.ID + "/edit"
	}
	s.HTML(w, r, status, "vote_form", title, d)
}
