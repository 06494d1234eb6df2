package notify

import (
	"net/http"
	"slices"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/notifications"
)

// settingsData is the page of a resident's email choices.
type settingsData struct {
	Enabled   bool // the node has an SMTP server
	Email     *notifications.EmailSettings
	Address   *web.Form
	Frequency *web.Form
	Failed    string // which form failed: address, frequency
	Form      *web.Form
	Done      string
	Options   []web.Option
}

var settingsDone = []string{"sent", "saved", "removed", "verified"}

func (s *surface) settingsPage(w http.ResponseWriter, r *http.Request) {
	s.renderSettings(w, r, http.StatusOK, "", nil)
}

func (s *surface) renderSettings(w http.ResponseWriter, r *http.Request, status int, failed string, f *web.Form) {
	l, acc := s.Printer(r), web.CurrentAccount(r)
	e, err := s.svc.Email(r.Context(), acc.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := settingsData{Enabled: s.courier != nil, Email: e, Failed: failed, Form: f,
		Address:   &web.Form{Values: map[string]string{"email": e.Address}, Errors: map[string]string{}},
		Frequency: &web.Form{Values: map[string]string{"frequency": string(e.Frequency)}, Errors: map[string]string{}}}
	switch failed {
	case "address":
		d.Address = f
	case "frequency":
		d.Frequency = f
	}
	for _, fr := range notifications.Frequencies {
		d.Options = append(d.Options, web.Option{Value: string(fr), Label: l.T("notify.frequency." + string(fr))})
	}
	if done := r.URL.Query().Get("done"); slices.Contains(settingsDone, done) {
		d.Done = "notify.settings.done." + done
	}
	s.HTML(w, r, status, "settings", l.T("notify.settings.title"), d)
}

func (s *surface) settingsFailed(w http.ResponseWriter, r *http.Request, failed string, err error) {
	f := web.NewForm(r)
	s.FormFailed(w, r, f, err, func(status int) { s.renderSettings(w, r, status, failed, f) })
}

// addressSave records an address and sends the link that verifies it.
func (s *surface) addressSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	if s.courier == nil {
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, nil))
		return
	}
	acc := web.CurrentAccount(r)
	token, err := s.svc.SetAddress(r.Context(), acc.ID, r.PostForm.Get("email"))
	if err != nil {
		s.settingsFailed(w, r, "address", err)
		return
	}
	e, err := s.svc.Email(r.Context(), acc.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.courier.SendVerification(r.Context(), s.Printer(r).Lang, e.Address, token); err != nil {
		s.settingsFailed(w, r, "address", &web.Error{Status: http.StatusBadGateway, Key: "notify.error.send", Field: "email", Err: err})
		return
	}
	http.Redirect(w, r, "/notifications/settings?done=sent", http.StatusSeeOther)
}

// frequencySave chooses how often email comes.
func (s *surface) frequencySave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f, err := notifications.ParseFrequency(r.PostForm.Get("frequency"))
	if err == nil {
		err = s.svc.SetFrequency(r.Context(), web.CurrentAccount(r).ID, f)
	}
	if err != nil {
		s.settingsFailed(w, r, "frequency", err)
		return
	}
	http.Redirect(w, r, "/notifications/settings?done=saved", http.StatusSeeOther)
}

// addressRemove forgets the address.
func (s *surface) addressRemove(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RemoveAddress(r.Context(), web.CurrentAccount(r).ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/notifications/settings?done=removed", http.StatusSeeOther)
}

// verify proves an address by the link sent to it.
func (s *surface) verify(w http.ResponseWriter, r *http.Request) {
	if _, err := s.svc.Verify(r.Context(), mux.Vars(r)["token"]); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.HTML(w, r, http.StatusOK, "message", s.Printer(r).T("notify.verify.title"), messageData{Text: "notify.verify.done"})
}

// messageData is a page that only says something, with a form maybe.
type messageData struct {
	Text   string // message key
	Action string // a form's action, or ""
	Button string // its button's message key
}

// unsubscribePage offers the button that stops email (a link followed
// from a mail client must not act by itself).
func (s *surface) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	s.HTML(w, r, http.StatusOK, "message", s.Printer(r).T("notify.unsubscribe.title"),
		messageData{Text: "notify.unsubscribe.ask", Action: r.URL.Path, Button: "notify.unsubscribe.button"})
}

// unsubscribe stops email: the page's button, or a mail client's
// one-click POST (RFC 8058, body List-Unsubscribe=One-Click).
func (s *surface) unsubscribe(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Unsubscribe(r.Context(), mux.Vars(r)["key"]); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.HTML(w, r, http.StatusOK, "message", s.Printer(r).T("notify.unsubscribe.title"), messageData{Text: "notify.unsubscribe.done"})
}
