package accounts

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"agora/frontend/web"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"agora/instances/accounts"
)

// The passkey ceremonies. A ceremony begins with a POST that returns the
// options for navigator.credentials, and ends with a POST of what the
// browser answered. Between the two, the server side lives in the database
// (accounts.Challenge): single use, five minutes, bound to this browser by
// a secret cookie. User verification is required everywhere.

func newWebAuthn(nodeName string, base *url.URL) (*webauthn.WebAuthn, error) {
	w, err := webauthn.New(&webauthn.Config{
		RPID:          base.Hostname(),
		RPDisplayName: nodeName,
		RPOrigins:     []string{base.Scheme + "://" + base.Host},
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:      protocol.ResidentKeyRequirementRequired,
			UserVerification: protocol.VerificationRequired,
		},
		AttestationPreference: protocol.PreferNoAttestation,
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: accounts.ChallengeTTL},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: accounts.ChallengeTTL},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("frontend: passkeys for %s: %w", base, err)
	}
	return w, nil
}

// passkeyUser shows an account (or one being created) to the library.
type passkeyUser struct {
	id          []byte
	name        string
	displayName string
	credentials []webauthn.Credential
}

func (u *passkeyUser) WebAuthnID() []byte                         { return u.id }
func (u *passkeyUser) WebAuthnName() string                       { return u.name }
func (u *passkeyUser) WebAuthnDisplayName() string                { return u.displayName }
func (u *passkeyUser) WebAuthnCredentials() []webauthn.Credential { return u.credentials }

func (s *surface) passkeyUser(r *http.Request, acc *accounts.Account) (*passkeyUser, error) {
	keys, err := s.accounts.Passkeys(r.Context(), acc.ID)
	if err != nil {
		return nil, err
	}
	u := &passkeyUser{id: acc.WebAuthnID, name: acc.Handle, displayName: acc.DisplayName}
	for _, k := range keys {
		u.credentials = append(u.credentials, toCredential(k))
	}
	return u, nil
}

func toCredential(k accounts.Passkey) webauthn.Credential {
	c := webauthn.Credential{
		ID: k.ID, PublicKey: k.PublicKey, AttestationType: k.AttestationType,
		Flags:         webauthn.CredentialFlagsFromMsgpByte(byte(k.Flags)),
		Authenticator: webauthn.Authenticator{AAGUID: k.AAGUID, SignCount: uint32(k.SignCount)},
	}
	for _, t := range strings.Split(k.Transports, ",") {
		if t != "" {
			c.Transport = append(c.Transport, protocol.AuthenticatorTransport(t))
		}
	}
	return c
}

func fromCredential(c *webauthn.Credential, name string) *accounts.Passkey {
	var transports []string
	for _, t := range c.Transport {
		transports = append(transports, string(t))
	}
	return &accounts.Passkey{
		ID: c.ID, Name: name, PublicKey: c.PublicKey, AttestationType: c.AttestationType,
		AAGUID: c.Authenticator.AAGUID, SignCount: int64(c.Authenticator.SignCount),
		Transports: strings.Join(transports, ","), Flags: int64(c.Flags.MsgpByte()),
	}
}

// ceremony is what is kept between the two halves.
type ceremony struct {
	Session     webauthn.SessionData `json:"session"`
	Handle      string               `json:"handle,omitempty"`
	DisplayName string               `json:"display_name,omitempty"`
	Language    string               `json:"language,omitempty"`
	PasskeyName string               `json:"passkey_name,omitempty"`
	Via         string               `json:"via,omitempty"`
	Next        string               `json:"next,omitempty"`
}

const ceremonyCookie = "agora_ceremony"

// passkeyRequest is what the begin endpoints read (JSON from the script).
type passkeyRequest struct {
	Handle      string `json:"handle"`
	DisplayName string `json:"display_name"`
	PasskeyName string `json:"passkey_name"`
	Next        string `json:"next"`
}

// beginResponse carries the options and the ceremony id.
type beginResponse struct {
	Ceremony string `json:"ceremony"`
	Options  any    `json:"options"`
}

// finishResponse tells the script where to go.
type finishResponse struct {
	Redirect string `json:"redirect"`
}

// jsonError answers a ceremony step with a message the script shows in
// the page, next to the button.
func (s *surface) jsonError(w http.ResponseWriter, r *http.Request, status int, key string, err error) {
	s.Fail(w, r, &web.Error{Status: status, Key: key, Err: err})
}

