package notify

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"agora/frontend/i18n"
	"agora/frontend/web"
	"agora/instances/notifications"
)

// Fediverse is what the fediverse account section asks of the node's
// federation: resolve and fetch a handle's actor to link it, and look for
// the code there to verify it (federation/fedlink.go). Both change
// nothing when they fail.
type Fediverse interface {
	LinkFediverse(ctx context.Context, accountID, handle string) (*notifications.FediverseLink, error)
	CheckFediverse(ctx context.Context, accountID string) error
}

// fediverseData is the page of a resident's fediverse account.
type fediverseData struct {
	Enabled bool // the node federates
	Link    *notifications.FediverseLink
	Form    *web.Form
	Failed  string // which form failed: link, check
	Done    string
}

var fediverseDone = []string{"linked", "verified", "unlinked", "on", "off"}

func (s *surface) fediversePage(w http.ResponseWriter, r *http.Request) {
	s.renderFediverse(w, r, http.StatusOK, "", nil)
}

func (s *surface) renderFediverse(w http.ResponseWriter, r *http.Request, status int, failed string, f *web.Form) {
	l, acc := s.Printer(r), web.CurrentAccount(r)
	link, err := s.svc.Fediverse(r.Context(), acc.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if f == nil {
		f = web.EmptyForm()
	}
	d := fediverseData{Enabled: s.fedi != nil, Link: link, Form: f, Failed: failed}
	if done := r.URL.Query().Get("done"); slices.Contains(fediverseDone, done) {
		d.Done = "fedlink.done." + done
	}
	s.HTML(w, r, status, "fediverse", l.T("fedlink.title"), d)
}

func (s *surface) fediverseFailed(w http.ResponseWriter, r *http.Request, failed string, err error) {
	f := web.NewForm(r)
	s.FormFailed(w, r, f, err, func(status int) { s.renderFediverse(w, r, status, failed, f) })
}

// fediverseLink resolves the handle typed and records a pending link.
func (s *surface) fediverseLink(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	if s.fedi == nil {
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, nil))
		return
	}
	// Each try makes the node fetch from another server: bounded, as
	// sign-in is, per account and per address.
	if !s.Allow(w, r, "fedlink", web.CurrentAccount(r).ID) {
		return
	}
	if _, err := s.fedi.LinkFediverse(r.Context(), web.CurrentAccount(r).ID, r.PostForm.Get("handle")); err != nil {
		s.fediverseFailed(w, r, "link", err)
		return
	}
	http.Redirect(w, r, "/account/fediverse?done=linked", http.StatusSeeOther)
}

// fediverseCheck looks for the code at the linked account.
func (s *surface) fediverseCheck(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	if s.fedi == nil {
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, nil))
		return
	}
	// Each try makes the node fetch from another server: bounded, as
	// sign-in is, per account and per address.
	if !s.Allow(w, r, "fedlink", web.CurrentAccount(r).ID) {
		return
	}
	if err := s.fedi.CheckFediverse(r.Context(), web.CurrentAccount(r).ID); err != nil {
		s.fediverseFailed(w, r, "check", err)
		return
	}
	http.Redirect(w, r, "/account/fediverse?done=verified", http.StatusSeeOther)
}

// fediverseUnlink forgets the linked account.
func (s *surface) fediverseUnlink(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Unlink(r.Context(), web.CurrentAccount(r).ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/fediverse?done=unlinked", http.StatusSeeOther)
}

// fediverseMessages turns the direct messages on or off.
func (s *surface) fediverseMessages(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	on := r.PostForm.Get("messages") == "on"
	if err := s.svc.SetFediverseEnabled(r.Context(), web.CurrentAccount(r).ID, on); err != nil {
		s.fediverseFailed(w, r, "messages", err)
		return
	}
	done := "off"
	if on {
		done = "on"
	}
	http.Redirect(w, r, "/account/fediverse?done="+done, http.StatusSeeOther)
}

// Messages writes a notification as a fediverse direct message says it:
// in words, in the resident's language, with the absolute link of what it
// is about (federation.Deps.Message).
type Messages struct {
	cat  *i18n.Catalog
	base *url.URL
}

// NewMessages returns the words of direct messages for a node at base.
func NewMessages(base *url.URL) (*Messages, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	return &Messages{cat: cat, base: base}, nil
}

// Message is one notification in words, and its link.
func (m *Messages) Message(lang string, n *notifications.Notification) (text, link string) {
	l := m.cat.Printer(lang)
	it := view(l, n)
	text = it.Text
	if it.Title != "" {
		text += " : " + it.Title
	}
	if it.Detail != "" {
		text += " — " + it.Detail
	}
	if it.URL != "" {
		u := *m.base
		p, frag, _ := strings.Cut(it.URL, "#")
		u.Path, u.RawQuery, u.Fragment = strings.TrimSuffix(m.base.Path, "/")+p, "", frag
		link = u.String()
	}
	return text, link
}
