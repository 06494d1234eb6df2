// Package accounts is the surface of a resident's own account: signing
// up and in with a passkey (the ceremonies speak JSON to passkey.js),
// sign-in links, recovery codes and set-up codes, and the account's pages
// (profile, passkeys, sessions, residency, deletion, history).
package accounts

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"net/http"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"

	"github.com/go-webauthn/webauthn/webauthn"
)

//go:embed templates
var templates embed.FS

type surface struct {
	*web.Pages
	accounts  *accounts.Service
	spaces    *spaces.Service    // nil: the account page lists no spaces
	proposals *proposals.Service // nil with spaces
	webauthn  *webauthn.WebAuthn
}

// Deps are the services the account page asks, beyond the kit's
// accounts: with them, it says per space what the resident may do
// there. Both may be nil (a node without spaces).
type Deps struct {
	Spaces    *spaces.Service
	Proposals *proposals.Service
}

// Register serves the account pages on the kit's router; the kit must
// have been built with the accounts service.
func Register(k *web.Kit, deps Deps) error {
	if k.Accounts() == nil {
		return errors.New("the account pages need the accounts service")
	}
	pages, err := k.Pages(templates, "templates/*.html")
	if err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	wa, err := newWebAuthn(k.NodeName(context.Background()), k.BaseURL())
	if err != nil {
		return err
	}
	s := &surface{Pages: pages, accounts: k.Accounts(), webauthn: wa}
	if deps.Spaces != nil && deps.Proposals != nil {
		s.spaces, s.proposals = deps.Spaces, deps.Proposals
	}
	s.routes()
	return nil
}

// routes is the route table of the accounts surface: sign-up and
// sign-in, and a resident's own account.
func (s *surface) routes() {
	anyone, signedIn := s.Anyone(), s.SignedIn()

	// Signing up and in; the passkey ceremonies speak JSON to passkey.js.
	anyone.Get("/signup", s.signupPage)
	anyone.Get("/login", s.loginPage)
	anyone.Post("/signup", s.noScript("signup", "signup.title"))
	anyone.Post("/login", s.noScript("login", "login.title"))
	signedIn.Post("/account", s.addPasskeyNoScript)
	signedIn.Post("/logout", s.logout)
	anyone.Get("/login/link/{token}", s.loginLinkUse)
	anyone.Post("/login/link/{token}", s.loginLinkUse)
	anyone.Get("/recover", s.recoverPage)
	anyone.Post("/recover", s.recoverUse)
	anyone.Get("/setup", s.setupPage)
	anyone.Post("/setup", s.setupUse)
	anyone.Post("/webauthn/signup/begin", s.signupBegin)
	anyone.Post("/webauthn/signup/finish", s.signupFinish)
	anyone.Post("/webauthn/login/begin", s.loginBegin)
	anyone.Post("/webauthn/login/finish", s.loginFinish)
	signedIn.Post("/webauthn/add/begin", s.addBegin)
	signedIn.Post("/webauthn/add/finish", s.addFinish)

	// A resident's own account.
	signedIn.Get("/account", s.accountPage)
	signedIn.Post("/account/profile", s.profileSave)
	signedIn.Post("/account/supports", s.supportsSave)
	signedIn.Post("/account/passkeys/{id}/rename", s.passkeyRename)
	signedIn.Post("/account/passkeys/{id}/remove", s.passkeyRemove)
	signedIn.Get("/account/recovery-codes", s.recoveryCodesPage)
	signedIn.Post("/account/recovery-codes", s.recoveryCodesNew)
	signedIn.Get("/account/sessions", s.sessionsPage)
	signedIn.Post("/account/sessions/end", s.sessionsEnd)
	signedIn.Post("/account/residency/letter", s.residencyLetter)
	signedIn.Post("/account/residency/census", s.residencyCensus)
	signedIn.Post("/account/delete", s.deletionRequest)
	signedIn.Post("/account/delete/cancel", s.deletionCancel)
	signedIn.Get("/account/history", s.historyPage)
}

// fieldError answers a failed step with the domain error's message.
func (s *surface) fieldError(w http.ResponseWriter, r *http.Request, err error) {
	s.Fail(w, r, err)
}

func randomToken() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}