func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// startCeremony stores a ceremony and sets the browser's secret cookie.
func (s *surface) startCeremony(w http.ResponseWriter, r *http.Request, kind, accountID string, c ceremony, options any) {
	data, err := json.Marshal(c)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	secret := base64.RawURLEncoding.EncodeToString(randomToken())
	id, err := s.accounts.SaveChallenge(r.Context(), secret, kind, accountID, string(data))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: ceremonyCookie, Value: secret, Path: "/webauthn/", HttpOnly: true,
		Secure: s.HTTPS(), SameSite: http.SameSiteStrictMode, MaxAge: int(accounts.ChallengeTTL / time.Second)})
	writeJSON(w, http.StatusOK, beginResponse{Ceremony: id, Options: options})
}

// takeCeremony consumes the ceremony named by the request; it can never be
// used again, whatever happens next.
func (s *surface) takeCeremony(w http.ResponseWriter, r *http.Request, kind string) (*accounts.Challenge, *ceremony, bool) {
	secret := ""
	if c, err := r.Cookie(ceremonyCookie); err == nil {
		secret = c.Value
	}
	http.SetCookie(w, &http.Cookie{Name: ceremonyCookie, Value: "", Path: "/webauthn/", MaxAge: -1, HttpOnly: true, Secure: s.HTTPS()})
	ch, err := s.accounts.TakeChallenge(r.Context(), r.URL.Query().Get("ceremony"), secret, kind)
	if err != nil {
		s.jsonError(w, r, http.StatusBadRequest, "passkey.error.expired", err)
		return nil, nil, false
	}
	c := new(ceremony)
	if err := json.Unmarshal([]byte(ch.Data), c); err != nil {
		s.Fail(w, r, fmt.Errorf("ceremony data: %w", err))
		return nil, nil, false
	}
	return ch, c, true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// signupBegin checks the chosen handle and name, then asks the browser to
// create a passkey. The account is created only when the passkey is.
func (s *surface) signupBegin(w http.ResponseWriter, r *http.Request) {
	var in passkeyRequest
	if err := readJSON(r, &in); err != nil {
		s.jsonError(w, r, http.StatusBadRequest, "error.400", err)
		return
	}
	if !s.Allow(w, r, "signup", "") {
		return
	}
	in.Handle = strings.ToLower(strings.TrimSpace(in.Handle))
	if err := s.accounts.HandleAvailable(r.Context(), in.Handle); err != nil {
		s.fieldError(w, r, err)
		return
	}
	if n := len([]rune(strings.TrimSpace(in.DisplayName))); n < 1 || n > 80 {
		s.fieldError(w, r, accounts.ErrDisplayName)
		return
	}
	user := &passkeyUser{id: accounts.NewWebAuthnID(), name: in.Handle, displayName: strings.TrimSpace(in.DisplayName)}
	options, session, err := s.webauthn.BeginRegistration(user)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.startCeremony(w, r, "signup", "", ceremony{Session: *session, Handle: in.Handle,
		DisplayName: user.displayName, Language: s.Printer(r).Lang, PasskeyName: passkeyName(r, in.PasskeyName)}, options)
}

func (s *surface) signupFinish(w http.ResponseWriter, r *http.Request) {
	_, c, ok := s.takeCeremony(w, r, "signup")
	if !ok {
		return
	}
	parsed, err := protocol.ParseCredentialCreationResponseBody(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		s.jsonError(w, r, http.StatusBadRequest, "passkey.error.invalid", err)
		return
	}
	user := &passkeyUser{id: c.Session.UserID, name: c.Handle, displayName: c.DisplayName}
	cred, err := s.webauthn.CreateCredential(user, c.Session, parsed)
	if err != nil {
		s.jsonError(w, r, http.StatusBadRequest, "passkey.error.invalid", err)
		return
	}
	acc, err := s.accounts.SignUp(r.Context(), accounts.NewAccount{
		Handle: c.Handle, DisplayName: c.DisplayName, Language: c.Language, WebAuthnID: c.Session.UserID,
	}, fromCredential(cred, c.PasskeyName))
	if err != nil {
		s.fieldError(w, r, err)
		return
	}
	if err := s.SignIn(w, r, acc, "passkey"); err != nil {
		s.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, finishResponse{Redirect: "/account/recovery-codes?welcome=1"})
}

// loginBegin starts a sign-in. Every passkey is discoverable (sign-up
// requires it), so the browser is never told which credentials an account
// has: with or without a handle typed first, every visitor gets options
// of the same shape, and nobody learns which handles exist. A handle typed
// first is checked when the ceremony finishes.
func (s *surface) loginBegin(w http.ResponseWriter, r *http.Request) {
	var in passkeyRequest
	if err := readJSON(r, &in); err != nil {
		s.jsonError(w, r, http.StatusBadRequest, "error.400", err)
		return
	}
	handle := web.NormalizeHandle(in.Handle)
	if !s.Allow(w, r, "login", handle) {
		return
	}
	options, session, err := s.webauthn.BeginDiscoverableLogin()
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.startCeremony(w, r, "login", "", ceremony{Session: *session, Handle: handle, Next: web.SafeNext(in.Next)}, options)
}

func (s *surface) loginFinish(w http.ResponseWriter, r *http.Request) {
	_, c, ok := s.takeCeremony(w, r, "login")
	if !ok {
		return
	}
	parsed, err := protocol.ParseCredentialRequestResponseBody(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		s.jsonError(w, r, http.StatusBadRequest, "passkey.error.invalid", err)
		return
	}
	var acc *accounts.Account
	_, cred, err := s.webauthn.ValidatePasskeyLogin(func(rawID, userHandle []byte) (webauthn.User, error) {
		a, err := s.accounts.ByWebAuthnID(r.Context(), userHandle)
		if err != nil {
			return nil, err
		}
		acc = a
		return s.passkeyUser(r, a)
	}, c.Session, parsed)
	if err == nil && c.Handle != "" && acc.Handle != c.Handle {
		err = errors.New("passkey of another account than the handle typed")
	}
	if err != nil || acc == nil || cred == nil {
		s.jsonError(w, r, http.StatusBadRequest, "passkey.error.refused", err)
		return
	}
	// The counter the authenticator sent, not cred's: on a counter that did
	// not grow, the library flags a clone and keeps the stored value, which
	// would hide what was received from the check and the audit entry.
	if err := s.accounts.UsePasskey(r.Context(), cred.ID, parsed.Response.AuthenticatorData.Counter); err != nil {
		if errors.Is(err, accounts.ErrSignCount) {
			s.Log().WarnContext(r.Context(), "passkey signature counter went backwards; sign-in refused", "account", acc.ID)
			s.jsonError(w, r, http.StatusBadRequest, "passkey.error.cloned", err)
			return
		}
		s.Fail(w, r, err)
		return
	}
	if err := s.SignIn(w, r, acc, "passkey"); err != nil {
		s.Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, finishResponse{Redirect: web.SafeNext(c.Next)})
}

// addBegin asks the browser for one more passkey of the signed-in account.
func (s *surface) addBegin(w http.ResponseWriter, r *http.Request) {
	var in passkeyRequest
	if err := readJSON(r, &in); err != nil {
		s.jsonError(w, r, http.StatusBadRequest, "error.400", err)
		return
	}
	acc := web.CurrentAccount(r)
	user, err := s.passkeyUser(r, acc)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var exclude []protocol.CredentialDescriptor
	for _, c := range user.credentials {
		exclude = append(exclude, c.Descriptor())
	}
	options, session, err := s.webauthn.BeginRegistration(user, webauthn.WithExclusions(exclude))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.startCeremony(w, r, "add", acc.ID, ceremony{Session: *session, PasskeyName: passkeyName(r, in.PasskeyName)}, options)
}

func (s *surface) addFinish(w http.ResponseWriter, r *http.Request) {
	ch, c, ok := s.takeCeremony(w, r, "add")
	if !ok {
		return
	}
	acc := web.CurrentAccount(r)
	if ch.AccountID != acc.ID {
		s.jsonError(w, r, http.StatusBadRequest, "passkey.error.expired", errors.New("ceremony of another account"))
		return
	}
	parsed, err := protocol.ParseCredentialCreationResponseBody(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		s.jsonError(w, r, http.StatusBadRequest, "passkey.error.invalid", err)
		return
	}
	user, err := s.passkeyUser(r, acc)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	cred, err := s.webauthn.CreateCredential(user, c.Session, parsed)
	if err != nil {
		s.jsonError(w, r, http.StatusBadRequest, "passkey.error.invalid", err)
		return
	}
	key := fromCredential(cred, c.PasskeyName)
	key.AccountID = acc.ID
	if err := s.accounts.AddPasskey(r.Context(), accounts.As(acc), key); err != nil {
		s.fieldError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, finishResponse{Redirect: "/account?done=passkey_added#passkeys"})
}

// passkeyName is the name the resident gave, or one made from the browser.
func passkeyName(r *http.Request, name string) string {
	if name = strings.TrimSpace(name); name != "" {
		return name
	}
	return web.DeviceOf(r)
}
