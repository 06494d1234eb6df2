package federation

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/reports"
)

// reportNode is a node that federates street reports, with the category
// nid-de-poule of the service Voirie and an official of that service.
func reportNode(t *testing.T, dialect string) (*node, *reports.Service, *accounts.Account) {
	t.Helper()
	n := buildNode(t, dialect, nil)
	svc := reports.NewService(n.db, nil)
	n.fed.reports = svc // before the workers start
	if err := n.fed.Start(context.WithoutCancel(n.ctx)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []reports.Category{
		{Slug: "nid-de-poule", NameFR: "Nid-de-poule", NameEN: "Pothole", Service: "Voirie"},
		{Slug: "graffiti", NameFR: "Graffiti", NameEN: "Graffiti", Service: "Propreté", Position: 1},
	} {
		if err := svc.SaveCategory(n.ctx, accounts.System, c); err != nil {
			t.Fatal(err)
		}
	}
	official, err := n.accounts.Create(n.ctx, accounts.System, accounts.NewAccount{Handle: "voirie", DisplayName: "Voirie",
		Roles: []accounts.Role{accounts.Official}, Service: "Voirie"})
	if err != nil {
		t.Fatal(err)
	}
	return n, svc, official
}

// webfingerSelf resolves acct:name@host on the node: the self link, or
// the status when there is none.
func (n *node) webfingerSelf(t *testing.T, name string) (string, int) {
	t.Helper()
	host := strings.TrimPrefix(n.base, "http://")
	resp, err := http.Get(n.base + "/.well-known/webfinger?resource=" + url.QueryEscape("acct:"+name+"@"+host))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var jrd struct{ Links []struct{ Rel, Href string } }
	body, _ := io.ReadAll(resp.Body)
	json.Unmarshal(body, &jrd)
	for _, l := range jrd.Links {
		if l.Rel == "self" {
			return l.Href, resp.StatusCode
		}
	}
	return "", resp.StatusCode
}

// A remote actor finds a report category by WebFinger, follows it and is
// accepted; a report sent in it and its changes of state reach the
// follower's inbox as Notes of the category, signed by it, the changes
// replying to the report; the reporter who kept their name private is
// not named and their point is rounded; private messages never go out;
// after Undo{Follow}, nothing more is sent.
func TestReportCategoryFederates(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n, svc, official := reportNode(t, dialect)
		r := newRemote(t, "127.0.0.2")
		category := n.base + "/reports/categories/nid-de-poule"

		if got, status := n.webfingerSelf(t, "signalements.nid-de-poule"); got != category {
			t.Fatalf("WebFinger: %q (%d), want %s", got, status, category)
		}
		for _, name := range []string{"nid-de-poule", "signalements.inconnu"} {
			if got, status := n.webfingerSelf(t, name); got != "" || status != http.StatusNotFound {
				t.Errorf("WebFinger of %s: %q (%d), want 404", name, got, status)
			}
		}
		doc, err := n.getAS2(n.ctx, category)
		if err != nil {
			t.Fatal(err)
		}
		var actor map[string]any
		json.Unmarshal(doc, &actor)
		if actor["type"] != "Group" || actor["preferredUsername"] != "signalements.nid-de-poule" || actor["name"] != "Signalements : Nid-de-poule" {
			t.Errorf("actor: %v", actor)
		}

		n.idle(t)
		follow := activity("Follow", r.base+"/follows/pothole", r.actor("ada"), category)
		if got := n.accepted(t, r, follow); got != "followed "+category {
			t.Fatalf("follow: outcome %q", got)
		}
		if signer := n.verify(t, r.waitFor(t, "Accept/Follow")); signer != category {
			t.Errorf("Accept signed by %s", signer)
		}
		doc, err = n.getAS2(n.ctx, category+"/followers")
		if err != nil || !strings.Contains(string(doc), `"totalItems":1`) {
			t.Errorf("followers: %s, %v", doc, err)
		}

		p := reports.Point{Lat: 48.842131, Lon: 2.303412}
		rep, err := svc.Create(n.ctx, accounts.As(n.jeanne), reports.Input{Category: "nid-de-poule", Point: &p,
			Address: "12 rue Lecourbe", Description: "Devant chez Paul Dupont, un trou."})
		if err != nil {
			t.Fatal(err)
		}
		note := n.base + "/reports/" + rep.ID
		isReport := func(d *delivery) bool { return d.doc["object"].(map[string]any)["id"] == note }
		created := r.waitMatch(t, "Create/Note", isReport)
		if signer := n.verify(t, created); signer != category {
			t.Errorf("report's Create signed by %s, want the category", signer)
		}
		obj := created.doc["object"].(map[string]any)
		body := string(created.body)
		for _, secret := range []string{"Dupont", "rue Lecourbe", n.jeanne.DisplayName, "48.842131"} {
			if strings.Contains(body, secret) {
				t.Errorf("the report's Create holds %q: %s", secret, body)
			}
		}
		if loc := obj["location"].(map[string]any); loc["latitude"] != 48.842 || loc["longitude"] != 2.303 {
			t.Errorf("location %v, want rounded", loc)
		}

		if _, err := svc.Say(n.ctx, accounts.As(official), rep.ID, "Message privé pour Jeanne", true); err != nil {
			t.Fatal(err)
		}
		if err := svc.ChangeState(n.ctx, accounts.As(official), rep.ID,
			reports.Change{To: reports.Acknowledged, Message: "Vu, l’équipe passe demain."}); err != nil {
			t.Fatal(err)
		}
		isChange := func(d *delivery) bool { return d.doc["object"].(map[string]any)["inReplyTo"] == note }
		changed := r.waitMatch(t, "Create/Note", isChange)
		if signer := n.verify(t, changed); signer != category {
			t.Errorf("change's Create signed by %s", signer)
		}
		change := changed.doc["object"].(map[string]any)
		if c, _ := change["content"].(string); !strings.Contains(c, "Pris en compte") || !strings.Contains(c, "Vu, l’équipe passe demain.") {
			t.Errorf("change's content %q", c)
		}
		if changed.req.URL.Path != "/inbox" {
			t.Errorf("delivered to %s, want the shared inbox", changed.req.URL.Path)
		}

		// Served at their ids, as what was sent.
		for _, id := range []string{note, change["id"].(string)} {
			if doc, err := n.getAS2(n.ctx, id); err != nil || !strings.Contains(string(doc), `"type":"Note"`) {
				t.Errorf("GET %s: %s, %v", id, doc, err)
			}
		}
		doc, err = n.getAS2(n.ctx, category+"/outbox?page=1")
		if err != nil || !strings.Contains(string(doc), note) {
			t.Errorf("outbox: %s, %v", doc, err)
		}

		undo := activity("Undo", r.base+"/undo/pothole", r.actor("ada"), follow)
		if got := n.accepted(t, r, undo); got != "unfollowed "+category {
			t.Fatalf("undo: outcome %q", got)
		}
		if err := svc.ChangeState(n.ctx, accounts.As(official), rep.ID,
			reports.Change{To: reports.Done, Message: "Rebouché."}); err != nil {
			t.Fatal(err)
		}
		n.idle(t)
		notes := 0
		for _, d := range r.received() {
			if strings.Contains(string(d.body), "Message privé") {
				t.Errorf("a private message went out: %s", d.body)
			}
			if d.typ() == "Create/Note" {
				notes++
			}
		}
		if notes != 2 {
			t.Errorf("%d Notes delivered, want 2 (none after the Undo)", notes)
		}
	})
}
