package accounts_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/storage/storagetest"
)

// The passkey ceremonies at the HTTP level, driven by a software
// authenticator as passkey.js would drive a real one: every bad answer is
// refused with a message a person can read, and changes nothing.
func TestPasskeyCeremoniesRefuseBadInput(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		rg := newAccountsRig(t, dialect)
		msg := rg.msg
		invalid, refused, expired := msg.T("passkey.error.invalid"), msg.T("passkey.error.refused"), msg.T("passkey.error.expired")

		// Dominique has an account and a passkey whose counter is at 10;
		// this browser stays signed in.
		home := rg.newBrowser(t)
		dominique := home.signUp("dominique", 10)
		acc := rg.account(t, "dominique")

		t.Run("malformed JSON", func(t *testing.T) {
			for _, tc := range []struct{ path, body string }{
				{"/webauthn/signup/begin", `{"handle": "ana", "display_name": `},
				{"/webauthn/signup/begin", `{"handle": "ana", "display_name": "Ana", "role": "admin"}`},
				{"/webauthn/login/begin", `not json`},
				{"/webauthn/login/begin", `["dominique"]`},
				{"/webauthn/add/begin", `{"passkey_name": 42}`},
			} {
				before, ceremonies := rg.snapshot(t), rg.count(t, "webauthn_challenges", "")
				home.post(tc.path, []byte(tc.body)).wantRefused(t, 400, msg.T("error.400"))
				rg.assertUnchanged(t, before, tc.path+" "+tc.body)
				if n := rg.count(t, "webauthn_challenges", ""); n != ceremonies {
					t.Errorf("%s %s stored a ceremony", tc.path, tc.body)
				}
			}
			for _, kind := range []string{"signup", "login", "add"} {
				id, _ := home.begin(kind, map[string]string{"handle": "ana", "display_name": "Ana"})
				before := rg.snapshot(t)
				home.finish(kind, id, []byte(`{"id": "abc", "type": "public-key", "response": {`)).wantRefused(t, 400, invalid)
				rg.assertUnchanged(t, before, kind+" finish with malformed JSON")
			}
		})

		t.Run("garbage attestation", func(t *testing.T) {
			junk := make([]byte, 77)
			rand.Read(junk)
			// A CBOR attestation object of the right shape whose
			// authenticator data is noise.
			shaped, err := cborEnc().Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": junk})
			if err != nil {
				t.Fatal(err)
			}
			for _, att := range [][]byte{junk, shaped} {
				for _, kind := range []string{"signup", "add"} {
					b := home
					if kind == "signup" {
						b = rg.newBrowser(t)
					}
					id, options := b.begin(kind, map[string]string{"handle": "ana", "display_name": "Ana"})
					_, body := b.auth.create(t, options, 0, ceremonyTweaks{attestation: att})
					before := rg.snapshot(t)
					b.finish(kind, id, body).wantRefused(t, 400, invalid)
					rg.assertUnchanged(t, before, kind+" with a garbage attestation")
				}
			}
		})

		t.Run("replayed finish", func(t *testing.T) {
			// Sign-up: the same answer twice creates one account.
			b := rg.newBrowser(t)
			id, options := b.begin("signup", map[string]string{"handle": "bruno", "display_name": "Bruno"})
			_, body := b.auth.create(t, options, 0, ceremonyTweaks{})
			cookie := b.ceremonyCookie()
			b.finish("signup", id, body).wantOK(t)
			before := rg.snapshot(t)
			b.setCeremonyCookie(cookie)
			b.finish("signup", id, body).wantRefused(t, 400, expired)
			rg.assertUnchanged(t, before, "a replayed sign-up")

			// Sign-in: the same assertion twice opens one session.
			signin := rg.newBrowser(t)
			id, options = signin.begin("login", nil)
			body = home.auth.get(t, options, dominique, dominique.count+1, ceremonyTweaks{})
			cookie = signin.ceremonyCookie()
			signin.finish("login", id, body).wantOK(t)
			before = rg.snapshot(t)
			signin.setCeremonyCookie(cookie)
			signin.finish("login", id, body).wantRefused(t, 400, expired)
			rg.assertUnchanged(t, before, "a replayed sign-in")

			// Adding a passkey: the same answer twice adds one.
			id, options = home.begin("add", map[string]string{"passkey_name": "Tablette"})
			tablet, body := home.auth.create(t, options, 0, ceremonyTweaks{})
			cookie = home.ceremonyCookie()
			home.finish("add", id, body).wantOK(t)
			home.auth.keep(tablet)
			before = rg.snapshot(t)
			home.setCeremonyCookie(cookie)
			home.finish("add", id, body).wantRefused(t, 400, expired)
			rg.assertUnchanged(t, before, "a replayed passkey addition")
		})

		t.Run("ceremony of another browser", func(t *testing.T) {
			a, b := rg.newBrowser(t), rg.newBrowser(t)
			id, options := a.begin("signup", map[string]string{"handle": "chloe", "display_name": "Chloé"})
			_, body := a.auth.create(t, options, 0, ceremonyTweaks{})
			b.begin("signup", map[string]string{"handle": "chloe", "display_name": "Chloé"}) // b has a ceremony cookie of its own
			before := rg.snapshot(t)
			b.finish("signup", id, body).wantRefused(t, 400, expired)
			rg.newBrowser(t).finish("signup", id, body).wantRefused(t, 400, expired) // no cookie at all
			rg.assertUnchanged(t, before, "a sign-up finished by another browser")

			// A valid signature from Dominique's passkey, for a ceremony
			// that another browser began, opens no session.
			id, options = a.begin("login", nil)
			body = home.auth.get(t, options, dominique, dominique.count+1, ceremonyTweaks{})
			b.begin("login", nil)
			before = rg.snapshot(t)
			b.finish("login", id, body).wantRefused(t, 400, expired)
			rg.assertUnchanged(t, before, "a sign-in finished by another browser")

			// Even with the stolen cookie, another signed-in account cannot
			// finish Dominique's "add a passkey".
			eve := rg.newBrowser(t)
			eve.signUp("eve", 0)
			id, options = home.begin("add", map[string]string{"passkey_name": "Clé d'Ève"})
			_, body = eve.auth.create(t, options, 0, ceremonyTweaks{})
			eve.setCeremonyCookie(home.ceremonyCookie())
			before = rg.snapshot(t)
			eve.finish("add", id, body).wantRefused(t, 400, expired)
			rg.assertUnchanged(t, before, "an addition finished by another account")
		})

		t.Run("expired ceremony", func(t *testing.T) {
			b := rg.newBrowser(t)
			signupID, options := b.begin("signup", map[string]string{"handle": "damien", "display_name": "Damien"})
			_, signupBody := b.auth.create(t, options, 0, ceremonyTweaks{})
			loginID, options := b.begin("login", nil)
			loginBody := home.auth.get(t, options, dominique, dominique.count+1, ceremonyTweaks{})
			signupCookie := b.ceremonyCookie() // the login begin replaced it
			rg.clock.Advance(accounts.ChallengeTTL + time.Second)
			before := rg.snapshot(t)
			b.finish("login", loginID, loginBody).wantRefused(t, 400, expired)
			b.setCeremonyCookie(signupCookie)
			b.finish("signup", signupID, signupBody).wantRefused(t, 400, expired)
			rg.assertUnchanged(t, before, "expired ceremonies")
		})

		for _, tc := range []struct {
			name string
			tw   ceremonyTweaks
		}{
			{"client data from another origin", ceremonyTweaks{origin: "https://evil.example"}},
			{"client data of the other ceremony", ceremonyTweaks{clientType: "webauthn.bogus"}},
			{"authenticator data for another RP ID", ceremonyTweaks{rpID: "evil.example"}},
			{"user not verified", ceremonyTweaks{flags: flagsOf(0)}}, // create: UP|AT; get: UP
		} {
			t.Run(tc.name, func(t *testing.T) {
				create, get := tc.tw, tc.tw
				if tc.tw.flags != nil {
					create.flags, get.flags = flagsOf(flagUP|flagAT), flagsOf(flagUP)
				}
				b := rg.newBrowser(t)
				id, options := b.begin("signup", map[string]string{"handle": "elise", "display_name": "Élise"})
				_, body := b.auth.create(t, options, 0, create)
				before := rg.snapshot(t)
				b.finish("signup", id, body).wantRefused(t, 400, invalid)
				rg.assertUnchanged(t, before, "a sign-up with "+tc.name)

				for _, handle := range []string{"", "dominique"} {
					id, options = b.begin("login", map[string]string{"handle": handle})
					body = home.auth.get(t, options, dominique, dominique.count+1, get)
					b.finish("login", id, body).wantRefused(t, 400, refused)
					rg.assertUnchanged(t, before, "a sign-in with "+tc.name)
				}

				id, options = home.begin("add", nil)
				_, body = home.auth.create(t, options, 0, create)
				home.finish("add", id, body).wantRefused(t, 400, invalid)
				rg.assertUnchanged(t, before, "an addition with "+tc.name)
			})
		}

		t.Run("signature counter", func(t *testing.T) {
			rg.freshRateLimits()
			b := rg.newBrowser(t)
			start := dominique.count
			b.signIn(home.auth, dominique, start+1, "")
			key := rg.passkey(t, dominique.id)
			if key.SignCount != int64(start+1) || key.LastUsedAt == nil {
				t.Fatalf("after a sign-in: counter %d (want %d), last used %v", key.SignCount, start+1, key.LastUsedAt)
			}
			sessions, warnings := len(rg.sessions(t, acc.ID)), len(rg.audit(t, acc.ID, "passkey.clone_warning"))

			// Going backwards, or not moving, is the mark of a copied
			// passkey: refused, written to the audit log, no session.
			for _, count := range []uint32{start - 5, start + 1} {
				before := rg.snapshot(t)
				id, options := b.begin("login", map[string]string{"handle": "dominique"})
				b.finish("login", id, home.auth.get(t, options, dominique, count, ceremonyTweaks{})).
					wantRefused(t, 400, msg.T("passkey.error.cloned"))
				if got := rg.passkey(t, dominique.id); got.SignCount != key.SignCount || got.LastUsedAt == nil || !got.LastUsedAt.Equal(*key.LastUsedAt) {
					t.Errorf("counter %d: the passkey changed: %+v", count, got)
				}
				if n := len(rg.sessions(t, acc.ID)); n != sessions {
					t.Errorf("counter %d: %d sessions, want %d", count, n, sessions)
				}
				warnings++
				entries := rg.audit(t, acc.ID, "passkey.clone_warning")
				if len(entries) != warnings {
					t.Fatalf("counter %d: %d clone warnings in the audit log, want %d", count, len(entries), warnings)
				}
				if want := fmt.Sprintf("stored=%d received=%d", key.SignCount, count); entries[0].Details != want {
					t.Errorf("clone warning says %q, want %q", entries[0].Details, want)
				}
				// Nothing but that entry was written.
				after := rg.snapshot(t)
				before["audit_log"] = after["audit_log"]
				rg.assertUnchanged(t, before, fmt.Sprintf("a sign-in with counter %d", count))
			}

			// Forward again is fine.
			b.signIn(home.auth, dominique, start+2, "dominique")

			// An authenticator that keeps no counter (always 0) signs in
			// again and again.
			c := rg.newBrowser(t)
			zero := c.signUp("francoise", 0)
			for range 2 {
				c.signIn(c.auth, zero, 0, "")
			}
		})

		t.Run("options ask for a verified, discoverable passkey", func(t *testing.T) {
			b := rg.newBrowser(t)
			_, options := b.begin("signup", map[string]string{"handle": "iris", "display_name": "Iris"})
			var c creationOptions
			if err := json.Unmarshal(options, &c); err != nil {
				t.Fatal(err)
			}
			sel := c.PublicKey.AuthenticatorSelection
			if sel.ResidentKey != "required" || sel.UserVerification != "required" || c.PublicKey.RP.ID != rg.rpID {
				t.Errorf("sign-up options: %s", options)
			}
			_, options = home.begin("add", nil)
			var add creationOptions
			if err := json.Unmarshal(options, &add); err != nil {
				t.Fatal(err)
			}
			if add.PublicKey.AuthenticatorSelection.UserVerification != "required" || len(add.PublicKey.ExcludeCredentials) != len(rg.passkeys(t, acc.ID)) {
				t.Errorf("add options (the account's passkeys must be excluded): %s", options)
			}
			for _, handle := range []string{"", "dominique"} {
				_, options = b.begin("login", map[string]string{"handle": handle})
				var o requestOptions
				if err := json.Unmarshal(options, &o); err != nil {
					t.Fatal(err)
				}
				if o.PublicKey.UserVerification != "required" || o.PublicKey.RPID != rg.rpID {
					t.Errorf("sign-in options (handle %q): %s", handle, options)
				}
			}
		})

		t.Run("synced passkey", func(t *testing.T) {
			// A passkey backed up to the cloud (flags BE and BS), as most
			// are, signs up and signs in.
			rg.freshRateLimits()
			b := rg.newBrowser(t)
			id, options := b.begin("signup", map[string]string{"handle": "jules", "display_name": "Jules"})
			k, body := b.auth.create(t, options, 0, ceremonyTweaks{flags: flagsOf(flagUP | flagUV | flagBE | flagBS | flagAT)})
			b.finish("signup", id, body).wantOK(t)
			id, options = b.begin("login", map[string]string{"handle": "jules"})
			b.finish("login", id, b.auth.get(t, options, k, 0, ceremonyTweaks{flags: flagsOf(flagUP | flagUV | flagBE | flagBS)})).wantOK(t)
			// It cannot claim afterwards not to be backed up: the library
			// refuses a change of backup eligibility.
			before := rg.snapshot(t)
			id, options = b.begin("login", nil)
			b.finish("login", id, b.auth.get(t, options, k, 0, ceremonyTweaks{})).wantRefused(t, 400, refused)
			rg.assertUnchanged(t, before, "a sign-in whose backup eligibility changed")
		})

		t.Run("no user enumeration", func(t *testing.T) {
			rg.freshRateLimits()
			// An account opened at a desk, with no passkey yet.
			if _, err := rg.accounts.Create(context.Background(), accounts.System,
				accounts.NewAccount{Handle: "gaston", DisplayName: "Gaston"}); err != nil {
				t.Fatal(err)
			}
			// Hélène has one passkey, as most residents will.
			rg.newBrowser(t).signUp("helene", 0)
			b := rg.newBrowser(t)
			type answer struct {
				shape []string
				ids   []string
			}
			ask := func(handle string) answer {
				r := b.post("/webauthn/login/begin", jsonOf(map[string]string{"handle": handle}))
				r.wantStatus(t, 200)
				if b.ceremonyCookie() == nil {
					t.Errorf("@%s: no ceremony cookie", handle)
				}
				var v any
				if err := json.Unmarshal(r.body, &v); err != nil {
					t.Fatal(err)
				}
				var o requestOptions
				if err := json.Unmarshal(r.body, &struct {
					Options *requestOptions `json:"options"`
				}{&o}); err != nil {
					t.Fatal(err)
				}
				var a answer
				a.shape = shapeOf("", v)
				for _, c := range o.PublicKey.AllowCredentials {
					a.ids = append(a.ids, c.ID)
				}
				return a
			}
			// No handle, a known one, an unknown one, one without a passkey:
			// the options never list credentials and have one shape.
			known := ask("helene")
			if len(known.ids) != 0 {
				t.Fatalf("a known handle's options list its credentials: %q", known.ids)
			}
			for _, handle := range []string{"", "nobody_here", "gaston"} {
				other := ask(handle)
				if !slices.Equal(other.shape, known.shape) || len(other.ids) != 0 {
					t.Errorf("@%s is told apart from a known handle by the options:\n%s\nknown handle:\n%s",
						handle, strings.Join(other.shape, "\n"), strings.Join(known.shape, "\n"))
				}
				if handle == "" {
					continue
				}
				// Finishing with another account's passkey says what a wrong
				// passkey says.
				id, options := b.begin("login", map[string]string{"handle": handle})
				b.finish("login", id, home.auth.get(t, options, dominique, dominique.count+1, ceremonyTweaks{})).wantRefused(t, 400, refused)
			}
		})
	})
}

