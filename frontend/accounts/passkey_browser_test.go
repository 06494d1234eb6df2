package accounts_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdpwebauthn "github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"agora/frontend/browsertest"
	"agora/instances/accounts"
	"agora/storage/storagetest"
)

// The passkey journey of a resident, as a person goes through it in
// Chromium with a platform authenticator (the CDP virtual one: CTAP2,
// internal, resident keys, user verification), through the pages and
// passkey.js, against the real handler and accounts service: sign up,
// recovery codes, sign out, sign in (discoverable, then handle first), a
// second passkey from another device, removal, a recovery code. Every
// page met passes axe-core in French, and the main ones in English too.
// The database is checked at each step through the service.
func TestPasskeyJourneyInBrowser(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		b := browsertest.New(t, browsertest.Timeout(3*time.Minute))
		rg := newAccountsRig(t, dialect)
		j := &journey{t: t, b: b, rg: rg}
		if os.Getenv(browsertest.EnvAxe) == "" && !storagetest.Required() {
			t.Logf("%s is not set: the journey runs without the accessibility checks", browsertest.EnvAxe)
		}
		msg := rg.msg
		ctx := context.Background()

		// The public pages, in English first (French below, on the way).
		for _, p := range []string{"/signup", "/login", "/recover"} {
			j.visit(p + "?lang=en")
		}

		// Sign up: handle and display name, then a passkey on "the phone".
		phone := b.VirtualAuthenticator()
		j.visit("/signup?lang=fr")
		b.Fill("#f-handle", "camille")
		b.Fill("#f-display_name", "Camille D.")
		j.ceremony("main form[data-passkey=signup]", "/account/recovery-codes?welcome=1")
		j.accessible()
		j.pageSays(msg.T("recovery.welcome"))

		acc := rg.account(t, "camille")
		if acc.DisplayName != "Camille D." || acc.Language != "fr" {
			t.Errorf("account: display name %q, language %q", acc.DisplayName, acc.Language)
		}
		keys := rg.passkeys(t, acc.ID)
		if len(keys) != 1 {
			t.Fatalf("%d passkeys after sign-up, want 1", len(keys))
		}
		phoneKey := keys[0]
		creds := phone.Credentials()
		if len(creds) != 1 || !bytes.Equal(creds[0].CredentialID, phoneKey.ID) || !bytes.Equal(creds[0].UserHandle, acc.WebAuthnID) ||
			creds[0].RpID != rg.rpID || !creds[0].IsResidentCredential {
			t.Fatalf("the authenticator holds %+v; the server stored id %x for user handle %x", creds, phoneKey.ID, acc.WebAuthnID)
		}
		if phoneKey.Name != "Chrome / Linux" || phoneKey.LastUsedAt != nil {
			t.Errorf("passkey after sign-up: name %q (want the browser's, Chrome / Linux), last used %v (want never)", phoneKey.Name, phoneKey.LastUsedAt)
		}
		j.wantSessions(acc.ID, "passkey")
		j.wantAudit(acc.ID, map[string]int{"account.create": 1, "passkey.add": 1, "session.start": 1})
		if n := rg.recoveryLeft(t, acc.ID); n != 0 {
			t.Errorf("%d recovery codes before any was made", n)
		}

		// Generate the recovery codes and read them off the page.
		if status := b.Submit(`main form[action="/account/recovery-codes"] button[type=submit]`); status != 200 {
			t.Fatalf("generate recovery codes: status %d", status)
		}
		j.accessible()
		codes := pkRun(t, b, "read the recovery codes",
			chromedp.Evaluate[[]string](`[...document.querySelectorAll("main ol.codes code")].map(c => c.textContent)`))
		if len(codes) != accounts.RecoveryCodeCount {
			t.Fatalf("the page shows %d recovery codes, want %d: %q", len(codes), accounts.RecoveryCodeCount, codes)
		}
		for _, c := range codes {
			if !regexp.MustCompile(`^[0-9a-z]{4}(-[0-9a-z]{4}){3}$`).MatchString(c) {
				t.Errorf("recovery code %q is not xxxx-xxxx-xxxx-xxxx", c)
			}
		}
		if n := rg.recoveryLeft(t, acc.ID); n != accounts.RecoveryCodeCount {
			t.Errorf("%d recovery codes stored, want %d", n, accounts.RecoveryCodeCount)
		}
		j.wantAudit(acc.ID, map[string]int{"recovery.new": 1})
		// The signed-in pages in English too.
		j.visit("/account/recovery-codes?lang=en")
		j.visit("/account?lang=en")
		j.visit("/account/recovery-codes?lang=fr")

		// Sign out with the button in the header.
		j.signOut(acc.ID)

		// Sign in with the passkey the device offers: no handle typed.
		j.visit("/login?lang=fr")
		j.ceremony("main form[data-passkey=login]:not(:has(#f-handle))", "/account")
		j.accessible()
		j.pageSays(msg.T("account.handle_is", "camille"))
		j.wantSessions(acc.ID, "passkey")
		phoneKey = j.wantUsed(acc.ID, phone, phoneKey, "discoverable sign-in")

		// Sign out, and in again with the handle typed first.
		j.signOut(acc.ID)
		j.visit("/login?lang=fr")
		b.Fill("#f-handle", "camille")
		j.ceremony("main form:has(#f-handle)", "/account")
		j.accessible()
		j.wantSessions(acc.ID, "passkey")
		phoneKey = j.wantUsed(acc.ID, phone, phoneKey, "handle-first sign-in")
		j.wantAudit(acc.ID, map[string]int{"session.start": 3})

		// Add a second passkey, named, from another device: the phone is
		// put away (its passkey is kept to plug it in again later).
		phoneCreds := j.unplug(phone)
		laptop := b.VirtualAuthenticator()
		j.visit("/account?lang=fr")
		b.Fill("#f-passkey_name", "Clé USB de Camille")
		j.ceremony("main form[data-passkey=add]", "/account?done=passkey_added#passkeys")
		j.accessible()
		j.pageSays(msg.T("account.done.passkey_added"))
		keys = rg.passkeys(t, acc.ID)
		if len(keys) != 2 || keys[1].Name != "Clé USB de Camille" || keys[1].LastUsedAt != nil {
			t.Fatalf("passkeys after adding one: %+v", keys)
		}
		laptopKey := keys[1]
		if lc := laptop.Credentials(); len(lc) != 1 || !bytes.Equal(lc[0].CredentialID, laptopKey.ID) {
			t.Fatalf("the second authenticator holds %+v, the server stored %x", lc, laptopKey.ID)
		}
		j.wantAudit(acc.ID, map[string]int{"passkey.add": 2})

		// Sign in with the new one, so both have been used.
		j.signOut(acc.ID)
		j.visit("/login?lang=fr")
		j.ceremony("main form[data-passkey=login]:not(:has(#f-handle))", "/account")
		j.accessible()
		laptopKey = j.wantUsed(acc.ID, laptop, laptopKey, "sign-in with the second passkey")

		// Both are listed, each with its last use.
		j.visit("/account?lang=fr")
		cards := j.passkeyCards()
		if len(cards) != 2 {
			t.Fatalf("the account page lists %d passkeys, want 2: %q", len(cards), cards)
		}
		lastUsed := strings.SplitN(msg.T("passkey.last_used", "%"), "%", 2)[0]
		for i, name := range []string{phoneKey.Name, "Clé USB de Camille"} {
			if !strings.Contains(cards[i], name) || !strings.Contains(cards[i], lastUsed) {
				t.Errorf("passkey %d on the page: %q, want its name %q and %q…", i, cards[i], name, lastUsed)
			}
		}

		// Remove the second one: it is gone from the page and the database.
		removeKey := base64.RawURLEncoding.EncodeToString(laptopKey.ID)
		if status := b.Submit(`main form[action="/account/passkeys/` + removeKey + `/remove"] button[type=submit]`); status != 200 {
			t.Fatalf("remove the passkey: status %d", status)
		}
		j.pageSays("Supprimer la clé d’accès « Clé USB de Camille » ?")
		j.accessible()
		if status := b.Submit(`main form button.primary`); status != 200 {
			t.Fatalf("confirm the removal: status %d", status)
		}
		j.accessible()
		j.pageSays(msg.T("account.done.passkey_removed"))
		if cards := j.passkeyCards(); len(cards) != 1 || strings.Contains(cards[0], "Clé USB") {
			t.Errorf("after removal the page lists %q", cards)
		}
		if keys := rg.passkeys(t, acc.ID); len(keys) != 1 || !bytes.Equal(keys[0].ID, phoneKey.ID) {
			t.Errorf("passkeys after removal: %+v", keys)
		}
		j.wantAudit(acc.ID, map[string]int{"passkey.remove": 1})

		// The removed passkey no longer signs in, and that changes nothing.
		j.signOut(acc.ID)
		j.visit("/login?lang=fr")
		before := rg.snapshot(t)
		if got := j.ceremonyRefused("main form[data-passkey=login]:not(:has(#f-handle))"); got != msg.T("passkey.error.refused") {
			t.Errorf("sign-in with the removed passkey: the page says %q, want %q", got, msg.T("passkey.error.refused"))
		}
		j.accessible()
		rg.assertUnchanged(t, before, "a sign-in with a removed passkey")

		// The first one still does.
		j.unplug(laptop)
		phone = j.plugIn(phoneCreds)
		j.visit("/login?lang=fr")
		j.ceremony("main form[data-passkey=login]:not(:has(#f-handle))", "/account")
		j.accessible()
		j.wantSessions(acc.ID, "passkey")
		j.wantUsed(acc.ID, phone, phoneKey, "sign-in after the removal")

		// Lost passkey: sign in with a recovery code, typed sloppily.
		j.signOut(acc.ID)
		j.visit("/recover?lang=fr")
		b.Fill("#f-handle", "camille")
		b.Fill("#f-code", strings.ToUpper(strings.ReplaceAll(codes[3], "-", " ")))
		if status := b.Submit(`main form[action="/recover"] button[type=submit]`); status != 200 {
			t.Fatalf("recovery code: status %d", status)
		}
		j.wantPath("/account?done=add_passkey#passkeys")
		j.accessible()
		j.pageSays(msg.T("account.done.add_passkey"))
		if n := pkRun(t, b, "find the add-passkey form", chromedp.Evaluate[int](`document.querySelectorAll("main form[data-passkey=add]").length`)); n != 1 {
			t.Errorf("after a recovery sign-in the page has %d add-passkey forms, want 1", n)
		}
		j.wantSessions(acc.ID, "recovery")
		if n := rg.recoveryLeft(t, acc.ID); n != accounts.RecoveryCodeCount-1 {
			t.Errorf("%d recovery codes left after using one, want %d", n, accounts.RecoveryCodeCount-1)
		}
		j.wantAudit(acc.ID, map[string]int{"recovery.use": 1})

		// The same code a second time is refused, and changes nothing.
		j.signOut(acc.ID)
		j.visit("/recover?lang=fr")
		b.Fill("#f-handle", "camille")
		b.Fill("#f-code", codes[3])
		before = rg.snapshot(t)
		if status := b.Submit(`main form[action="/recover"] button[type=submit]`); status != 400 {
			t.Fatalf("a used recovery code: status %d, want 400", status)
		}
		j.accessible()
		j.pageSays(msg.T("account.error.code"))
		rg.assertUnchanged(t, before, "a used recovery code")
		if list := rg.sessions(t, acc.ID); len(list) != 0 {
			t.Errorf("a used recovery code opened a session: %+v", list)
		}

		// The whole story, as the audit log tells it.
		if _, err := rg.accounts.ByID(ctx, acc.ID); err != nil {
			t.Fatal(err)
		}
		j.wantAudit(acc.ID, map[string]int{
			"account.create": 1, "passkey.add": 2, "passkey.remove": 1, "recovery.new": 1, "recovery.use": 1,
			"session.start": 6, "passkey.clone_warning": 0,
		})
	})
}

