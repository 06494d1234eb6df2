package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"agora/instances/accounts"
	"agora/storage/ratelimit"
)

const (
	accountKey ctxKey = iota + 100
	sessionKey
)

// SessionCookie names the session cookie. On https the __Host- prefix makes
// browsers refuse it unless Secure, on this host only, for the whole site.
func (k *Kit) SessionCookie() string {
	if k.https {
		return "__Host-agora_session"
	}
	return "agora_session"
}

// withSession binds the signed-in account, if any, to the request.
func (k *Kit) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(k.SessionCookie())
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		acc, sess, err := k.accounts.Authenticate(r.Context(), c.Value)
		switch {
		case errors.Is(err, accounts.ErrNoSession), errors.Is(err, accounts.ErrNotFound):
			k.ClearSessionCookie(w)
		case err != nil:
			k.Fail(w, r, err)
			return
		default:
			ctx := context.WithValue(r.Context(), accountKey, acc)
			ctx = context.WithValue(ctx, sessionKey, sess)
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

// CurrentAccount is the signed-in account, or nil.
func CurrentAccount(r *http.Request) *accounts.Account {
	a, _ := r.Context().Value(accountKey).(*accounts.Account)
	return a
}

func CurrentSession(r *http.Request) *accounts.Session {
	sess, _ := r.Context().Value(sessionKey).(*accounts.Session)
	return sess
}

// SignIn starts a session and sets its cookie.
func (k *Kit) SignIn(w http.ResponseWriter, r *http.Request, acc *accounts.Account, via string) error {
	token, err := k.accounts.StartSession(r.Context(), acc.ID, DeviceOf(r), via)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: k.SessionCookie(), Value: token, Path: "/", HttpOnly: true, Secure: k.https,
		SameSite: http.SameSiteLaxMode, MaxAge: int(accounts.MaxSessionAge / time.Second),
	})
	// The language chosen for the account follows it to this browser.
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: acc.Language, Path: "/", MaxAge: int(LangCookieAge / time.Second),
		HttpOnly: true, Secure: k.https, SameSite: http.SameSiteLaxMode})
	return nil
}

func (k *Kit) ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: k.SessionCookie(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: k.https, SameSite: http.SameSiteLaxMode})
}

// DeviceOf describes a browser for the sessions page, from its user agent:
// a coarse name, not the full string.
func DeviceOf(r *http.Request) string {
	ua := r.UserAgent()
	browser := "?"
	for _, b := range []string{"Firefox", "Edg", "OPR", "Chrome", "Safari"} {
		if strings.Contains(ua, b) {
			browser = map[string]string{"Edg": "Edge", "OPR": "Opera"}[b]
			if browser == "" {
				browser = b
			}
			break
		}
	}
	system := "?"
	for _, o := range []string{"Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux", "CrOS"} {
		if strings.Contains(ua, o) {
			system = map[string]string{"Mac OS": "macOS", "CrOS": "ChromeOS"}[o]
			if system == "" {
				system = o
			}
			break
		}
	}
	return browser + " / " + system
}

// RequireSignIn sends visitors who are not signed in to the sign-in page
// (pages) or answers 401 (anything else), then runs h.
func (k *Kit) RequireSignIn(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if CurrentAccount(r) == nil {
			if r.Method == http.MethodGet && !WantsJSON(r) {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			k.Fail(w, r, HTTPError(http.StatusUnauthorized, nil))
			return
		}
		h(w, r)
	}
}

// RequireRole lets through only accounts holding role.
func (k *Kit) RequireRole(role accounts.Role, h http.HandlerFunc) http.HandlerFunc {
	return k.RequireSignIn(func(w http.ResponseWriter, r *http.Request) {
		if !CurrentAccount(r).Has(role) {
			k.Fail(w, r, &Error{Status: http.StatusForbidden, Key: "error.role", Err: errors.New("missing role " + string(role))})
			return
		}
		h(w, r)
	})
}

// SafeNext keeps a post-sign-in redirect on this site: a path that
// starts with one "/" followed by something other than a separator,
// once what browsers strip from a URL is gone (tabs and line breaks
// anywhere, control characters and spaces around it), with no other
// control character. Anything else ("//evil.example", "/\t/evil.example",
// "/\\evil.example", "https://...") goes to the account page.
func SafeNext(next string) string {
	const home = "/account"
	next = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, next)
	next = strings.TrimFunc(next, func(r rune) bool { return r <= ' ' })
	if next == "/" {
		return next
	}
	if len(next) < 2 || next[0] != '/' || next[1] == '/' || next[1] == '\\' {
		return home
	}
	if strings.ContainsFunc(next, unicode.IsControl) {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return home
	}
	return next
}

// LangCookieAge is how long the browser keeps the language a reader
// chose.
const LangCookieAge = 365 * 24 * time.Hour

// Rate limits of the sign-in paths, per client address and per account.
var (
	LimitPerIP      = ratelimit.Rule{Max: 30, Window: 10 * time.Minute}
	LimitPerAccount = ratelimit.Rule{Max: 10, Window: 10 * time.Minute}
)

// Allow applies the rate limits of action to this request, by client
// address and, when known, by handle or account. It answers 429 with a
// plain message and returns false when a limit is reached.
func (k *Kit) Allow(w http.ResponseWriter, r *http.Request, action, who string) bool {
	keys := []struct {
		key  string
		rule ratelimit.Rule
	}{{action + "|ip|" + k.ClientIP(r), LimitPerIP}}
	if who != "" {
		keys = append(keys, struct {
			key  string
			rule ratelimit.Rule
		}{action + "|who|" + strings.ToLower(who), LimitPerAccount})
	}
	for _, key := range keys {
		ok, wait, err := k.limiter.Allow(r.Context(), key.key, key.rule)
		if err != nil {
			k.Fail(w, r, err)
			return false
		}
		if !ok {
			minutes := int(wait/time.Minute) + 1
			w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
			k.Fail(w, r, &Error{Status: http.StatusTooManyRequests, Key: "error.429", Args: []any{minutes}})
			return false
		}
	}
	return true
}

// ClientIP is the address of the client: the peer, or, when the peer is a
// trusted reverse proxy, the last address it added to X-Forwarded-For.
func (k *Kit) ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !k.trusted(peer) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !k.trusted(a) {
			return a.String()
		}
	}
	return host
}

func (k *Kit) trusted(a netip.Addr) bool {
	for _, p := range k.cfg.TrustedProxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// NormalizeHandle is a handle as typed, as accounts are looked up by.
func NormalizeHandle(h string) string { return strings.ToLower(strings.TrimSpace(h)) }