// Sign-in attempts are limited per address and per handle; past the
// limit the answer is a 429 with a plain message and Retry-After, and no
// ceremony is started.
func TestPasskeySignInRateLimit(t *testing.T) {
	rg := newAccountsRig(t, "sqlite")
	msg := rg.msg
	b := rg.newBrowser(t)
	for i := range web.LimitPerIP.Max {
		if r := b.post("/webauthn/login/begin", []byte(`{}`)); r.status != 200 {
			t.Fatalf("sign-in begin %d of %d allowed: status %d %s", i+1, web.LimitPerIP.Max, r.status, r.body)
		}
	}
	ceremonies, before := rg.count(t, "webauthn_challenges", ""), rg.snapshot(t)
	r := b.post("/webauthn/login/begin", []byte(`{}`))
	r.wantRefused(t, 429, msg.T("error.429", int(web.LimitPerIP.Window/time.Minute)))
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > int(web.LimitPerIP.Window/time.Second)+1 {
		t.Errorf("Retry-After: %q, want seconds up to the window's %v", r.header.Get("Retry-After"), web.LimitPerIP.Window)
	}
	// A page asked for by a form gets the same message as a page.
	page := b.request("/webauthn/login/begin", []byte(`{}`), "text/html")
	page.wantStatus(t, 429)
	if ct := page.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(page.body), msg.T("error.429", int(web.LimitPerIP.Window/time.Minute))) {
		t.Errorf("a limited page: %s\n%s", ct, page.body)
	}
	if page.header.Get("Retry-After") == "" {
		t.Error("a limited page has no Retry-After")
	}
	if n := rg.count(t, "webauthn_challenges", ""); n != ceremonies {
		t.Errorf("refused begins stored %d ceremonies", n-ceremonies)
	}
	rg.assertUnchanged(t, before, "refused sign-in begins")

	// Another address is not held back.
	rg.newBrowser(t).post("/webauthn/login/begin", []byte(`{}`)).wantOK(t)

	// One handle from many addresses is limited too.
	for i := range web.LimitPerAccount.Max {
		rg.newBrowser(t).post("/webauthn/login/begin", []byte(`{"handle": "Dominique"}`)).wantStatus(t, 200)
		_ = i
	}
	rg.newBrowser(t).post("/webauthn/login/begin", []byte(`{"handle": "dominique "}`)).
		wantRefused(t, 429, msg.T("error.429", int(web.LimitPerAccount.Window/time.Minute)))

	// After the window, the first address may try again.
	rg.clock.Advance(web.LimitPerIP.Window)
	b.post("/webauthn/login/begin", []byte(`{}`)).wantOK(t)
}

