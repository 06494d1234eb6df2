package desk_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
)

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

func TestDeskOpensAnAccountWithASetupSheet(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewStaffNode, func(t *testing.T, n *frontendtest.Node) {
		agentAcc := n.Staff[accounts.Agent]
		agent := n.Session(t, agentAcc)

		// Bad input: every error next to its field, nothing created.
		accountsBefore, auditBefore := n.Count(t, "accounts"), n.Count(t, "audit_log")
		w := n.Request("POST", "/desk/accounts/new", agent, url.Values{"desk": {""}, "handle": {"Not A Handle"}, "display_name": {""}, "language": {"de"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-desk-error"`, `id="f-handle-error"`, `id="f-display_name-error"`, `id="f-language-error"`,
			"Indiquez le nom du guichet", `value="Not A Handle"`)
		w = n.Request("POST", "/desk/accounts/new", agent, url.Values{"desk": {frontendtest.Desk}, "handle": {"staff_admin"}, "display_name": {"X"}, "language": {"fr"}})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, `id="f-handle-error"`, "déjà pris")
		if a, b := n.Count(t, "accounts"), n.Count(t, "audit_log"); a != accountsBefore || b != auditBefore {
			t.Fatalf("a refused form changed the database: accounts %d→%d, audit %d→%d", accountsBefore, a, auditBefore, b)
		}

		// The account and its sheet.
		w = n.Request("POST", "/desk/accounts/new", agent, url.Values{"desk": {frontendtest.Desk}, "handle": {"jeanne"}, "display_name": {"Jeanne M."}, "language": {"fr"}})
		frontendtest.WantStatus(t, w, http.StatusOK)
		if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		frontendtest.WantBody(t, w, "Paris 15e", "jeanne", "http://localhost/setup", "ne sert qu’une seule fois", "au guichet de votre mairie")
		code := codeOnSheet(t, w.Body.String())
		if c := frontendtest.Cookie(w.Result(), "agora_desk"); c == nil || c.Value != url.QueryEscape(frontendtest.Desk) {
			t.Errorf("desk cookie %v, want the desk name remembered", c)
		}
		jeanne, err := n.Accounts.ByHandle(t.Context(), "jeanne")
		if err != nil {
			t.Fatal(err)
		}
		created := n.Audit(t, accounts.AuditFilter{SubjectID: jeanne.ID, Action: "account.create"})
		if len(created) != 1 || created[0].ActorID != agentAcc.ID || created[0].Desk != frontendtest.Desk {
			t.Errorf("account.create entries %+v, want one by the agent at the desk", created)
		}
		issued := n.Audit(t, accounts.AuditFilter{SubjectID: jeanne.ID, Action: "code.setup"})
		if len(issued) != 1 || issued[0].ActorID != agentAcc.ID || issued[0].Desk != frontendtest.Desk {
			t.Errorf("code.setup entries %+v, want one by the agent at the desk", issued)
		}

		// A new sheet replaces the unused code.
		w = n.Request("POST", "/desk/accounts/"+jeanne.ID+"/sheet", agent, url.Values{"desk": {frontendtest.Desk}})
		frontendtest.WantStatus(t, w, http.StatusOK)
		newCode := codeOnSheet(t, w.Body.String())
		if newCode == code {
			t.Fatal("the new sheet repeats the old code")
		}
		w = n.Request("POST", "/setup", "", url.Values{"handle": {"jeanne"}, "code": {code}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)

		// The code of the sheet works at /setup, once.
		w = n.Request("POST", "/setup", "", url.Values{"handle": {"jeanne"}, "code": {newCode}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if c := frontendtest.Cookie(w.Result(), "agora_session"); c == nil || c.Value == "" {
			t.Error("setup did not sign the resident in")
		}
		w = n.Request("POST", "/setup", "", url.Values{"handle": {"jeanne"}, "code": {newCode}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)

		// A sheet needs a desk name too.
		w = n.Request("POST", "/desk/accounts/"+jeanne.ID+"/sheet", agent, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="sheet-desk-error"`)
		if strings.Contains(w.Body.String(), "sheet-code") {
			t.Error("a refused sheet shows a code")
		}
	})
}

func TestDeskVerifiesAndRevokesResidency(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewStaffNode, func(t *testing.T, n *frontendtest.Node) {
		agentAcc := n.Staff[accounts.Agent]
		agent := n.Session(t, agentAcc)
		resident := n.Account(t, "paul")
		page := "/desk/accounts/" + resident.ID

		// Refused: no desk, unknown document. Nothing recorded.
		for _, form := range []url.Values{
			{"document": {"passport"}},
			{"desk": {frontendtest.Desk}, "document": {"passport_number_123"}},
			{"desk": {strings.Repeat("x", 101)}, "document": {"passport"}},
			{"desk": {frontendtest.Desk}, "document": {"passport"}, "birth_date": {"2001-02-30"}},
		} {
			w := n.Request("POST", page+"/verify", agent, form)
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			frontendtest.WantBody(t, w, `aria-invalid="true"`)
		}
		if got := n.Audit(t, accounts.AuditFilter{Action: "residency.verify"}); len(got) != 0 {
			t.Fatalf("refused verifications were recorded: %+v", got)
		}

		// The district list appears once the node has districts.
		w := n.Request("GET", page, agent, nil)
		frontendtest.WantNoBody(t, w, `name="district"`)
		if err := n.Accounts.SetDistricts(t.Context(), accounts.System, []string{"Necker", "Grenelle"}); err != nil {
			t.Fatal(err)
		}
		w = n.Request("GET", page, agent, nil)
		frontendtest.WantBody(t, w, `name="birth_date" type="date"`, `name="district"`, `<option value="Grenelle">Grenelle</option>`)
		w = n.Request("POST", page+"/verify", agent, url.Values{"desk": {frontendtest.Desk}, "document": {"passport"}, "district": {"Atlantis"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-district-error"`, "pas un quartier du site")
		if res, _ := n.Accounts.Residency(t.Context(), resident.ID); res != nil {
			t.Fatal("a refused verification recorded a residency")
		}

		w = n.Request("POST", page+"/verify", agent, url.Values{"desk": {frontendtest.Desk}, "document": {"passport"},
			"birth_date": {"1990-04-12"}, "district": {"Grenelle"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		res, err := n.Accounts.Residency(t.Context(), resident.ID)
		if err == nil && res != nil && (res.BirthDate != 19900412 || res.District != "Grenelle") {
			t.Errorf("residency recorded birth %d district %q, want 19900412 and Grenelle", res.BirthDate, res.District)
		}
		if err != nil || res == nil || res.Method != accounts.MethodDesk || res.Document != "passport" || res.VerifierID != agentAcc.ID {
			t.Fatalf("residency %+v, %v: want a desk verification with a passport by the agent", res, err)
		}
		entries := n.Audit(t, accounts.AuditFilter{Action: "residency.verify"})
		if len(entries) != 1 {
			t.Fatalf("%d residency.verify entries, want 1", len(entries))
		}
		if e := entries[0]; e.ActorID != agentAcc.ID || e.SubjectID != resident.ID || e.Desk != frontendtest.Desk || !strings.Contains(e.Details, "document=passport") ||
			!strings.Contains(e.Details, "birth_date=recorded") || strings.Contains(e.Details, "1990") {
			t.Errorf("audit entry %+v, want agent, resident, desk and document type", e)
		}
		w = n.Request("GET", page, agent, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Vérifiée", "Au guichet", "Passeport", "@staff_agent", "jamais son numéro", frontendtest.Desk,
			"<dt>Quartier</dt><dd>Grenelle</dd>")

		// Revoking needs a reason, then works once.
		w = n.Request("POST", page+"/revoke", agent, url.Values{"desk": {frontendtest.Desk}, "reason": {" "}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-reason-error"`)
		w = n.Request("POST", page+"/revoke", agent, url.Values{"desk": {frontendtest.Desk}, "reason": {"a déménagé"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if ok, _ := n.Accounts.IsVerified(t.Context(), resident.ID); ok {
			t.Error("still verified after revocation")
		}
		revoked := n.Audit(t, accounts.AuditFilter{Action: "residency.revoke"})
		if len(revoked) != 1 || revoked[0].Reason != "a déménagé" || revoked[0].Desk != frontendtest.Desk || revoked[0].ActorID != agentAcc.ID {
			t.Errorf("revoke entries %+v", revoked)
		}
		w = n.Request("POST", page+"/revoke", agent, url.Values{"desk": {frontendtest.Desk}, "reason": {"encore"}})
		frontendtest.WantStatus(t, w, http.StatusConflict)

		// An unknown resident.
		w = n.Request("GET", "/desk/accounts/nobody", agent, nil)
		frontendtest.WantStatus(t, w, http.StatusNotFound)
	})
}

func TestDeskChangesAProfileOnBehalf(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewStaffNode, func(t *testing.T, n *frontendtest.Node) {
		agentAcc := n.Staff[accounts.Agent]
		agent := n.Session(t, agentAcc)
		resident := n.Account(t, "lucie")
		if err := n.Accounts.UpdateProfile(t.Context(), accounts.As(resident), resident.ID, accounts.Profile{DisplayName: "Lucie", Language: "fr", Public: true}); err != nil {
			t.Fatal(err)
		}
		page := "/desk/accounts/" + resident.ID

		// The resident must be present: without the box ticked, nothing changes.
		w := n.Request("POST", page+"/profile", agent, url.Values{"desk": {frontendtest.Desk}, "display_name": {"Lucie B."}, "language": {"en"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-present-error"`, `value="Lucie B."`)
		if acc, _ := n.Accounts.ByID(t.Context(), resident.ID); acc.DisplayName != "Lucie" {
			t.Fatalf("display name %q changed by a refused form", acc.DisplayName)
		}

		w = n.Request("POST", page+"/profile", agent, url.Values{"desk": {frontendtest.Desk}, "display_name": {"Lucie B."}, "language": {"en"}, "present": {"on"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		acc, err := n.Accounts.ByID(t.Context(), resident.ID)
		if err != nil || acc.DisplayName != "Lucie B." || acc.Language != "en" || !acc.Public {
			t.Fatalf("account %+v, %v: want the new name and language, still public", acc, err)
		}
		entries := n.Audit(t, accounts.AuditFilter{SubjectID: resident.ID, Action: "account.profile"})
		if len(entries) != 2 {
			t.Fatalf("%d account.profile entries, want 2", len(entries))
		}
		if e := entries[0]; e.ActorID != agentAcc.ID || e.OnBehalfOf != resident.ID || e.Desk != frontendtest.Desk {
			t.Errorf("audit entry %+v, want actor=agent, on_behalf_of=resident, desk", e)
		}

		// The resident sees it in their history, with the agent and the desk.
		w = n.Request("GET", "/account/history?lang=fr", n.Session(t, acc), nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Modification du profil", "@staff_agent pour @lucie", "au guichet « "+frontendtest.Desk+" »")

		// The desk name, remembered in a cookie, fills the next forms.
		c := frontendtest.Cookie(n.Request("POST", page+"/profile", agent, url.Values{"desk": {frontendtest.Desk}, "display_name": {"Lucie B."}, "language": {"en"}, "present": {"on"}}).Result(), "agora_desk")
		if c == nil {
			t.Fatal("no desk cookie after an act")
		}
		w = n.Request("GET", page, agent, nil, c)
		frontendtest.WantBody(t, w, `id="verify-desk" name="desk" type="text" value="`+frontendtest.Desk+`"`)
	})
}

func TestDeskName(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewStaffNode, func(t *testing.T, n *frontendtest.Node) {
		agent := n.Session(t, n.Staff[accounts.Agent])
		w := n.Request("POST", "/desk/name", agent, url.Values{"desk": {"  "}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-desk-error"`)
		w = n.Request("POST", "/desk/name", agent, url.Values{"desk": {frontendtest.Desk}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		c := frontendtest.Cookie(w.Result(), "agora_desk")
		if c == nil || c.Path != "/" || !c.HttpOnly { // sent to proposal pages too, for acts on behalf
			t.Fatalf("desk cookie %+v", c)
		}
		w = n.Request("GET", "/desk?q=staff_", agent, nil, c)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `value="`+frontendtest.Desk+`"`, "@staff_agent", "Non vérifiée", `scope="col"`)
	})
}

// A staff account shown at the desk has no form to act on it, and a post
// made anyway is refused with the reason, nothing changed.
func TestDeskStaffAccount(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewStaffNode, func(t *testing.T, n *frontendtest.Node) {
		agent := n.Session(t, n.Staff[accounts.Agent])
		page := "/desk/accounts/" + n.Staff[accounts.Admin].ID
		w := n.Request("GET", page, agent, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Compte du personnel : adressez-vous à un administrateur.")
		frontendtest.WantNoBody(t, w, `action="`+page+`/verify`, `action="`+page+`/profile`, `action="`+page+`/sheet"`)
		before := n.Audit(t, accounts.AuditFilter{SubjectID: n.Staff[accounts.Admin].ID})
		w = n.Request("POST", page+"/profile", agent, url.Values{"desk": {frontendtest.Desk}, "display_name": {"Pirate"}, "language": {"fr"}, "present": {"on"}})
		frontendtest.WantStatus(t, w, http.StatusForbidden)
		frontendtest.WantBody(t, w, "il se modifie depuis l’administration, pas au guichet")
		if after := n.Audit(t, accounts.AuditFilter{SubjectID: n.Staff[accounts.Admin].ID}); len(after) != len(before) {
			t.Errorf("audit entries %d → %d: something was done", len(before), len(after))
		}
		if acc, _ := n.Accounts.ByID(t.Context(), n.Staff[accounts.Admin].ID); acc.DisplayName == "Pirate" {
			t.Error("the agent renamed an admin")
		}
	})
}
