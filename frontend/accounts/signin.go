package accounts

import (
	"net/http"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
)

// signinData is what the sign-up, sign-in, recovery and setup pages show.
type signinData struct {
	Form *web.Form
	Next string
}

func (s *surface) signupPage(w http.ResponseWriter, r *http.Request) {
	if web.CurrentAccount(r) != nil {
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return
	}
	l := s.Printer(r)
	s.HTML(w, r, http.StatusOK, "signup", l.T("signup.title"), signinData{Form: web.NewForm(r)})
}

func (s *surface) loginPage(w http.ResponseWriter, r *http.Request) {
	if web.CurrentAccount(r) != nil {
		http.Redirect(w, r, web.SafeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	l := s.Printer(r)
	s.HTML(w, r, http.StatusOK, "login", l.T("login.title"), signinData{Form: web.NewForm(r), Next: web.SafeNext(r.URL.Query().Get("next"))})
}

func (s *surface) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(s.SessionCookie()); err == nil {
		if err := s.accounts.SignOut(r.Context(), c.Value); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	s.ClearSessionCookie(w)
	http.Redirect(w, r, "/?signed_out=1", http.StatusSeeOther)
}

// The sign-in link printed by `agora admin login-link` signs in when
// opened: it is shown on the operator's terminal, never mailed, so no
// mail scanner fetches it first; it works once, within 15 minutes.
func (s *surface) loginLinkUse(w http.ResponseWriter, r *http.Request) {
	if !s.Allow(w, r, "code", "") {
		return
	}
	acc, err := s.accounts.UseOneTimeCode(r.Context(), accounts.CodeLoginLink, mux.Vars(r)["token"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.SignIn(w, r, acc, "link"); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

func (s *surface) recoverPage(w http.ResponseWriter, r *http.Request) {
	l := s.Printer(r)
	s.HTML(w, r, http.StatusOK, "recover", l.T("recover.title"), signinData{Form: web.NewForm(r)})
}

// recoverUse signs in with a recovery code, then asks for a new passkey.
func (s *surface) recoverUse(w http.ResponseWriter, r *http.Request) {
	s.codeSignIn(w, r, "recover", "recover.title", func(handle, code string) (*accounts.Account, error) {
		return s.accounts.UseRecoveryCode(r.Context(), handle, code)
	}, "recovery")
}

func (s *surface) setupPage(w http.ResponseWriter, r *http.Request) {
	l := s.Printer(r)
	s.HTML(w, r, http.StatusOK, "setup", l.T("setup.title"), signinData{Form: web.NewForm(r)})
}

// setupUse signs in with the code of a desk sheet, then asks for a passkey.
func (s *surface) setupUse(w http.ResponseWriter, r *http.Request) {
	s.codeSignIn(w, r, "setup", "setup.title", func(handle, code string) (*accounts.Account, error) {
		return s.accounts.UseSetupCode(r.Context(), handle, code)
	}, "setup")
}

// codeSignIn is the shared path of the recovery and setup forms: rate
// limits, the same refusal for a wrong handle or a wrong code, and a new
// passkey asked for straight after.
func (s *surface) codeSignIn(w http.ResponseWriter, r *http.Request, page, title string, use func(handle, code string) (*accounts.Account, error), via string) {
	if err := r.ParseForm(); err != nil {
		s.Fail(w, r, web.HTTPError(http.StatusBadRequest, err))
		return
	}
	handle := web.NormalizeHandle(r.PostForm.Get("handle"))
	if !s.Allow(w, r, "code", handle) {
		return
	}
	acc, err := use(handle, r.PostForm.Get("code"))
	if err != nil {
		f := web.NewForm(r)
		s.FailForm(r, f, err)
		s.HTML(w, r, s.AsError(err).Status, page, s.Printer(r).T(title), signinData{Form: f})
		return
	}
	if err := s.SignIn(w, r, acc, via); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?done=add_passkey#passkeys", http.StatusSeeOther)
}

// noScript answers a sign-up or sign-in form posted without JavaScript:
// passkeys need it, so the page says so and shows the other ways in.
func (s *surface) noScript(page, title string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.ParseForm(w, r) {
			return
		}
		l := s.Printer(r)
		f := web.NewForm(r)
		f.Error = l.T("passkey.needs_js")
		s.HTML(w, r, http.StatusBadRequest, page, l.T(title), signinData{Form: f, Next: web.SafeNext(r.PostForm.Get("next"))})
	}
}