// fakeBrowser is a browser for HTTP tests: its own cookies, its own
// address (the tests' handler trusts loopback as a proxy), and its own
// software authenticator.
type fakeBrowser struct {
	t      testing.TB
	rg     *accountsRig
	client *http.Client
	ip     string
	auth   *softAuthenticator
}

var browserSeq atomic.Int32

func (rg *accountsRig) newBrowser(t testing.TB) *fakeBrowser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	n := browserSeq.Add(1)
	return &fakeBrowser{
		t: t, rg: rg,
		client: &http.Client{Jar: jar, Timeout: 10 * time.Second},
		ip:     fmt.Sprintf("198.51.%d.%d", n/250, 1+n%250),
		auth:   &softAuthenticator{origin: rg.base, rpID: rg.rpID},
	}
}

// httpReply is an answer of the handler.
type httpReply struct {
	status int
	header http.Header
	body   []byte
}

func (r httpReply) wantStatus(t testing.TB, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
}

func (r httpReply) wantOK(t testing.TB) {
	t.Helper()
	r.wantStatus(t, 200)
}

// wantRefused checks the status and the message shown to the person.
func (r httpReply) wantRefused(t testing.TB, status int, message string) {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("status %d, body not JSON (%v): %s", r.status, err, r.body)
	}
	if r.status != status || e.Error != message {
		t.Errorf("got %d %q, want %d %q", r.status, e.Error, status, message)
	}
}

