package cities

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"agora/frontend/web"

	"agora/frontend/i18n"
)

// federationAdminData is the admin's federation page: the spaces of other
// cities this node follows and the form to follow one, the servers it
// speaks with and how that goes, the delivery queue, and the domain
// blocks with their form.
type federationAdminData struct {
	Follow         *web.Form
	Followed       []followedView
	UnfollowError  string // an unfollow that failed, above the list
	Peers          []peerView
	Waiting        int
	Failing        int
	Block          *web.Form
	Blocks         []blockView
	RemoveError    string // a block removal that failed, above the list
	Severities     []web.Option
	Done           string
	SeverityLabels map[string]string
	Parked         []parkedView
	ParkedError    string // a retry or drop of a job that is not parked
}

type followedView struct {
	ActorID, Name, Handle, Host, State, StateKey, Since string
}

type peerView struct {
	Host, LastSuccess, LastFailure, Unreachable, LastError string
	Failures                                               int
	Down                                                   bool
}

type blockView struct {
	Host, Severity, Reason, Since string
}

// Limits of the federation forms.
const (
	maxFollowTarget = 500
	maxBlockHost    = 253 // the longest DNS name
	maxBlockReason  = 500
)

// blockSeverities are the decisions an admin may take about a host, as
// the federation names them.
var blockSeverities = []string{"suspend", "silence", "allow"}

// federationDone are the confirmations a redirect may ask the page to show.
var federationDone = []string{"follow_sent", "unfollowed", "block_set", "block_removed", "parked_retried", "parked_dropped"}

func (s *surface) federationAdminPage(w http.ResponseWriter, r *http.Request) {
	s.renderFederationAdmin(w, r, http.StatusOK, federationAdminData{Follow: web.EmptyForm(), Block: web.EmptyForm()})
}

// renderFederationAdmin shows the page with d's forms (one of them the
// form that failed, when a post went wrong) and what federation says now.
func (s *surface) renderFederationAdmin(w http.ResponseWriter, r *http.Request, status int, d federationAdminData) {
	ctx, l := r.Context(), s.Printer(r)
	followed, err := s.federation.FollowedSpaces(ctx)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, sp := range followed {
		v := followedView{ActorID: sp.ActorID, Name: sp.Name, Handle: sp.Handle, Host: sp.Host,
			StateKey: sp.State, State: followState(l, sp.State), Since: l.DateTime(sp.Since)}
		if v.Host == "" {
			v.Host = hostOf(sp.ActorID)
		}
		if v.Name == "" {
			v.Name = v.Handle
		}
		if sp.State == "accepted" && sp.Accepted != nil {
			v.Since = l.DateTime(*sp.Accepted)
		}
		d.Followed = append(d.Followed, v)
	}
	peers, err := s.federation.Peers(ctx)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	never := l.T("federation.peers.never")
	for _, p := range peers {
		v := peerView{Host: p.Host, LastSuccess: never, LastFailure: never, Unreachable: l.T("federation.peers.reachable"),
			LastError: p.LastError, Failures: p.Failures, Down: p.UnreachableSince != nil}
		if p.LastSuccess != nil {
			v.LastSuccess = l.DateTime(*p.LastSuccess)
		}
		if p.LastFailure != nil {
			v.LastFailure = l.DateTime(*p.LastFailure)
		}
		if p.UnreachableSince != nil {
			v.Unreachable = l.DateTime(*p.UnreachableSince)
		}
		d.Peers = append(d.Peers, v)
	}
	if d.Waiting, d.Failing, err = s.federation.QueueDepth(ctx); err != nil {
		s.Fail(w, r, err)
		return
	}
	blocks, err := s.federation.Blocks(ctx)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.SeverityLabels = map[string]string{}
	d.Severities = []web.Option{{Value: "", Label: l.T("federation.block.severity.choose")}}
	for _, sev := range blockSeverities {
		d.SeverityLabels[sev] = l.T("federation.block.severity." + sev)
		d.Severities = append(d.Severities, web.Option{Value: sev, Label: d.SeverityLabels[sev]})
	}
	for _, b := range blocks {
		v := blockView{Host: b.Host, Severity: b.Severity, Reason: b.Reason, Since: l.DateTime(b.Since)}
		if label, ok := d.SeverityLabels[b.Severity]; ok {
			v.Severity = label
		}
		d.Blocks = append(d.Blocks, v)
	}
	parked, err := s.federation.ParkedJobs(ctx, parkedShown)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, j := range parked {
		d.Parked = append(d.Parked, parkedView{ID: j.ID, Kind: l.T("federation.parked.kind." + j.Kind), Summary: j.Summary,
			Attempts: j.Attempts, Last: j.LastError, At: l.DateTime(j.At)})
	}
	if done := r.URL.Query().Get("done"); slices.Contains(federationDone, done) {
		d.Done = l.T("federation.done." + done)
	}
	s.HTML(w, r, status, "federation_admin", l.T("federation.admin.title"), d)
}

// followState names a follow's state in words: en attente, suivi, refusé.
func followState(l *i18n.Printer, state string) string {
	switch state {
	case "pending", "accepted", "rejected":
		return l.T("federation.state." + state)
	}
	return state
}

// hostOf is the host of a URL, or "" when it is not one.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}

