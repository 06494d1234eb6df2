package desk

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
)

// residentData is a resident as an agent sees them at the desk: their
// residency, and the forms of what the agent may do for them.
type residentData struct {
	Resident  *accounts.Account
	Residency *accounts.Residency
	State     accounts.ResidencyState
	Verifier  string               // handle of who verified, for a desk verification
	Forms     map[string]*web.Form // verify, revoke, profile, sheet
	Summaries map[string]string    // the message above a form that failed
	Desks     map[string]deskField // the desk field of each form
	Documents []web.Option
	Districts []web.Option // empty when the node has no districts
	Entries   []web.AuditView
	Done      string
	Staff     bool // a staff account: the desk shows it, acts on it never
}

// deskField is the desk field of one of the resident page's forms; each
// form has its own, with its own id.
type deskField struct {
	ID, Label, Hint, Value, Error string
}

// residentForms are the forms of the resident page, in page order.
var residentForms = []string{"verify", "revoke", "profile", "sheet"}

// residentDone are the confirmations a redirect may ask the page to show.
var residentDone = []string{"verified", "revoked", "profile_saved"}

// revokeReasonMax bounds the reason given for a revocation.
const revokeReasonMax = 500

// deskResident loads the resident named in the URL; it answers 404 and
// returns false when there is none.
func (s *surface) deskResident(w http.ResponseWriter, r *http.Request) (*accounts.Account, bool) {
	acc, err := s.accounts.ByID(r.Context(), mux.Vars(r)["id"])
	if err == nil && acc.Deleted() {
		err = accounts.ErrNotFound
	}
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	return acc, true
}

func (s *surface) deskResidentPage(w http.ResponseWriter, r *http.Request) {
	resident, ok := s.deskResident(w, r)
	if !ok {
		return
	}
	s.renderResident(w, r, http.StatusOK, resident, nil, "")
}

