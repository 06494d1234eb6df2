package frontend

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/storage/storagetest"
)

// onEachDialect runs fn on a fresh node on SQLite and on PostgreSQL, in
// parallel.
func onEachDialect(t *testing.T, fn func(t *testing.T, n *staffNode)) {
	t.Helper()
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		fn(t, newStaffNode(t, dialect))
	})
}

var sheetCode = regexp.MustCompile(`<code class="sheet-code">([^<]+)</code>`)

// codeOnSheet returns the one-time code printed on a setup sheet.
func codeOnSheet(t *testing.T, body string) string {
	t.Helper()
	m := sheetCode.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code on the sheet:\n%s", body)
	}
	return m[1]
}

// cookie returns the cookie of that name the answer sets, or nil.
func cookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

const desk = "Mairie du 15e – guichet 2"

func TestDeskOpensAnAccountWithASetupSheet(t *testing.T) {
	onEachDialect(t, func(t *testing.T, n *staffNode) {
		agentAcc := n.staff[accounts.Agent]
		agent := n.session(t, agentAcc)

		// Bad input: every error next to its field, nothing created.
		accountsBefore, auditBefore := n.count(t, "accounts"), n.count(t, "audit_log")
		w := n.request("POST", "/desk/accounts/new", agent, url.Values{"desk": {""}, "handle": {"Not A Handle"}, "display_name": {""}, "language": {"de"}})
		wantStatus(t, w, http.StatusBadRequest)
		wantBody(t, w, `id="f-desk-error"`, `id="f-handle-error"`, `id="f-display_name-error"`, `id="f-language-error"`,
			"Indiquez le nom du guichet", `value="Not A Handle"`)
		w = n.request("POST", "/desk/accounts/new", agent, url.Values{"desk": {desk}, "handle": {"staff_admin"}, "display_name": {"X"}, "language": {"fr"}})
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, `id="f-handle-error"`, "déjà pris")
		if a, b := n.count(t, "accounts"), n.count(t, "audit_log"); a != accountsBefore || b != auditBefore {
			t.Fatalf("a refused form changed the database: accounts %d→%d, audit %d→%d", accountsBefore, a, auditBefore, b)
		}

		// The account and its sheet.
		w = n.request("POST", "/desk/accounts/new", agent, url.Values{"desk": {desk}, "handle": {"jeanne"}, "display_name": {"Jeanne M."}, "language": {"fr"}})
		wantStatus(t, w, http.StatusOK)
		if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		wantBody(t, w, "Paris 15e", "jeanne", "http://localhost/setup", "ne sert qu’une seule fois", "au guichet de votre mairie")
		code := codeOnSheet(t, w.Body.String())
		if c := cookie(w.Result(), deskCookie); c == nil || c.Value != url.QueryEscape(desk) {
			t.Errorf("desk cookie %v, want the desk name remembered", c)
		}
		jeanne, err := n.svc.ByHandle(t.Context(), "jeanne")
		if err != nil {
			t.Fatal(err)
		}
		created := n.audit(t, accounts.AuditFilter{SubjectID: jeanne.ID, Action: "account.create"})
		if len(created) != 1 || created[0].ActorID != agentAcc.ID || created[0].Desk != desk {
			t.Errorf("account.create entries %+v, want one by the agent at the desk", created)
		}
		issued := n.audit(t, accounts.AuditFilter{SubjectID: jeanne.ID, Action: "code.setup"})
		if len(issued) != 1 || issued[0].ActorID != agentAcc.ID || issued[0].Desk != desk {
			t.Errorf("code.setup entries %+v, want one by the agent at the desk", issued)
		}

		// A new sheet replaces the unused code.
		w = n.request("POST", "/desk/accounts/"+jeanne.ID+"/sheet", agent, url.Values{"desk": {desk}})
		wantStatus(t, w, http.StatusOK)
		newCode := codeOnSheet(t, w.Body.String())
		if newCode == code {
			t.Fatal("the new sheet repeats the old code")
		}
		w = n.request("POST", "/setup", "", url.Values{"handle": {"jeanne"}, "code": {code}})
		wantStatus(t, w, http.StatusBadRequest)

		// The code of the sheet works at /setup, once.
		w = n.request("POST", "/setup", "", url.Values{"handle": {"jeanne"}, "code": {newCode}})
		wantStatus(t, w, http.StatusSeeOther)
		if c := cookie(w.Result(), "agora_session"); c == nil || c.Value == "" {
			t.Error("setup did not sign the resident in")
		}
		w = n.request("POST", "/setup", "", url.Values{"handle": {"jeanne"}, "code": {newCode}})
		wantStatus(t, w, http.StatusBadRequest)

		// A sheet needs a desk name too.
		w = n.request("POST", "/desk/accounts/"+jeanne.ID+"/sheet", agent, url.Values{})
		wantStatus(t, w, http.StatusBadRequest)
		wantBody(t, w, `id="sheet-desk-error"`)
		if strings.Contains(w.Body.String(), "sheet-code") {
			t.Error("a refused sheet shows a code")
		}
	})
}