// post sends JSON as passkey.js does.
func (b *fakeBrowser) post(path string, body []byte) httpReply {
	b.t.Helper()
	return b.request(path, body, "application/json")
}

func (b *fakeBrowser) request(path string, body []byte, accept string) httpReply {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.rg.base+path, bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)
	req.Header.Set("X-Forwarded-For", b.ip)
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return httpReply{status: resp.StatusCode, header: resp.Header, body: data}
}

// begin starts a ceremony, which must be accepted, and returns its id and
// the options for the authenticator.
func (b *fakeBrowser) begin(kind string, in map[string]string) (string, json.RawMessage) {
	b.t.Helper()
	if in == nil {
		in = map[string]string{}
	}
	if kind != "signup" {
		delete(in, "display_name")
	}
	if kind == "add" {
		delete(in, "handle")
	}
	r := b.post("/webauthn/"+kind+"/begin", jsonOf(in))
	r.wantOK(b.t)
	var out struct {
		Ceremony string          `json:"ceremony"`
		Options  json.RawMessage `json:"options"`
	}
	if err := json.Unmarshal(r.body, &out); err != nil || out.Ceremony == "" {
		b.t.Fatalf("%s begin: %v: %s", kind, err, r.body)
	}
	return out.Ceremony, out.Options
}

