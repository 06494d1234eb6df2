package frontend

import (
	"encoding/base64"
	"net/http"
	"slices"
	"time"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
)

// accountData is what the account page shows.
type accountData struct {
	Profile      *form
	Form         *form  // the form that failed, if any
	Failed       string // which one: profile, passkeys, letter, census, delete
	Passkeys     []passkeyView
	RecoveryLeft int
	Residency    *accounts.Residency
	State        accounts.ResidencyState
	DeletionDue  *time.Time
	Done         string // message key of what just succeeded
}

type passkeyView struct {
	accounts.Passkey
	Key string // the id as it appears in URLs
}

// doneMessages are the confirmations a redirect may ask the page to show.
var doneMessages = []string{"profile_saved", "passkey_added", "passkey_removed", "passkey_renamed",
	"add_passkey", "verified", "deletion_requested", "deletion_cancelled", "sessions_ended"}

func (s *server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, nil, "")
}

// renderAccount shows the account page, with f (a failed form named by
// failed) when a post went wrong.
func (s *server) renderAccount(w http.ResponseWriter, r *http.Request, status int, f *form, failed string) {
	acc := currentAccount(r)
	ctx := r.Context()
	keys, err := s.accounts.Passkeys(ctx, acc.ID)
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	left, err := s.accounts.RecoveryCodesLeft(ctx, acc.ID)
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	res, err := s.accounts.Residency(ctx, acc.ID)
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	if f == nil {
		f = &form{Values: map[string]string{}, Errors: map[string]string{}}
	}
	d := accountData{Form: f, Failed: failed, RecoveryLeft: left, Residency: res, State: res.State(s.now())}
	d.Profile = &form{Values: map[string]string{"display_name": acc.DisplayName, "language": acc.Language}, Errors: map[string]string{}}
	if acc.Public {
		d.Profile.Values["public"] = "on"
	}
	if failed == "profile" {
		d.Profile = f
	}
	for _, k := range keys {
		d.Passkeys = append(d.Passkeys, passkeyView{Passkey: k, Key: base64.RawURLEncoding.EncodeToString(k.ID)})
	}
	if acc.DeletionRequestedAt != nil {
		due := acc.DeletionRequestedAt.Add(accounts.DeletionGrace)
		d.DeletionDue = &due
	}
	if done := r.URL.Query().Get("done"); slices.Contains(doneMessages, done) {
		d.Done = "account.done." + done
	}
	s.render.html(w, r, status, "account", s.render.printer(r).T("account.title"), d)
}

// postForm parses a form post; on failure it answers and returns false.
func (s *server) postForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		s.render.fail(w, r, httpError(http.StatusBadRequest, err))
		return false
	}
	return true
}

// accountFailed shows the account page again with the error next to the
// field of the form that failed, and changes nothing.
func (s *server) accountFailed(w http.ResponseWriter, r *http.Request, failed string, err error) {
	e := asError(err)
	if e.Status >= 500 {
		s.render.fail(w, r, err)
		return
	}
	f := newForm(r)
	f.fail(s.render.printer(r), err)
	s.renderAccount(w, r, e.Status, f, failed)
}

func (s *server) profileSave(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	acc := currentAccount(r)
	p := accounts.Profile{DisplayName: r.PostForm.Get("display_name"), Language: r.PostForm.Get("language"),
		Public: r.PostForm.Get("public") == "on"}
	if err := s.accounts.UpdateProfile(r.Context(), accounts.As(acc), acc.ID, p); err != nil {
		s.accountFailed(w, r, "profile", err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: p.Language, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.https, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/account?done=profile_saved&lang="+p.Language, http.StatusSeeOther)
}

func passkeyID(r *http.Request) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(mux.Vars(r)["id"])
}

func (s *server) passkeyRename(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	id, err := passkeyID(r)
	if err != nil {
		s.render.fail(w, r, httpError(http.StatusNotFound, err))
		return
	}
	acc := currentAccount(r)
	if err := s.accounts.RenamePasskey(r.Context(), accounts.As(acc), acc.ID, id, r.PostForm.Get("name")); err != nil {
		s.accountFailed(w, r, "passkeys", err)
		return
	}
	http.Redirect(w, r, "/account?done=passkey_renamed#passkeys", http.StatusSeeOther)
}

func (s *server) passkeyRemove(w http.ResponseWriter, r *http.Request) {
	id, err := passkeyID(r)
	if err != nil {
		s.render.fail(w, r, httpError(http.StatusNotFound, err))
		return
	}
	acc := currentAccount(r)
	if err := s.accounts.RemovePasskey(r.Context(), accounts.As(acc), acc.ID, id); err != nil {
		s.accountFailed(w, r, "passkeys", err)
		return
	}
	http.Redirect(w, r, "/account?done=passkey_removed#passkeys", http.StatusSeeOther)
}

// recoveryData is the recovery codes page: an explanation and a button,
// or, right after the button, the codes themselves, shown once.
type recoveryData struct {
	Codes   []string
	Left    int
	Welcome bool
}

func (s *server) recoveryCodesPage(w http.ResponseWriter, r *http.Request) {
	left, err := s.accounts.RecoveryCodesLeft(r.Context(), currentAccount(r).ID)
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	s.render.html(w, r, http.StatusOK, "recovery_codes", s.render.printer(r).T("recovery.title"),
		recoveryData{Left: left, Welcome: r.URL.Query().Get("welcome") == "1"})
}

// recoveryCodesNew answers the post with the codes, not a redirect: they
// exist in clear only in this response.
func (s *server) recoveryCodesNew(w http.ResponseWriter, r *http.Request) {
	acc := currentAccount(r)
	codes, err := s.accounts.NewRecoveryCodes(r.Context(), accounts.As(acc), acc.ID)
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render.html(w, r, http.StatusOK, "recovery_codes", s.render.printer(r).T("recovery.title"),
		recoveryData{Codes: codes, Left: len(codes)})
}

type sessionsData struct {
	Sessions []accounts.Session
	Current  string
	Done     string
}

func (s *server) sessionsPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.accounts.Sessions(r.Context(), currentAccount(r).ID)
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	d := sessionsData{Sessions: list, Current: currentSession(r).ID}
	if r.URL.Query().Get("done") == "sessions_ended" {
		d.Done = "account.done.sessions_ended"
	}
	s.render.html(w, r, http.StatusOK, "sessions", s.render.printer(r).T("sessions.title"), d)
}

