package frontend

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

	"agora/instances/accounts"
	"agora/storage/ratelimit"
)

const (
	accountKey ctxKey = iota + 100
	sessionKey
)

// sessionCookie names the session cookie. On https the __Host- prefix makes
// browsers refuse it unless Secure, on this host only, for the whole site.
func (s *server) sessionCookie() string {
	if s.https {
		return "__Host-agora_session"
	}
	return "agora_session"
}

// withSession binds the signed-in account, if any, to the request.
func (s *server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(s.sessionCookie())
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		acc, sess, err := s.accounts.Authenticate(r.Context(), c.Value)
		switch {
		case errors.Is(err, accounts.ErrNoSession), errors.Is(err, accounts.ErrNotFound):
			s.clearSessionCookie(w)
		case err != nil:
			s.render.fail(w, r, err)
			return
		default:
			ctx := context.WithValue(r.Context(), accountKey, acc)
			ctx = context.WithValue(ctx, sessionKey, sess)
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

// currentAccount is the signed-in account, or nil.
func currentAccount(r *http.Request) *accounts.Account {
	a, _ := r.Context().Value(accountKey).(*accounts.Account)
	return a
}

func currentSession(r *http.Request) *accounts.Session {
	sess, _ := r.Context().Value(sessionKey).(*accounts.Session)
	return sess
}

// signIn starts a session and sets its cookie.
func (s *server) signIn(w http.ResponseWriter, r *http.Request, acc *accounts.Account, via string) error {
	token, err := s.accounts.StartSession(r.Context(), acc.ID, deviceOf(r), via)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: s.sessionCookie(), Value: token, Path: "/", HttpOnly: true, Secure: s.https,
		SameSite: http.SameSiteLaxMode, MaxAge: int(accounts.MaxSessionAge / time.Second),
	})
	// The language chosen for the account follows it to this browser.
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: acc.Language, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.https, SameSite: http.SameSiteLaxMode})
	return nil
}

func (s *server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookie(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.https, SameSite: http.SameSiteLaxMode})
}

// deviceOf describes a browser for the sessions page, from its user agent:
// a coarse name, not the full string.
func deviceOf(r *http.Request) string {
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

// requireSignIn sends visitors who are not signed in to the sign-in page
// (pages) or answers 401 (anything else), then runs h.
func (s *server) requireSignIn(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if currentAccount(r) == nil {
			if r.Method == http.MethodGet && !wantsJSON(r) {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.render.fail(w, r, httpError(http.StatusUnauthorized, nil))
			return
		}
		h(w, r)
	}
}

// requireRole lets through only accounts holding role.
func (s *server) requireRole(role accounts.Role, h http.HandlerFunc) http.HandlerFunc {
	return s.requireSignIn(func(w http.ResponseWriter, r *http.Request) {
		if !currentAccount(r).Has(role) {
			s.render.fail(w, r, &Error{Status: http.StatusForbidden, Key: "error.role", Err: errors.New("missing role " + string(role))})
			return
		}
		h(w, r)
	})
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/account"
	}
	return next
}

// Rate limits of the sign-in paths, per client address and per account.
var (
	limitPerIP      = ratelimit.Rule{Max: 30, Window: 10 * time.Minute}
	limitPerAccount = ratelimit.Rule{Max: 10, Window: 10 * time.Minute}
)

// allow applies the rate limits of action to this request, by client
// address and, when known, by handle or account. It answers 429 with a
// plain message and returns false when a limit is reached.
func (s *server) allow(w http.ResponseWriter, r *http.Request, action, who string) bool {
	keys := []struct {
		key  string
		rule ratelimit.Rule
	}{{action + "|ip|" + s.clientIP(r), limitPerIP}}
	if who != "" {
		keys = append(keys, struct {
			key  string
			rule ratelimit.Rule
		}{action + "|who|" + strings.ToLower(who), limitPerAccount})
	}
	for _, k := range keys {
		ok, wait, err := s.limiter.Allow(r.Context(), k.key, k.rule)
		if err != nil {
			s.render.fail(w, r, err)
			return false
		}
		if !ok {
			minutes := int(wait/time.Minute) + 1
			w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
			s.render.fail(w, r, &Error{Status: http.StatusTooManyRequests, Key: "error.429", Args: []any{minutes}})
			return false
		}
	}
	return true
}

// clientIP is the address of the client: the peer, or, when the peer is a
// trusted reverse proxy, the last address it added to X-Forwarded-For.
func (s *server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !s.trusted(a) {
			return a.String()
		}
	}
	return host
}

func (s *server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

func normalizeHandle(h string) string { return strings.ToLower(strings.TrimSpace(h)) }
