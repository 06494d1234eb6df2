package accounts

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/proposals"
)

// accountData is what the account page shows.
type accountData struct {
	Profile      *web.Form
	Form         *web.Form // the form that failed, if any
	Failed       string    // which one: profile, passkeys, letter, census, delete
	Passkeys     []passkeyView
	RecoveryLeft int
	Residency    *accounts.Residency
	State        accounts.ResidencyState
	DeletionDue  *time.Time
	Done         string // message key of what just succeeded
	Spaces       []spaceRightsView
}

// spaceRightsView says what the resident may do in one space now, and
// why not, as the proposals service answers (proposals.RightsIn).
type spaceRightsView struct {
	Title, URL       string
	Propose, Support string
}

type passkeyView struct {
	accounts.Passkey
	Key string // the id as it appears in URLs
}

// doneMessages are the confirmations a redirect may ask the page to show.
var doneMessages = []string{"profile_saved", "passkey_added", "passkey_removed", "passkey_renamed",
	"add_passkey", "verified", "deletion_requested", "deletion_cancelled", "sessions_ended", "supports_saved"}

func (s *surface) accountPage(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, nil, "")
}

// renderAccount shows the account page, with f (a failed form named by
// failed) when a post went wrong.
func (s *surface) renderAccount(w http.ResponseWriter, r *http.Request, status int, f *web.Form, failed string) {
	acc := web.CurrentAccount(r)
	ctx := r.Context()
	keys, err := s.accounts.Passkeys(ctx, acc.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	left, err := s.accounts.RecoveryCodesLeft(ctx, acc.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	res, err := s.accounts.Residency(ctx, acc.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if f == nil {
		f = &web.Form{Values: map[string]string{}, Errors: map[string]string{}}
	}
	d := accountData{Form: f, Failed: failed, RecoveryLeft: left, Residency: res, State: res.State(s.Now())}
	d.Profile = &web.Form{Values: map[string]string{"display_name": acc.DisplayName, "language": acc.Language}, Errors: map[string]string{}}
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
	if d.Spaces, err = s.spaceRights(r, acc); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.HTML(w, r, status, "account", s.Printer(r).T("account.title"), d)
}

// spaceRights lists the spaces not over yet, each with what acc may do
// there now and why not.
func (s *surface) spaceRights(r *http.Request, acc *accounts.Account) ([]spaceRightsView, error) {
	if s.spaces == nil {
		return nil, nil
	}
	ctx, l, now := r.Context(), s.Printer(r), s.Now()
	all, err := s.spaces.List(ctx)
	if err != nil {
		return nil, err
	}
	current := all[:0]
	for _, sp := range all {
		if n := len(sp.Phases); n > 0 && sp.Phases[n-1].EndsAt.After(now) {
			current = append(current, sp)
		}
	}
	rights, err := s.proposals.RightsIn(ctx, acc, current)
	if err != nil {
		return nil, err
	}
	why := func(act string, err error) string {
		switch {
		case err == nil:
			return l.T("rules.account." + act + ".yes")
		case errors.Is(err, proposals.ErrNotVerified):
			return l.T("rules.account." + act + ".not_verified")
		case errors.Is(err, proposals.ErrServiceAccount):
			return l.T("rules.account." + act + ".service")
		}
		return l.T("rules.account." + act + ".phase")
	}
	out := make([]spaceRightsView, 0, len(rights))
	for _, rt := range rights {
		out = append(out, spaceRightsView{Title: rt.Space.Title, URL: "/spaces/" + url.PathEscape(rt.Space.Slug),
			Propose: why("propose", rt.Propose), Support: why("support", rt.Support)})
	}
	return out, nil
}

// accountFailed shows the account page again with the error next to the
// field of the form that failed, and changes nothing.
func (s *surface) accountFailed(w http.ResponseWriter, r *http.Request, failed string, err error) {
	e := s.AsError(err)
	if e.Status >= 500 {
		s.Fail(w, r, err)
		return
	}
	f := web.NewForm(r)
	s.FailForm(r, f, err)
	s.renderAccount(w, r, e.Status, f, failed)
}

func (s *surface) profileSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	acc := web.CurrentAccount(r)
	p := accounts.Profile{DisplayName: r.PostForm.Get("display_name"), Language: r.PostForm.Get("language"),
		Public: r.PostForm.Get("public") == "on"}
	if err := s.accounts.UpdateProfile(r.Context(), accounts.As(acc), acc.ID, p); err != nil {
		s.accountFailed(w, r, "profile", err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: p.Language, Path: "/", MaxAge: int(web.LangCookieAge / time.Second),
		HttpOnly: true, Secure: s.HTTPS(), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/account?done=profile_saved&lang="+p.Language, http.StatusSeeOther)
}

func passkeyID(r *http.Request) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(mux.Vars(r)["id"])
}

func (s *surface) passkeyRename(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	id, err := passkeyID(r)
	if err != nil {
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, err))
		return
	}
	acc := web.CurrentAccount(r)
	if err := s.accounts.RenamePasskey(r.Context(), accounts.As(acc), acc.ID, id, r.PostForm.Get("name")); err != nil {
		s.accountFailed(w, r, "passkeys", err)
		return
	}
	http.Redirect(w, r, "/account?done=passkey_renamed#passkeys", http.StatusSeeOther)
}

func (s *surface) passkeyRemove(w http.ResponseWriter, r *http.Request) {
	id, err := passkeyID(r)
	if err != nil {
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, err))
		return
	}
	acc := web.CurrentAccount(r)
	if !s.ParseForm(w, r) {
		return
	}
	keys, err := s.accounts.Passkeys(r.Context(), acc.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	i := slices.IndexFunc(keys, func(k accounts.Passkey) bool { return bytes.Equal(k.ID, id) })
	if i < 0 {
		s.accountFailed(w, r, "passkeys", accounts.ErrNotFound)
		return
	}
	if !s.Confirmed(w, r, s.Printer(r).T("passkey.confirm.remove", keys[i].Name), "/account#passkeys") {
		return
	}
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

func (s *surface) recoveryCodesPage(w http.ResponseWriter, r *http.Request) {
	left, err := s.accounts.RecoveryCodesLeft(r.Context(), web.CurrentAccount(r).ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.HTML(w, r, http.StatusOK, "recovery_codes", s.Printer(r).T("recovery.title"),
		recoveryData{Left: left, Welcome: r.URL.Query().Get("welcome") == "1"})
}

// recoveryCodesNew answers the post with the codes, not a redirect: they
// exist in clear only in this response.
func (s *surface) recoveryCodesNew(w http.ResponseWriter, r *http.Request) {
	acc := web.CurrentAccount(r)
	codes, err := s.accounts.NewRecoveryCodes(r.Context(), accounts.As(acc), acc.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.HTML(w, r, http.StatusOK, "recovery_codes", s.Printer(r).T("recovery.title"),
		recoveryData{Codes: codes, Left: len(codes)})
}

type sessionsData struct {
	Sessions []accounts.Session
	Current  string
	Done     string
}

func (s *surface) sessionsPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.accounts.Sessions(r.Context(), web.CurrentAccount(r).ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := sessionsData{Sessions: list, Current: web.CurrentSession(r).ID}
	if r.URL.Query().Get("done") == "sessions_ended" {
		d.Done = "account.done.sessions_ended"
	}
	s.HTML(w, r, http.StatusOK, "sessions", s.Printer(r).T("sessions.title"), d)
}

// sessionsEnd signs out one session (id), all but this one ("others"),
// or every one, this one included ("all").
func (s *surface) sessionsEnd(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	acc, cur := web.CurrentAccount(r), web.CurrentSession(r)
	id := r.PostForm.Get("id")
	var err error
	switch id {
	case "others":
		_, err = s.accounts.EndAllSessions(r.Context(), acc.ID, cur.ID)
	case "all":
		if _, err := s.accounts.EndAllSessions(r.Context(), acc.ID, ""); err != nil {
			s.Fail(w, r, err)
			return
		}
		s.ClearSessionCookie(w)
		http.Redirect(w, r, "/?signed_out=1", http.StatusSeeOther)
		return
	case cur.ID:
		s.logout(w, r)
		return
	default:
		err = s.accounts.EndSession(r.Context(), acc.ID, id)
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/sessions?done=sessions_ended", http.StatusSeeOther)
}

func (s *surface) residencyLetter(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	acc := web.CurrentAccount(r)
	if !s.Allow(w, r, "code", acc.ID) {
		return
	}
	if err := s.accounts.UseLetterCode(r.Context(), accounts.As(acc), acc.ID, r.PostForm.Get("code")); err != nil {
		s.accountFailed(w, r, "letter", err)
		return
	}
	http.Redirect(w, r, "/account?done=verified#residency", http.StatusSeeOther)
}

func (s *surface) residencyCensus(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	acc := web.CurrentAccount(r)
	if !s.Allow(w, r, "code", acc.ID) {
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

func (s *surface) deletionRequest(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	acc := web.CurrentAccount(r)
	if r.PostForm.Get("confirm") != "on" {
		f := web.NewForm(r)
		f.Errors["confirm"] = s.Printer(r).T("account.delete.confirm_required")
		s.renderAccount(w, r, http.StatusBadRequest, f, "delete")
		return
	}
	if _, err := s.accounts.RequestDeletion(r.Context(), accounts.As(acc), acc.ID); err != nil {
		s.accountFailed(w, r, "delete", err)
		return
	}
	http.Redirect(w, r, "/account?done=deletion_requested#delete", http.StatusSeeOther)
}

func (s *surface) deletionCancel(w http.ResponseWriter, r *http.Request) {
	acc := web.CurrentAccount(r)
	if err := s.accounts.CancelDeletion(r.Context(), accounts.As(acc), acc.ID); err != nil {
		s.accountFailed(w, r, "delete", err)
		return
	}
	http.Redirect(w, r, "/account?done=deletion_cancelled#delete", http.StatusSeeOther)
}

// historyData is "what was done about me": every audit entry whose subject
// is the resident, with the names of those who acted.
type historyData struct {
	Entries []web.AuditView
	Next    int64
}

func (s *surface) historyPage(w http.ResponseWriter, r *http.Request) {
	acc := web.CurrentAccount(r)
	before := web.ParseCursor(r.URL.Query().Get("before"))
	entries, err := s.accounts.AuditLog(r.Context(), accounts.As(acc), accounts.AuditFilter{SubjectID: acc.ID, Before: before, Limit: 50})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := historyData{Entries: s.AuditViews(r, entries)}
	if len(entries) == 50 {
		d.Next = entries[len(entries)-1].ID
	}
	s.HTML(w, r, http.StatusOK, "history", s.Printer(r).T("history.title"), d)
}

// addPasskeyNoScript answers the add-passkey form posted without
// JavaScript, which the ceremony needs.
func (s *surface) addPasskeyNoScript(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm(r)
	f.Error = s.Printer(r).T("passkey.needs_js")
	s.renderAccount(w, r, http.StatusBadRequest, f, "passkeys")
}