// journey holds what the steps of a browser test share.
type journey struct {
	t  *testing.T
	b  *browsertest.Browser
	rg *accountsRig
}

// accessible checks the page with axe-core. Without AGORA_TEST_AXE (and
// outside CI) the journey still runs, without this check.
func (j *journey) accessible() {
	j.t.Helper()
	if os.Getenv(browsertest.EnvAxe) == "" && !storagetest.Required() {
		return
	}
	j.b.AssertAccessible()
}

// visit opens a page and checks it with axe-core.
func (j *journey) visit(path string) {
	j.t.Helper()
	j.b.Open(j.rg.base + path)
	j.accessible()
}

// pageSays fails unless the main part of the page shows text.
func (j *journey) pageSays(text string) {
	j.t.Helper()
	if main := j.b.Text("main"); !strings.Contains(main, text) {
		j.t.Errorf("%s does not say %q; it says:\n%s", j.b.URL(), text, main)
	}
}

// wantPath fails unless the tab shows path (with query and fragment).
func (j *journey) wantPath(path string) {
	j.t.Helper()
	if u := j.b.URL(); u != j.rg.base+path {
		j.t.Fatalf("the tab is on %s, want %s", u, j.rg.base+path)
	}
}

// signOut signs out with the button in the header and checks that the
// session is gone.
func (j *journey) signOut(accountID string) {
	j.t.Helper()
	if status := j.b.Submit(`header form[action="/logout"] button[type=submit]`); status != 200 {
		j.t.Fatalf("sign out: status %d", status)
	}
	j.wantPath("/?signed_out=1")
	j.accessible()
	if header := j.b.Text("header"); !strings.Contains(header, j.rg.msg.T("site.login")) {
		j.t.Errorf("after signing out the header says %q", header)
	}
	if list := j.rg.sessions(j.t, accountID); len(list) != 0 {
		j.t.Errorf("%d sessions left after signing out", len(list))
	}
}