func (b *fakeBrowser) finish(kind, ceremony string, body []byte) httpReply {
	b.t.Helper()
	return b.post("/webauthn/"+kind+"/finish?ceremony="+url.QueryEscape(ceremony), body)
}

// signUp opens an account with a new passkey whose counter starts at
// count, and leaves the browser signed in.
func (b *fakeBrowser) signUp(handle string, count uint32) *softKey {
	b.t.Helper()
	id, options := b.begin("signup", map[string]string{"handle": handle, "display_name": strings.ToUpper(handle[:1]) + handle[1:]})
	k, body := b.auth.create(b.t, options, count, ceremonyTweaks{})
	r := b.finish("signup", id, body)
	r.wantOK(b.t)
	if !strings.Contains(string(r.body), "/account/recovery-codes") {
		b.t.Fatalf("sign-up of @%s leads to %s", handle, r.body)
	}
	b.auth.keep(k)
	return k
}

// signIn signs in with key k held by a, its counter at count, the handle
// typed first or not, and checks that a session was opened.
func (b *fakeBrowser) signIn(a *softAuthenticator, k *softKey, count uint32, handle string) {
	b.t.Helper()
	acc, err := b.rg.accounts.ByWebAuthnID(context.Background(), k.userHandle)
	if err != nil {
		b.t.Fatal(err)
	}
	sessions := len(b.rg.sessions(b.t, acc.ID))
	id, options := b.begin("login", map[string]string{"handle": handle})
	b.finish("login", id, a.get(b.t, options, k, count, ceremonyTweaks{})).wantOK(b.t)
	if n := len(b.rg.sessions(b.t, acc.ID)); n != sessions+1 {
		b.t.Errorf("sign-in with counter %d: %d sessions, want %d", count, n, sessions+1)
	}
	if got := b.rg.passkey(b.t, k.id); got.SignCount != int64(count) {
		b.t.Errorf("sign-in with counter %d: stored counter %d", count, got.SignCount)
	}
}