// sessionsEnd signs out one session (id), all but this one ("others"),
// or every one, this one included ("all").
func (s *server) sessionsEnd(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	acc, cur := currentAccount(r), currentSession(r)
	id := r.PostForm.Get("id")
	var err error
	switch id {
	case "others":
		_, err = s.accounts.EndAllSessions(r.Context(), acc.ID, cur.ID)
	case "all":
		if _, err := s.accounts.EndAllSessions(r.Context(), acc.ID, ""); err != nil {
			s.render.fail(w, r, err)
			return
		}
		s.clearSessionCookie(w)
		http.Redirect(w, r, "/?signed_out=1", http.StatusSeeOther)
		return
	case cur.ID:
		s.logout(w, r)
		return
	default:
		err = s.accounts.EndSession(r.Context(), acc.ID, id)
	}
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/sessions?done=sessions_ended", http.StatusSeeOther)
}

func (s *server) residencyLetter(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	acc := currentAccount(r)
	if !s.allow(w, r, "code", acc.ID) {
		return
	}
	if err := s.accounts.UseLetterCode(r.Context(), accounts.As(acc), acc.ID, r.PostForm.Get("code")); err != nil {
		s.accountFailed(w, r, "letter", err)
		return
	}
	http.Redirect(w, r, "/account?done=verified#residency", http.StatusSeeOther)
}

func (s *server) residencyCensus(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	acc := currentAccount(r)
	if !s.allow(w, r, "code", acc.ID) {
		return
	}
	id := accounts.Identity{FamilyName: r.PostForm.Get("family_name"), GivenName: r.PostForm.Get("given_name"),
		BirthDate: r.PostForm.Get("birth_date"), PostalCode: r.PostForm.Get("postal_code")}
	if err := s.accounts.MatchCensus(r.Context(), accounts.As(acc), acc.ID, id); err != nil {
		s.accountFailed(w, r, "census", err)
		return
	}
	http.Redirect(w, r, "/account?done=verified#residency", http.StatusSeeOther)
}

func (s *server) deletionRequest(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	acc := currentAccount(r)
	if r.PostForm.Get("confirm") != "on" {
		f := newForm(r)
		f.Errors["confirm"] = s.render.printer(r).T("account.delete.confirm_required")
		s.renderAccount(w, r, http.StatusBadRequest, f, "delete")
		return
	}
	if _, err := s.accounts.RequestDeletion(r.Context(), accounts.As(acc), acc.ID); err != nil {
		s.accountFailed(w, r, "delete", err)
		return
	}
	http.Redirect(w, r, "/account?done=deletion_requested#delete", http.StatusSeeOther)
}

func (s *server) deletionCancel(w http.ResponseWriter, r *http.Request) {
	acc := currentAccount(r)
	if err := s.accounts.CancelDeletion(r.Context(), accounts.As(acc), acc.ID); err != nil {
		s.accountFailed(w, r, "delete", err)
		return
	}
	http.Redirect(w, r, "/account?done=deletion_cancelled#delete", http.StatusSeeOther)
}

// historyData is "what was done about me": every audit entry whose subject
// is the resident, with the names of those who acted.
type historyData struct {
	Entries []auditView
	Next    int64
}

type auditView struct {
	accounts.AuditEntry
	Actor, Subject, OnBehalfOf string // handles, resolved for display
}

func (s *server) historyPage(w http.ResponseWriter, r *http.Request) {
	acc := currentAccount(r)
	before := parseInt64(r.URL.Query().Get("before"))
	entries, err := s.accounts.AuditLog(r.Context(), accounts.As(acc), accounts.AuditFilter{SubjectID: acc.ID, Before: before, Limit: 50})
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	d := historyData{Entries: s.auditViews(r, entries)}
	if len(entries) == 50 {
		d.Next = entries[len(entries)-1].ID
	}
	s.render.html(w, r, http.StatusOK, "history", s.render.printer(r).T("history.title"), d)
}

// auditViews resolves the ids in audit entries to handles for display.
func (s *server) auditViews(r *http.Request, entries []accounts.AuditEntry) []auditView {
	names := map[string]string{"": ""}
	name := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		n := "?"
		if a, err := s.accounts.ByID(r.Context(), id); err == nil {
			n = "@" + a.Handle
			if a.Deleted() {
				n = s.render.printer(r).T("account.former")
			}
		}
		names[id] = n
		return n
	}
	out := make([]auditView, len(entries))
	for i, e := range entries {
		out[i] = auditView{AuditEntry: e, Actor: name(e.ActorID), Subject: name(e.SubjectID), OnBehalfOf: name(e.OnBehalfOf)}
	}
	return out
}

func parseInt64(s string) int64 {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' || n > 1e15 {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// addPasskeyNoScript answers the add-passkey form posted without
// JavaScript, which the ceremony needs.
func (s *server) addPasskeyNoScript(w http.ResponseWriter, r *http.Request) {
	f := newForm(r)
	f.Error = s.render.printer(r).T("passkey.needs_js")
	s.renderAccount(w, r, http.StatusBadRequest, f, "passkeys")
}