// wantSessions fails unless the account has exactly one session, opened
// via how.
func (j *journey) wantSessions(accountID, via string) {
	j.t.Helper()
	list := j.rg.sessions(j.t, accountID)
	if len(list) != 1 || list[0].Via != via || list[0].Device != "Chrome / Linux" {
		j.t.Errorf("sessions: %+v, want one via %s from Chrome / Linux", list, via)
	}
}

// wantAudit checks how many entries of each action the account's audit
// log holds.
func (j *journey) wantAudit(accountID string, want map[string]int) {
	j.t.Helper()
	got := map[string]int{}
	for _, e := range j.rg.audit(j.t, accountID, "") {
		got[e.Action]++
	}
	for action, n := range want {
		if got[action] != n {
			j.t.Errorf("audit log: %d %s, want %d (all: %v)", got[action], action, n, got)
		}
	}
}

// wantUsed checks that the passkey prev was just used: its stored
// signature counter grew and is the authenticator's, and its last use
// moved forward. It returns the passkey as stored now.
func (j *journey) wantUsed(accountID string, a *browsertest.Authenticator, prev accounts.Passkey, what string) accounts.Passkey {
	j.t.Helper()
	var now accounts.Passkey
	for _, k := range j.rg.passkeys(j.t, accountID) {
		if bytes.Equal(k.ID, prev.ID) {
			now = k
		}
	}
	if now.ID == nil {
		j.t.Fatalf("%s: passkey %x is gone", what, prev.ID)
	}
	var held float64 = -1
	for _, c := range a.Credentials() {
		if bytes.Equal(c.CredentialID, prev.ID) {
			held = c.SignCount
		}
	}
	if now.SignCount <= prev.SignCount || float64(now.SignCount) != held {
		j.t.Errorf("%s: stored signature counter %d (before %d), the authenticator's is %v", what, now.SignCount, prev.SignCount, held)
	}
	if now.LastUsedAt == nil || (prev.LastUsedAt != nil && !now.LastUsedAt.After(*prev.LastUsedAt)) {
		j.t.Errorf("%s: last used %v, before %v", what, now.LastUsedAt, prev.LastUsedAt)
	}
	return now
}

