package admin_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"agora/frontend/admin"
	"agora/frontend/frontendtest"

	"agora/instances/accounts"
)

// tableBody returns the rows of the first table body of a page.
func tableBody(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	body := w.Body.String()
	start, end := strings.Index(body, "<tbody>"), strings.Index(body, "</tbody>")
	if start < 0 || end < start {
		return ""
	}
	return body[start:end]
}

func TestAdminChangesRolesAndReadsTheLog(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewStaffNode, func(t *testing.T, n *frontendtest.Node) {
		adminAcc := n.Staff[accounts.Admin]
		admin := n.Session(t, adminAcc)
		camille := n.Account(t, "camille")
		roles := "/admin/accounts/" + camille.ID + "/roles"

		// The search shows each account's roles.
		w := n.Request("GET", "/admin/accounts?q=a", admin, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "@staff_official", "Service de la ville (Voirie)", "@staff_moderator", "Modération", "aucun (résident)")

		// Refused: no reason, an official without a service, a role not
		// held, an unknown role, the admin's own admin role. Nothing changes.
		auditBefore := n.Count(t, "audit_log")
		for _, tc := range []struct {
			form  url.Values
			field string
		}{
			{url.Values{"role": {"agent"}, "op": {"grant"}}, "reason-" + camille.ID + "-error"},
			{url.Values{"role": {"official"}, "op": {"grant"}, "reason": {"r"}}, "service-" + camille.ID + "-error"},
			{url.Values{"role": {"moderator"}, "op": {"remove"}, "reason": {"r"}}, "role-" + camille.ID + "-error"},
			{url.Values{"role": {"mayor"}, "op": {"grant"}, "reason": {"r"}}, "role-" + camille.ID + "-error"},
			{url.Values{"role": {"resident"}, "op": {"grant"}, "reason": {"r"}}, "role-" + camille.ID + "-error"},
		} {
			w := n.Request("POST", roles, admin, tc.form)
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			frontendtest.WantBody(t, w, `id="`+tc.field+`"`)
		}
		w = n.Request("POST", "/admin/accounts/"+adminAcc.ID+"/roles", admin, url.Values{"role": {"admin"}, "op": {"remove"}, "reason": {"r"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "propre rôle")
		if got := n.Count(t, "audit_log"); got != auditBefore {
			t.Fatalf("refused role changes wrote %d audit entries", got-auditBefore)
		}

		// Granted, then removed, each with its reason.
		grant := url.Values{"q": {"cam"}, "role": {"official"}, "service": {"Propreté"}, "op": {"grant"}, "reason": {"nouvelle cheffe de service"}}
		// Posted without confirmation (a form slipped into a page, say),
		// or with a confirmation made for another session or other
		// fields, it only shows the page that asks to confirm.
		w = n.Request("POST", roles, admin, grant)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Donner le rôle « Service de la ville » à @camille", `name="confirm"`)
		forged := url.Values{"confirm": {"forged"}}
		for k, v := range grant {
			forged[k] = v
		}
		frontendtest.WantBody(t, n.Request("POST", roles, admin, forged), "Rien n’est fait tant que vous ne confirmez pas")
		other := n.Session(t, adminAcc)
		first := n.Request("POST", roles, other, grant)
		stolen := url.Values{"confirm": {frontendtest.ConfirmToken(t, first)}}
		for k, v := range grant {
			stolen[k] = v
		}
		frontendtest.WantBody(t, n.Request("POST", roles, admin, stolen), "Rien n’est fait tant que vous ne confirmez pas")
		if acc, _ := n.Accounts.ByID(t.Context(), camille.ID); acc.Has(accounts.Official) {
			t.Fatal("role granted without confirmation")
		}
		w = n.Confirmed(t, roles, admin, grant)
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "/admin/accounts?") || !strings.Contains(loc, "q=cam") {
			t.Errorf("redirect to %q, want the search again", loc)
		}
		if acc, _ := n.Accounts.ByID(t.Context(), camille.ID); !acc.Has(accounts.Official) {
			t.Fatal("role not granted")
		}
		w = n.Confirmed(t, roles, admin, url.Values{"role": {"official"}, "op": {"remove"}, "reason": {"a quitté le service"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if acc, _ := n.Accounts.ByID(t.Context(), camille.ID); acc.Has(accounts.Official) {
			t.Fatal("role not removed")
		}

		// The log, filtered on "role.": only role changes, with who and why.
		w = n.Request("GET", "/admin/audit?action=role.&subject=camille", admin, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		rows := tableBody(t, w)
		for _, want := range []string{"Attribution d’un rôle", "Retrait d’un rôle", "@staff_admin", "@camille", "nouvelle cheffe de service", "a quitté le service", "rôle : Service de la ville ; service : Propreté"} {
			if !strings.Contains(rows, want) {
				t.Errorf("log rows lack %q:\n%s", want, rows)
			}
		}
		if n := strings.Count(rows, "<tr>"); n != 2 {
			t.Errorf("%d rows, want the 2 role changes of camille", n)
		}
		w = n.Request("GET", "/admin/audit?action=role.grant&actor=staff_admin", admin, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		if rows := tableBody(t, w); strings.Count(rows, "<tr>") != 1 || !strings.Contains(rows, "@camille") {
			t.Errorf("role.grant by staff_admin: want camille's only, got\n%s", rows)
		}
		w = n.Request("GET", "/admin/audit?since=2999-01-01", admin, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		if rows := tableBody(t, w); rows != "" {
			t.Errorf("entries in the future:\n%s", rows)
		}

		// Bad filters are told next to their field.
		for _, q := range []string{"actor=nobody", "subject=%40nobody", "action=role.bogus", "since=31%2F12%2F2026", "until=tomorrow"} {
			w := n.Request("GET", "/admin/audit?"+q, admin, nil)
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			frontendtest.WantBody(t, w, `aria-invalid="true"`)
		}
	})
}

func TestAdminAuditPages(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewStaffNode, func(t *testing.T, n *frontendtest.Node) {
		admin := n.Session(t, n.Staff[accounts.Admin])
		for range auditPageSize + 5 {
			n.Session(t, n.Staff[accounts.Moderator])
		}
		w := n.Request("GET", "/admin/audit?action=session.start&actor=staff_moderator", admin, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		if got := strings.Count(tableBody(t, w), "<tr>"); got != auditPageSize {
			t.Fatalf("first page has %d rows, want %d", got, auditPageSize)
		}
		next := regexp.MustCompile(`href="(\?[^"]+)"`).FindAllStringSubmatch(w.Body.String(), -1)
		if len(next) == 0 {
			t.Fatal("no link to older entries")
		}
		link := strings.ReplaceAll(next[len(next)-1][1], "&amp;", "&")
		if !strings.Contains(link, "before=") || !strings.Contains(link, "actor=staff_moderator") {
			t.Fatalf("older link %q does not keep the filters", link)
		}
		w = n.Request("GET", "/admin/audit"+link, admin, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		if got := strings.Count(tableBody(t, w), "<tr>"); got != 5 {
			t.Fatalf("second page has %d rows, want 5", got)
		}
	})
}

func TestAdminLetterCodes(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewStaffNode, func(t *testing.T, n *frontendtest.Node) {
		admin := n.Session(t, n.Staff[accounts.Admin])

		// Refused: bad numbers, or not an admin. Nothing made.
		w := n.Request("POST", "/admin/residency/letters", admin, url.Values{"count": {"0"}, "letter_days": {"9999"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-count-error"`, `id="f-letter_days-error"`)
		w = n.Request("POST", "/admin/residency/letters", n.Session(t, n.Staff[accounts.Agent]), url.Values{"count": {"3"}, "letter_days": {"30"}})
		frontendtest.WantStatus(t, w, http.StatusForbidden)
		if got := n.Count(t, "letter_codes"); got != 0 {
			t.Fatalf("%d letter codes made by refused requests", got)
		}

		const count = 4
		w = n.Request("POST", "/admin/residency/letters", admin, url.Values{"count": {fmt.Sprint(count)}, "letter_days": {"30"}})
		frontendtest.WantStatus(t, w, http.StatusOK)
		if ct := w.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		rows, err := csv.NewReader(w.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != count+1 || strings.Join(rows[0], ",") != "code,batch,expires" {
			t.Fatalf("CSV %v: want a header and %d codes", rows, count)
		}
		batch := rows[1][1]
		if cd := w.Header().Get("Content-Disposition"); cd != "attachment; filename=agora-letter-codes-"+batch+".csv" {
			t.Errorf("Content-Disposition %q", cd)
		}
		for i, row := range rows[1:] {
			resident := n.Account(t, fmt.Sprintf("letter_%d", i))
			token := n.Session(t, resident)
			w := n.Request("POST", "/account/residency/letter", token, url.Values{"code": {row[0]}})
			frontendtest.WantStatus(t, w, http.StatusSeeOther)
			if ok, _ := n.Accounts.IsVerified(t.Context(), resident.ID); !ok {
				t.Errorf("code %d did not verify", i)
			}
			if i == 0 {
				// Once only.
				other := n.Session(t, n.Account(t, "letter_again"))
				frontendtest.WantStatus(t, n.Request("POST", "/account/residency/letter", other, url.Values{"code": {row[0]}}), http.StatusBadRequest)
			}
		}
	})
}

// censusUpload is the multipart body of the census form, fields in page
// order.
func censusUpload(t *testing.T, salt, days string, file []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("salt", salt)
	mw.WriteField("census_days", days)
	fw, err := mw.CreateFormFile("file", "census.csv")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(file)
	mw.Close()
	return mw.FormDataContentType(), &buf
}

func upload(n *frontendtest.Node, token, contentType string, body *bytes.Buffer) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/admin/residency/census", body)
	r.Header.Set("Content-Type", contentType)
	r.AddCookie(&http.Cookie{Name: "agora_session", Value: token})
	w := httptest.NewRecorder()
	n.H.ServeHTTP(w, r)
	return w
}

func TestAdminCensusImport(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewStaffNode, func(t *testing.T, n *frontendtest.Node) {
		admin := n.Session(t, n.Staff[accounts.Admin])
		const salt = "a salt of the city, secret"
		who := accounts.Identity{FamilyName: "Élise-Dupont", GivenName: "Anne", BirthDate: "1950-03-04", PostalCode: "75015"}
		hash, err := accounts.CensusHash(salt, who)
		if err != nil {
			t.Fatal(err)
		}

		// A bad line 3 refuses the whole file, naming the line.
		ct, body := censusUpload(t, salt, "365", []byte("hash\n"+hash+"\nnot-a-hash\n"))
		w := upload(n, admin, ct, body)
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "line 3", "rien n’a été importé", `id="f-file-error"`)
		if strings.Contains(w.Body.String(), salt) {
			t.Error("the salt is shown back")
		}
		if a, b := n.Count(t, "census_imports"), n.Count(t, "census_entries"); a+b != 0 {
			t.Fatalf("a refused file imported %d imports, %d entries", a, b)
		}

		// Bad salt and validity, told next to their fields.
		ct, body = censusUpload(t, "short", "0", []byte("hash\n"+hash+"\n"))
		w = upload(n, admin, ct, body)
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-salt-error"`, `id="f-census_days-error"`)

		// Not an admin.
		ct, body = censusUpload(t, salt, "365", []byte("hash\n"+hash+"\n"))
		frontendtest.WantStatus(t, upload(n, n.Session(t, n.Staff[accounts.Agent]), ct, body), http.StatusForbidden)
		if got := n.Count(t, "census_entries"); got != 0 {
			t.Fatalf("%d entries imported by refused uploads", got)
		}

		// A good file over the default 1 MiB body limit: streamed in.
		var file strings.Builder
		file.WriteString("hash\n" + hash + "\n")
		for i := 0; file.Len() < 1<<20+1000; i++ {
			h, _ := accounts.CensusHash(salt, accounts.Identity{FamilyName: fmt.Sprint("N", i), GivenName: "G", BirthDate: "2000-01-01", PostalCode: "75015"})
			file.WriteString(h + "\n")
		}
		lines := strings.Count(file.String(), "\n") - 1
		ct, body = censusUpload(t, salt, "365", []byte(file.String()))
		w = upload(n, admin, ct, body)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, fmt.Sprintf("%d empreintes", lines))
		if got := n.Count(t, "census_entries"); got != lines {
			t.Fatalf("%d entries, want %d", got, lines)
		}

		// The resident matches.
		resident := n.Account(t, "anne")
		w = n.Request("POST", "/account/residency/census", n.Session(t, resident), url.Values{
			"family_name": {"ELISE DUPONT"}, "given_name": {"anne"}, "birth_date": {"1950-03-04"}, "postal_code": {"75015"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if ok, _ := n.Accounts.IsVerified(t.Context(), resident.ID); !ok {
			t.Error("census match did not verify")
		}
	})
}

const auditPageSize = admin.AuditPageSize