// federationFollow asks to follow a space of another city. The space's
// node decides: the follow stays pending until it accepts.
func (s *surface) federationFollow(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	l := s.Printer(r)
	f := web.NewForm(r)
	target := f.Values["target"]
	if key, args := followTargetProblem(target); key != "" {
		f.Errors["target"] = l.T(key, args...)
		s.renderFederationAdmin(w, r, http.StatusBadRequest, federationAdminData{Follow: f, Block: web.EmptyForm()})
		return
	}
	if _, err := s.federation.FollowSpace(r.Context(), target, web.CurrentAccount(r).ID); err != nil {
		if !errors.Is(err, ErrFederationInput) {
			s.Fail(w, r, err)
			return
		}
		s.Log().DebugContext(r.Context(), "follow refused", "target", target, "err", err)
		f.Errors["target"] = l.T("federation.follow.error.not_found")
		s.renderFederationAdmin(w, r, http.StatusBadRequest, federationAdminData{Follow: f, Block: web.EmptyForm()})
		return
	}
	http.Redirect(w, r, "/admin/federation?done=follow_sent#following", http.StatusSeeOther)
}

// followTargetProblem says what is wrong with a space's address before
// anything is asked of the network: the i18n key of the message and its
// arguments, or "" when it looks like a handle or a URL.
func followTargetProblem(target string) (string, []any) {
	switch {
	case target == "":
		return "federation.follow.error.empty", nil
	case utf8.RuneCountInString(target) > maxFollowTarget:
		return "admin.error.too_long", []any{maxFollowTarget}
	case strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://"):
		u, err := url.Parse(target)
		if err != nil || u.Host == "" || strings.ContainsAny(target, " \t") {
			return "federation.follow.error.url", nil
		}
		return "", nil
	}
	// As federation reads it: @name@host, name@host, or !name@host (a
	// group's handle on some servers).
	name, host, ok := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(target, "!"), "@"), "@")
	if !ok || name == "" || host == "" || strings.ContainsAny(name, "/: \t") || strings.ContainsAny(host, "/@ \t") {
		return "federation.follow.error.format", nil
	}
	return "", nil
}

// federationUnfollow stops following a space of another city.
func (s *surface) federationUnfollow(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	l := s.Printer(r)
	actor := strings.TrimSpace(r.PostForm.Get("actor"))
	if actor == "" {
		s.renderFederationAdmin(w, r, http.StatusBadRequest, federationAdminData{Follow: web.EmptyForm(), Block: web.EmptyForm(),
			UnfollowError: l.T("federation.unfollow.error")})
		return
	}
	if err := s.federation.UnfollowSpace(r.Context(), actor); err != nil {
		if !errors.Is(err, ErrFederationInput) {
			s.Fail(w, r, err)
			return
		}
		s.renderFederationAdmin(w, r, http.StatusBadRequest, federationAdminData{Follow: web.EmptyForm(), Block: web.EmptyForm(),
			UnfollowError: l.T("federation.unfollow.error")})
		return
	}
	http.Redirect(w, r, "/admin/federation?done=unfollowed#following", http.StatusSeeOther)
}

// federationBlockSet records a domain block (or an allow).
func (s *surface) federationBlockSet(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	l := s.Printer(r)
	f := web.NewForm(r)
	host := strings.ToLower(f.Values["host"])
	if key, args := blockHostProblem(host); key != "" {
		f.Errors["host"] = l.T(key, args...)
	}
	if !slices.Contains(blockSeverities, f.Values["severity"]) {
		f.Errors["severity"] = l.T("federation.block.error.severity")
	}
	if utf8.RuneCountInString(f.Values["reason"]) > maxBlockReason {
		f.Errors["reason"] = l.T("admin.error.too_long", maxBlockReason)
	}
	if f.Invalid() {
		s.renderFederationAdmin(w, r, http.StatusBadRequest, federationAdminData{Follow: web.EmptyForm(), Block: f})
		return
	}
	if !s.Confirmed(w, r, l.T("federation.block.confirm", l.T("federation.block.severity."+f.Values["severity"]), host), "/admin/federation#blocks") {
		return
	}
	if err := s.federation.SetBlock(r.Context(), host, f.Values["severity"], f.Values["reason"], web.CurrentAccount(r).ID); err != nil {
		if !errors.Is(err, ErrFederationInput) {
			s.Fail(w, r, err)
			return
		}
		f.Errors["host"] = l.T("federation.block.error.refused")
		s.renderFederationAdmin(w, r, http.StatusBadRequest, federationAdminData{Follow: web.EmptyForm(), Block: f})
		return
	}
	http.Redirect(w, r, "/admin/federation?done=block_set#blocks", http.StatusSeeOther)
}

// blockHostProblem says what is wrong with a host name typed by an
// admin: the i18n key and its arguments, or "".
func blockHostProblem(host string) (string, []any) {
	switch {
	case host == "":
		return "federation.block.error.host_empty", nil
	case len(host) > maxBlockHost:
		return "admin.error.too_long", []any{maxBlockHost}
	case strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") || strings.Contains(host, ".."):
		return "federation.block.error.host_form", nil
	}
	for _, c := range host {
		if c != '.' && c != '-' && !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			return "federation.block.error.host_form", nil
		}
	}
	return "", nil
}

// federationBlockRemove lifts a domain block.
func (s *surface) federationBlockRemove(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	l := s.Printer(r)
	host := strings.ToLower(strings.TrimSpace(r.PostForm.Get("host")))
	if key, _ := blockHostProblem(host); key != "" {
		s.renderFederationAdmin(w, r, http.StatusBadRequest, federationAdminData{Follow: web.EmptyForm(), Block: web.EmptyForm(),
			RemoveError: l.T("federation.block.remove_error")})
		return
	}
	if err := s.federation.RemoveBlock(r.Context(), host); err != nil {
		if !errors.Is(err, ErrFederationInput) {
			s.Fail(w, r, err)
			return
		}
		s.renderFederationAdmin(w, r, http.StatusBadRequest, federationAdminData{Follow: web.EmptyForm(), Block: web.EmptyForm(),
			RemoveError: l.T("federation.block.remove_error")})
		return
	}
	http.Redirect(w, r, "/admin/federation?done=block_removed#blocks", http.StatusSeeOther)
}