// passkeyCards returns the text of each passkey listed on the account
// page.
func (j *journey) passkeyCards() []string {
	j.t.Helper()
	return pkRun(j.t, j.b, "read the passkeys listed",
		chromedp.Evaluate[[]string](`[...document.querySelectorAll("section[aria-labelledby=passkeys] ul.cards > li")].map(li => li.innerText)`))
}

// ceremony clicks the submit button of the passkey form that form
// selects, lets passkey.js run the ceremony with the virtual
// authenticator, and checks the page it lands on. When the ceremony
// fails, the test fails with the message the page shows.
func (j *journey) ceremony(form, wantPath string) {
	j.t.Helper()
	if _, failed := j.runCeremony(form); failed != "" {
		j.t.Fatalf("passkey ceremony of %s failed; the page says %q", form, failed)
	}
	j.wantPath(wantPath)
}

// ceremonyRefused runs a ceremony that must fail, and returns the message
// the page shows next to the button.
func (j *journey) ceremonyRefused(form string) string {
	j.t.Helper()
	u, failed := j.runCeremony(form)
	if failed == "" {
		j.t.Fatalf("passkey ceremony of %s succeeded (landed on %s), want it refused", form, u)
	}
	return failed
}

func (j *journey) runCeremony(form string) (landed, failed string) {
	j.t.Helper()
	start := j.b.URL()
	j.b.Click(form + " button[type=submit]")
	type state struct {
		Href   string `json:"href"`
		Ready  string `json:"ready"`
		Status string `json:"status"`
		Busy   bool   `json:"busy"`
	}
	sel, _ := json.Marshal(form)
	js := `(() => {
		const f = document.querySelector(` + string(sel) + `);
		return {
			href: location.href,
			ready: document.readyState,
			status: f ? f.querySelector(".passkey-status").textContent : "",
			busy: f ? f.querySelector("button[type=submit]").disabled : false,
		};
	})()`
	working := j.rg.msg.T("passkey.working")
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(j.b.Context(), 2*time.Second)
		st, err := chromedp.Run(ctx, chromedp.Evaluate[state](js))
		cancel()
		switch {
		case err != nil:
			// The tab is between two documents; ask again.
		case st.Href != start && st.Ready == "complete":
			return st.Href, ""
		case st.Href == start && !st.Busy && st.Status != "" && st.Status != working:
			return "", st.Status
		}
		time.Sleep(25 * time.Millisecond)
	}
	j.t.Fatalf("passkey ceremony of %s on %s: neither a new page nor a message after 10 s", form, start)
	return "", ""
}

