package frontend

import (
	"crypto/rand"
	"net/http"

	"github.com/gorilla/mux"
)

// accountRoutes is the route table of the accounts surface: sign-up and
// sign-in, a resident's own account, the desk and the administration.
func (s *server) accountRoutes(r *mux.Router) {
	get, post := []string{http.MethodGet, http.MethodHead}, []string{http.MethodPost}

	// Signing up and in; the passkey ceremonies speak JSON to passkey.js.
	r.HandleFunc("/signup", s.signupPage).Methods(get...)
	r.HandleFunc("/login", s.loginPage).Methods(get...)
	r.HandleFunc("/signup", s.noScript("signup", "signup.title")).Methods(post...)
	r.HandleFunc("/login", s.noScript("login", "login.title")).Methods(post...)
	r.HandleFunc("/account", s.requireSignIn(s.addPasskeyNoScript)).Methods(post...)
	r.HandleFunc("/logout", s.requireSignIn(s.logout)).Methods(post...)
	r.HandleFunc("/login/link/{token}", s.loginLinkUse).Methods(http.MethodGet, http.MethodPost)
	r.HandleFunc("/recover", s.recoverPage).Methods(get...)
	r.HandleFunc("/recover", s.recoverUse).Methods(post...)
	r.HandleFunc("/setup", s.setupPage).Methods(get...)
	r.HandleFunc("/setup", s.setupUse).Methods(post...)
	r.HandleFunc("/webauthn/signup/begin", s.signupBegin).Methods(post...)
	r.HandleFunc("/webauthn/signup/finish", s.signupFinish).Methods(post...)
	r.HandleFunc("/webauthn/login/begin", s.loginBegin).Methods(post...)
	r.HandleFunc("/webauthn/login/finish", s.loginFinish).Methods(post...)
	r.HandleFunc("/webauthn/add/begin", s.requireSignIn(s.addBegin)).Methods(post...)
	r.HandleFunc("/webauthn/add/finish", s.requireSignIn(s.addFinish)).Methods(post...)

	// A resident's own account.
	r.HandleFunc("/account", s.requireSignIn(s.accountPage)).Methods(get...)
	r.HandleFunc("/account/profile", s.requireSignIn(s.profileSave)).Methods(post...)
	r.HandleFunc("/account/passkeys/{id}/rename", s.requireSignIn(s.passkeyRename)).Methods(post...)
	r.HandleFunc("/account/passkeys/{id}/remove", s.requireSignIn(s.passkeyRemove)).Methods(post...)
	r.HandleFunc("/account/recovery-codes", s.requireSignIn(s.recoveryCodesPage)).Methods(get...)
	r.HandleFunc("/account/recovery-codes", s.requireSignIn(s.recoveryCodesNew)).Methods(post...)
	r.HandleFunc("/account/sessions", s.requireSignIn(s.sessionsPage)).Methods(get...)
	r.HandleFunc("/account/sessions/end", s.requireSignIn(s.sessionsEnd)).Methods(post...)
	r.HandleFunc("/account/residency/letter", s.requireSignIn(s.residencyLetter)).Methods(post...)
	r.HandleFunc("/account/residency/census", s.requireSignIn(s.residencyCensus)).Methods(post...)
	r.HandleFunc("/account/delete", s.requireSignIn(s.deletionRequest)).Methods(post...)
	r.HandleFunc("/account/delete/cancel", s.requireSignIn(s.deletionCancel)).Methods(post...)
	r.HandleFunc("/account/history", s.requireSignIn(s.historyPage)).Methods(get...)

	s.deskRoutes(r)
	s.adminRoutes(r)
}

// fieldError answers a failed step with the domain error's message.
func (s *server) fieldError(w http.ResponseWriter, r *http.Request, err error) {
	s.render.fail(w, r, err)
}

func randomToken() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}