func TestDeskVerifiesAndRevokesResidency(t *testing.T) {
	onEachDialect(t, func(t *testing.T, n *staffNode) {
		agentAcc := n.staff[accounts.Agent]
		agent := n.session(t, agentAcc)
		resident := n.account(t, "paul")
		page := "/desk/accounts/" + resident.ID

		// Refused: no desk, unknown document. Nothing recorded.
		for _, form := range []url.Values{
			{"document": {"passport"}},
			{"desk": {desk}, "document": {"passport_number_123"}},
			{"desk": {strings.Repeat("x", 101)}, "document": {"passport"}},
		} {
			w := n.request("POST", page+"/verify", agent, form)
			wantStatus(t, w, http.StatusBadRequest)
			wantBody(t, w, `aria-invalid="true"`)
		}
		if got := n.audit(t, accounts.AuditFilter{Action: "residency.verify"}); len(got) != 0 {
			t.Fatalf("refused verifications were recorded: %+v", got)
		}

		w := n.request("POST", page+"/verify", agent, url.Values{"desk": {desk}, "document": {"passport"}})
		wantStatus(t, w, http.StatusSeeOther)
		res, err := n.svc.Residency(t.Context(), resident.ID)
		if err != nil || res == nil || res.Method != accounts.MethodDesk || res.Document != "passport" || res.VerifierID != agentAcc.ID {
			t.Fatalf("residency %+v, %v: want a desk verification with a passport by the agent", res, err)
		}
		entries := n.audit(t, accounts.AuditFilter{Action: "residency.verify"})
		if len(entries) != 1 {
			t.Fatalf("%d residency.verify entries, want 1", len(entries))
		}
		if e := entries[0]; e.ActorID != agentAcc.ID || e.SubjectID != resident.ID || e.Desk != desk || !strings.Contains(e.Details, "document=passport") {
			t.Errorf("audit entry %+v, want agent, resident, desk and document type", e)
		}
		w = n.request("GET", page, agent, nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Vérifiée", "Au guichet", "Passeport", "@staff_agent", "jamais son numéro", desk)

		// Revoking needs a reason, then works once.
		w = n.request("POST", page+"/revoke", agent, url.Values{"desk": {desk}, "reason": {" "}})
		wantStatus(t, w, http.StatusBadRequest)
		wantBody(t, w, `id="f-reason-error"`)
		w = n.request("POST", page+"/revoke", agent, url.Values{"desk": {desk}, "reason": {"a déménagé"}})
		wantStatus(t, w, http.StatusSeeOther)
		if ok, _ := n.svc.IsVerified(t.Context(), resident.ID); ok {
			t.Error("still verified after revocation")
		}
		revoked := n.audit(t, accounts.AuditFilter{Action: "residency.revoke"})
		if len(revoked) != 1 || revoked[0].Reason != "a déménagé" || revoked[0].Desk != desk || revoked[0].ActorID != agentAcc.ID {
			t.Errorf("revoke entries %+v", revoked)
		}
		w = n.request("POST", page+"/revoke", agent, url.Values{"desk": {desk}, "reason": {"encore"}})
		wantStatus(t, w, http.StatusConflict)

		// An unknown resident.
		w = n.request("GET", "/desk/accounts/nobody", agent, nil)
		wantStatus(t, w, http.StatusNotFound)
	})
}

func TestDeskChangesAProfileOnBehalf(t *testing.T) {
	onEachDialect(t, func(t *testing.T, n *staffNode) {
		agentAcc := n.staff[accounts.Agent]
		agent := n.session(t, agentAcc)
		resident := n.account(t, "lucie")
		if err := n.svc.UpdateProfile(t.Context(), accounts.As(resident), resident.ID, accounts.Profile{DisplayName: "Lucie", Language: "fr", Public: true}); err != nil {
			t.Fatal(err)
		}
		page := "/desk/accounts/" + resident.ID

		// The resident must be present: without the box ticked, nothing changes.
		w := n.request("POST", page+"/profile", agent, url.Values{"desk": {desk}, "display_name": {"Lucie B."}, "language": {"en"}})
		wantStatus(t, w, http.StatusBadRequest)
		wantBody(t, w, `id="f-present-error"`, `value="Lucie B."`)
		if acc, _ := n.svc.ByID(t.Context(), resident.ID); acc.DisplayName != "Lucie" {
			t.Fatalf("display name %q changed by a refused form", acc.DisplayName)
		}

		w = n.request("POST", page+"/profile", agent, url.Values{"desk": {desk}, "display_name": {"Lucie B."}, "language": {"en"}, "present": {"on"}})
		wantStatus(t, w, http.StatusSeeOther)
		acc, err := n.svc.ByID(t.Context(), resident.ID)
		if err != nil || acc.DisplayName != "Lucie B." || acc.Language != "en" || !acc.Public {
			t.Fatalf("account %+v, %v: want the new name and language, still public", acc, err)
		}
		entries := n.audit(t, accounts.AuditFilter{SubjectID: resident.ID, Action: "account.profile"})
		if len(entries) != 2 {
			t.Fatalf("%d account.profile entries, want 2", len(entries))
		}
		if e := entries[0]; e.ActorID != agentAcc.ID || e.OnBehalfOf != resident.ID || e.Desk != desk {
			t.Errorf("audit entry %+v, want actor=agent, on_behalf_of=resident, desk", e)
		}

		// The resident sees it in their history, with the agent and the desk.
		w = n.request("GET", "/account/history?lang=fr", n.session(t, acc), nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Modification du profil", "@staff_agent pour @lucie", "au guichet « "+desk+" »")

		// The desk name, remembered in a cookie, fills the next forms.
		c := cookie(n.request("POST", page+"/profile", agent, url.Values{"desk": {desk}, "display_name": {"Lucie B."}, "language": {"en"}, "present": {"on"}}).Result(), deskCookie)
		if c == nil {
			t.Fatal("no desk cookie after an act")
		}
		w = n.request("GET", page, agent, nil, c)
		wantBody(t, w, `id="verify-desk" name="desk" type="text" value="`+desk+`"`)
	})
}

func TestDeskName(t *testing.T) {
	onEachDialect(t, func(t *testing.T, n *staffNode) {
		agent := n.session(t, n.staff[accounts.Agent])
		w := n.request("POST", "/desk/name", agent, url.Values{"desk": {"  "}})
		wantStatus(t, w, http.StatusBadRequest)
		wantBody(t, w, `id="f-desk-error"`)
		w = n.request("POST", "/desk/name", agent, url.Values{"desk": {desk}})
		wantStatus(t, w, http.StatusSeeOther)
		c := cookie(w.Result(), deskCookie)
		if c == nil || c.Path != "/" || !c.HttpOnly { // sent to proposal pages too, for acts on behalf
			t.Fatalf("desk cookie %+v", c)
		}
		w = n.request("GET", "/desk?q=staff_", agent, nil, c)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `value="`+desk+`"`, "@staff_agent", "Non vérifiée", `scope="col"`)
	})
}
