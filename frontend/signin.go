package frontend

import (
	"net/http"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
)

// signinData is what the sign-up, sign-in, recovery and setup pages show.
type signinData struct {
	Form *form
	Next string
}

func (s *server) signupPage(w http.ResponseWriter, r *http.Request) {
	if currentAccount(r) != nil {
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return
	}
	l := s.render.printer(r)
	s.render.html(w, r, http.StatusOK, "signup", l.T("signup.title"), signinData{Form: newForm(r)})
}

func (s *server) loginPage(w http.ResponseWriter, r *http.Request) {
	if currentAccount(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	l := s.render.printer(r)
	s.render.html(w, r, http.StatusOK, "login", l.T("login.title"), signinData{Form: newForm(r), Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(s.sessionCookie()); err == nil {
		if err := s.accounts.SignOut(r.Context(), c.Value); err != nil {
			s.render.fail(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/?signed_out=1", http.StatusSeeOther)
}

// The sign-in link printed by `agora admin login-link` signs in when
// opened: it is shown on the operator's terminal, never mailed, so no
// mail scanner fetches it first; it works once, within 15 minutes.
func (s *server) loginLinkUse(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, "code", "") {
		return
	}
	acc, err := s.accounts.UseOneTimeCode(r.Context(), accounts.CodeLoginLink, mux.Vars(r)["token"])
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	if err := s.signIn(w, r, acc, "link"); err != nil {
		s.render.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

func (s *server) recoverPage(w http.ResponseWriter, r *http.Request) {
	l := s.render.printer(r)
	s.render.html(w, r, http.StatusOK, "recover", l.T("recover.title"), signinData{Form: newForm(r)})
}

// recoverUse signs in with a recovery code, then asks for a new passkey.
func (s *server) recoverUse(w http.ResponseWriter, r *http.Request) {
	s.codeSignIn(w, r, "recover", "recover.title", func(handle, code string) (*accounts.Account, error) {
		return s.accounts.UseRecoveryCode(r.Context(), handle, code)
	}, "recovery")
}

func (s *server) setupPage(w http.ResponseWriter, r *http.Request) {
	l := s.render.printer(r)
	s.render.html(w, r, http.StatusOK, "setup", l.T("setup.title"), signinData{Form: newForm(r)})
}

// setupUse signs in with the code of a desk sheet, then asks for a passkey.
func (s *server) setupUse(w http.ResponseWriter, r *http.Request) {
	s.codeSignIn(w, r, "setup", "setup.title", func(handle, code string) (*accounts.Account, error) {
		return s.accounts.UseSetupCode(r.Context(), handle, code)
	}, "setup")
}

// codeSignIn is the shared path of the recovery and setup forms: rate
// limits, the same refusal for a wrong handle or a wrong code, and a new
// passkey asked for straight after.
func (s *server) codeSignIn(w http.ResponseWriter, r *http.Request, page, title string, use func(handle, code string) (*accounts.Account, error), via string) {
	if err := r.ParseForm(); err != nil {
		s.render.fail(w, r, httpError(http.StatusBadRequest, err))
		return
	}
	handle := normalizeHandle(r.PostForm.Get("handle"))
	if !s.allow(w, r, "code", handle) {
		return
	}
	acc, err := use(handle, r.PostForm.Get("code"))
	if err != nil {
		f := newForm(r)
		f.fail(s.render.printer(r), err)
		s.render.html(w, r, asError(err).Status, page, s.render.printer(r).T(title), signinData{Form: f})
		return
	}
	if err := s.signIn(w, r, acc, via); err != nil {
		s.render.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?done=add_passkey#passkeys", http.StatusSeeOther)
}

// noScript answers a sign-up or sign-in form posted without JavaScript:
// passkeys need it, so the page says so and shows the other ways in.
func (s *server) noScript(page, title string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.postForm(w, r) {
			return
		}
		l := s.render.printer(r)
		f := newForm(r)
		f.Error = l.T("passkey.needs_js")
		s.render.html(w, r, http.StatusBadRequest, page, l.T(title), signinData{Form: f, Next: safeNext(r.PostForm.Get("next"))})
	}
}