func (b *fakeBrowser) ceremonyCookie() *http.Cookie {
	u, _ := url.Parse(b.rg.base + "/webauthn/")
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == "agora_ceremony" {
			return c
		}
	}
	return nil
}

func (b *fakeBrowser) setCeremonyCookie(c *http.Cookie) {
	b.t.Helper()
	if c == nil {
		b.t.Fatal("no ceremony cookie to set")
	}
	u, _ := url.Parse(b.rg.base + "/webauthn/")
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: c.Value, Path: "/webauthn/"}})
}

// freshRateLimits moves the clock past the sign-in rate-limit windows, for
// a subtest that signs in with a handle the earlier ones used too.
func (rg *accountsRig) freshRateLimits() {
	rg.clock.Advance(max(web.LimitPerIP.Window, web.LimitPerAccount.Window))
}

// passkey returns a stored passkey by id.
func (rg *accountsRig) passkey(t testing.TB, id []byte) accounts.Passkey {
	t.Helper()
	var p accounts.Passkey
	if err := rg.db.NewSelect().Model(&p).Where("id = ?", id).Scan(context.Background()); err != nil {
		t.Fatalf("passkey %x: %v", id, err)
	}
	return p
}

// shapeOf lists the paths of a JSON value, with the type of each leaf:
// two answers with the same shape differ only in their values.
func shapeOf(path string, v any) []string {
	switch v := v.(type) {
	case map[string]any:
		var out []string
		for k, e := range v {
			out = append(out, shapeOf(path+"."+k, e)...)
		}
		slices.Sort(out)
		return out
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, shapeOf(path+"[]", e)...)
		}
		return out
	default:
		return []string{fmt.Sprintf("%s: %T", path, v)}
	}
}

func jsonOf(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