// renderResident shows the resident page, with f next to the fields of
// the form named failed when a post went wrong.
func (s *surface) renderResident(w http.ResponseWriter, r *http.Request, status int, resident *accounts.Account, f *web.Form, failed string) {
	ctx := r.Context()
	l := s.Printer(r)
	agent := web.CurrentAccount(r)
	res, err := s.accounts.Residency(ctx, resident.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := residentData{Resident: resident, Residency: res, State: res.State(s.Now()), Staff: resident.IsStaff(),
		Forms: map[string]*web.Form{}, Summaries: map[string]string{}, Desks: map[string]deskField{}}
	if res != nil && res.VerifierID != "" {
		if v, err := s.accounts.ByID(ctx, res.VerifierID); err == nil && !v.Deleted() {
			d.Verifier = "@" + v.Handle
		}
	}
	desk := web.RememberedDesk(r)
	for _, name := range residentForms {
		ff := &web.Form{Values: map[string]string{"desk": desk}, Errors: map[string]string{}}
		if name == failed && f != nil {
			ff = f
		}
		d.Forms[name] = ff
		if ff.Error != "" {
			d.Summaries[name] = ff.Error
		} else if ff.Invalid() {
			d.Summaries[name] = l.T("form.invalid")
		}
		d.Desks[name] = deskField{ID: name + "-desk", Label: l.T("desk.desk"), Hint: l.T("desk.desk_hint"),
			Value: ff.Values["desk"], Error: ff.Errors["desk"]}
	}
	if failed != "profile" {
		d.Forms["profile"].Values["display_name"] = resident.DisplayName
		d.Forms["profile"].Values["language"] = resident.Language
	}
	districts, err := s.accounts.Districts(ctx)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if len(districts) > 0 {
		d.Districts = []web.Option{{Value: "", Label: l.T("electorate.district.none")}}
		for _, n := range districts {
			d.Districts = append(d.Districts, web.Option{Value: n, Label: n})
		}
	}
	d.Documents = []web.Option{{Value: "", Label: l.T("desk.verify.choose")}}
	for _, doc := range accounts.Documents {
		d.Documents = append(d.Documents, web.Option{Value: doc, Label: l.T("desk.document." + doc)})
	}

	// The recent acts about the resident at the desk.
	entries, err := s.accounts.AuditLog(ctx, accounts.As(agent), accounts.AuditFilter{SubjectID: resident.ID, Limit: 20})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Entries = s.AuditViews(r, entries)

	if done := r.URL.Query().Get("done"); slices.Contains(residentDone, done) {
		d.Done = "desk.done." + done
	}
	s.HTML(w, r, status, "desk_resident", l.T("desk.resident.title", resident.Handle), d)
}

// residentFailed shows the resident page again with err next to the
// field it is about, in the form that failed; nothing was changed.
func (s *surface) residentFailed(w http.ResponseWriter, r *http.Request, resident *accounts.Account, f *web.Form, failed string, err error) {
	e := s.AsError(err)
	if e.Status >= 500 || e.Status == http.StatusForbidden {
		s.Fail(w, r, err)
		return
	}
	s.FailForm(r, f, err)
	s.renderResident(w, r, e.Status, resident, f, failed)
}

// deskAct is the common start of the resident page's posts: the resident,
// the form and the desk name. On failure it has answered and ok is false.
func (s *surface) deskAct(w http.ResponseWriter, r *http.Request) (resident *accounts.Account, f *web.Form, desk string, ok bool) {
	if resident, ok = s.deskResident(w, r); !ok || !s.ParseForm(w, r) {
		return nil, nil, "", false
	}
	f = web.NewForm(r)
	desk, _ = s.PostedDesk(r, f)
	return resident, f, desk, true
}

// deskVerify records that the agent saw a document proving residency.
// Only the type of document is kept.
func (s *surface) deskVerify(w http.ResponseWriter, r *http.Request) {
	resident, f, desk, ok := s.deskAct(w, r)
	if !ok {
		return
	}
	doc := r.PostForm.Get("document")
	if !slices.Contains(accounts.Documents, doc) {
		s.FailForm(r, f, accounts.ErrDocument)
	}
	born, err := accounts.ParseBirthDate(r.PostForm.Get("birth_date"))
	if err != nil {
		s.FailForm(r, f, err)
	}
	if f.Invalid() {
		s.renderResident(w, r, http.StatusBadRequest, resident, f, "verify")
		return
	}
	actor := accounts.Actor{Account: web.CurrentAccount(r), Desk: desk}
	e := accounts.Electoral{BirthDate: born, District: r.PostForm.Get("district")}
	if err := s.accounts.VerifyAtDesk(r.Context(), actor, resident.ID, doc, e); err != nil {
		s.residentFailed(w, r, resident, f, "verify", err)
		return
	}
	s.RememberDesk(w, desk)
	http.Redirect(w, r, "/desk/accounts/"+resident.ID+"?done=verified#residency", http.StatusSeeOther)
}

// deskRevoke ends a residency verification, for a reason.
func (s *surface) deskRevoke(w http.ResponseWriter, r *http.Request) {
	resident, f, desk, ok := s.deskAct(w, r)
	if !ok {
		return
	}
	l := s.Printer(r)
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		f.Errors["reason"] = l.T("desk.error.reason_required")
	case n > revokeReasonMax:
		f.Errors["reason"] = l.T("desk.error.reason_long", revokeReasonMax)
	}
	if f.Invalid() {
		s.renderResident(w, r, http.StatusBadRequest, resident, f, "revoke")
		return
	}
	actor := accounts.Actor{Account: web.CurrentAccount(r), Desk: desk}
	err := s.accounts.RevokeResidency(r.Context(), actor, resident.ID, reason)
	if errors.Is(err, accounts.ErrNotFound) {
		// The resident exists (deskAct checked): there is nothing to revoke.
		f.Error = l.T("desk.error.nothing_to_revoke")
		s.renderResident(w, r, http.StatusConflict, resident, f, "revoke")
		return
	}
	if err != nil {
		s.residentFailed(w, r, resident, f, "revoke", err)
		return
	}
	s.RememberDesk(w, desk)
	http.Redirect(w, r, "/desk/accounts/"+resident.ID+"?done=revoked#residency", http.StatusSeeOther)
}

// deskProfile changes a resident's profile on their behalf: the resident
// is at the desk, and the audit log names both of them and the desk.
func (s *surface) deskProfile(w http.ResponseWriter, r *http.Request) {
	resident, f, desk, ok := s.deskAct(w, r)
	if !ok {
		return
	}
	l := s.Printer(r)
	if r.PostForm.Get("present") != "on" {
		f.Errors["present"] = l.T("desk.error.present")
	}
	p := accounts.Profile{DisplayName: strings.TrimSpace(r.PostForm.Get("display_name")),
		Language: r.PostForm.Get("language"), Public: resident.Public}
	if n := utf8.RuneCountInString(p.DisplayName); n < 1 || n > 80 {
		s.FailForm(r, f, accounts.ErrDisplayName)
	}
	if !slices.Contains(accounts.Languages, p.Language) {
		s.FailForm(r, f, accounts.ErrLanguage)
	}
	if f.Invalid() {
		s.renderResident(w, r, http.StatusBadRequest, resident, f, "profile")
		return
	}
	actor := accounts.Actor{Account: web.CurrentAccount(r), OnBehalfOf: resident, Desk: desk}
	if err := s.accounts.UpdateProfile(r.Context(), actor, resident.ID, p); err != nil {
		s.residentFailed(w, r, resident, f, "profile", err)
		return
	}
	s.RememberDesk(w, desk)
	http.Redirect(w, r, "/desk/accounts/"+resident.ID+"?done=profile_saved#profile", http.StatusSeeOther)
}