// unplug takes an authenticator away from the tab and returns the
// passkeys it held, to plug them in again later.
func (j *journey) unplug(a *browsertest.Authenticator) []*cdpwebauthn.Credential {
	j.t.Helper()
	creds := a.Credentials()
	pkRun(j.t, j.b, "remove a virtual authenticator", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdpwebauthn.RemoveVirtualAuthenticator, cdpwebauthn.RemoveVirtualAuthenticatorParams{AuthenticatorID: a.ID})
		return err
	}))
	return creds
}

// plugIn attaches a new virtual authenticator holding creds.
func (j *journey) plugIn(creds []*cdpwebauthn.Credential) *browsertest.Authenticator {
	j.t.Helper()
	a := j.b.VirtualAuthenticator()
	for _, c := range creds {
		p := addCredentialParams{AuthenticatorID: a.ID}
		p.Credential.CredentialID, p.Credential.IsResidentCredential, p.Credential.RpID = c.CredentialID, c.IsResidentCredential, c.RpID
		p.Credential.PrivateKey, p.Credential.UserHandle, p.Credential.SignCount = c.PrivateKey, c.UserHandle, c.SignCount
		p.Credential.UserName, p.Credential.UserDisplayName = c.UserName, c.UserDisplayName
		pkRun(j.t, j.b, "add a credential", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, addCredential, p)
			return err
		}))
	}
	return a
}

// addCredential is WebAuthn.addCredential without the CMTG fields, which
// cdproto always sends and Chromium refuses for a CTAP2 authenticator.
var addCredential = cdp.Command[addCredentialParams, cdp.Empty]{Method: cdpwebauthn.CommandAddCredential}

type addCredentialParams struct {
	AuthenticatorID cdpwebauthn.AuthenticatorID `json:"authenticatorId"`
	Credential      struct {
		CredentialID         []byte  `json:"credentialId"`
		IsResidentCredential bool    `json:"isResidentCredential"`
		RpID                 string  `json:"rpId"`
		PrivateKey           []byte  `json:"privateKey"`
		UserHandle           []byte  `json:"userHandle,omitempty"`
		SignCount            float64 `json:"signCount"`
		UserName             string  `json:"userName,omitempty"`
		UserDisplayName      string  `json:"userDisplayName,omitempty"`
	} `json:"credential"`
}

// run runs one chromedp action in the tab, with a time limit.
func pkRun[T any](t testing.TB, b *browsertest.Browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Context(), 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}
