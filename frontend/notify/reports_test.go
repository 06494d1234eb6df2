package notify_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/notifications"
	"agora/instances/reports"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// TestReportFollowMailAndBounce: a resident follows a street report with
// the button of its page (no JavaScript), its reporter follows it on
// their own; a change of state reaches both on the site and the
// reporter by email, whose envelope sender carries their address's key
// (VERP). A later bounce of that email, as Postfix sends it, stops email
// to the address and the settings page says so and what to do. After
// unfollowing, the resident hears no more.
func TestReportFollowMailAndBounce(t *testing.T) {
	smtpURL, api := storagetest.SMTPServer(t)
	frontendtest.OnEachDialect(t, func(t testing.TB, dialect string) *frontendtest.Node {
		n, _, _ := mailNode(t, storagetest.MigratedDB(t, dialect), smtpURL+"?bounces=bounces%40paris15.example")
		return n
	}, func(t *testing.T, n *frontendtest.Node) {
		ctx := t.Context()
		svc, courier := n.Deps.Notifications, n.Deps.Courier
		box := mailpit{t: t, api: api}
		must(t, n.Reports.SaveCategory(ctx, accounts.System, reports.Category{Slug: "nid-de-poule", NameFR: "Nid-de-poule", NameEN: "Pothole", Service: "Voirie"}))
		official, err := n.Accounts.Create(ctx, accounts.System, accounts.NewAccount{Handle: "voirie_1", DisplayName: "Voirie",
			Roles: []accounts.Role{accounts.Official}, Service: "Voirie"})
		must(t, err)
		reporter, reporterToken := n.Resident(t, "camille", true)
		_, token := n.Resident(t, "dominique", true)
		addr := "camille-" + database.NewID() + "@example.org"
		verify, err := svc.SetAddress(ctx, reporter.ID, addr)
		must(t, err)
		_, err = svc.Verify(ctx, verify)
		must(t, err)
		must(t, svc.SetFrequency(ctx, reporter.ID, notifications.Immediate))
		r, err := n.Reports.Create(ctx, accounts.As(reporter), reports.Input{Category: "nid-de-poule", Address: "12 rue Oberkampf",
			Description: "Un trou profond devant le numéro 12."})
		must(t, err)
		page := "/reports/" + r.ID

		w := n.Request("GET", page+"?lang=fr", token, nil)
		frontendtest.WantBody(t, w, `action="/follow"`, `name="kind" value="report"`, `value="`+r.ID+`"`)
		frontendtest.WantNoBody(t, n.Get(page+"?lang=fr"), `action="/follow"`) // visitors have no button
		frontendtest.WantBody(t, n.Request("GET", page+"?lang=fr", reporterToken, nil), `action="/unfollow"`)
		w = n.Request("POST", "/follow", token, url.Values{"kind": {"report"}, "id": {r.ID}, "back": {page}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != page+"?follow=followed#follow" {
			t.Errorf("follow went to %q", loc)
		}
		frontendtest.WantStatus(t, n.Request("POST", "/follow", token, url.Values{"kind": {"report"}, "id": {"nope"}}), http.StatusNotFound)

		must(t, n.Reports.ChangeState(ctx, accounts.As(official), r.ID, reports.Change{To: reports.Acknowledged, Message: "Vu."}))
		for _, tok := range []string{token, reporterToken} {
			w = n.Request("GET", "/notifications?lang=fr", tok, nil)
			frontendtest.WantBody(t, w, "Un signalement que vous suivez change d’état : « Pris en compte »", `href="`+page+`"`,
				"Un trou profond devant le numéro 12.")
		}
		frontendtest.WantBody(t, n.Request("GET", "/notifications?lang=en", token, nil), "A street report you follow changed state: “Acknowledged”")

		if sent, err := courier.DeliverDue(ctx); err != nil || sent != 1 {
			t.Fatalf("DeliverDue = %d, %v; want 1 email (the reporter's)", sent, err)
		}
		got := box.to(addr, 1)
		if len(got) != 1 || !strings.Contains(got[0].Subject, "Un signalement que vous suivez") ||
			!strings.Contains(got[0].Text, "https://paris15.example"+page) {
			t.Fatalf("emails %+v", got)
		}
		e, err := svc.Email(ctx, reporter.ID)
		must(t, err)
		verp := "bounces+" + e.BounceKey + "@paris15.example"
		if rp := got[0].Headers["Return-Path"]; len(rp) != 1 || strings.Trim(rp[0], "<>") != verp {
			t.Errorf("Return-Path %q, want %s", rp, verp)
		}

		// The recipient's server bounces it later.
		raw, err := os.ReadFile(filepath.Join("..", "..", "instances", "notifications", "testdata", "bounces", "postfix-hard.eml"))
		must(t, err)
		bounce := strings.NewReplacer("0123456789abcdef01234567", e.BounceKey, "camille@example.org", addr).Replace(string(raw))
		b, err := notifications.ParseBounce(strings.NewReader(bounce), "")
		must(t, err)
		if k, err := svc.RecordBounce(ctx, b); err != nil || k != 1 {
			t.Fatalf("RecordBounce = %d, %v", k, err)
		}
		w = n.Request("GET", "/notifications/settings?lang=fr", reporterToken, nil)
		frontendtest.WantBody(t, w, "nous est revenu", "Nous n’y écrivons plus", "donnez-en une autre", "User unknown in virtual mailbox table")
		frontendtest.WantBody(t, n.Request("GET", "/notifications/settings?lang=en", reporterToken, nil), "came back", "give another one below")

		w = n.Request("POST", "/unfollow", token, url.Values{"kind": {"report"}, "id": {r.ID}, "back": {page}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		must(t, n.Reports.ChangeState(ctx, accounts.As(official), r.ID, reports.Change{To: reports.Done, Message: "Rebouché."}))
		if sent, err := courier.DeliverDue(ctx); err != nil || sent != 0 {
			t.Errorf("after a hard bounce DeliverDue = %d, %v; want nothing", sent, err)
		}
		frontendtest.WantNoBody(t, n.Request("GET", "/notifications?lang=fr", token, nil), "« Résolu »")
		frontendtest.WantBody(t, n.Request("GET", "/notifications?lang=fr", reporterToken, nil), "Un signalement que vous suivez change d’état : « Résolu »")
	})
}
