package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/reports"
	"agora/storage/storagetest"
)

// TestReportCategoryBetweenNodes runs two real nodes on loopback: B's
// admin follows a report category of A by its handle
// (@signalements.nid-de-poule@A), A accepts; a report sent on A and its
// change of state reach B, which keeps them as the Group's, threaded,
// without the reporter's description nor, as they kept their name
// private, their address. A runs on each database in turn.
func TestReportCategoryBetweenNodes(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		a, b := newFedNode(t, "Paris 15e", dialect), newFedNode(t, "Lyon 3e", "sqlite")
		a.admin(t, "create-user", "--handle", "voirie_1", "--display-name", "Voirie", "--role", "official", "--service", "Voirie")
		a.admin(t, "create-user", "--handle", "alice", "--display-name", "Alice", "--verified")
		ctx := context.Background()
		svc := reports.NewService(a.db, nil)
		if err := svc.SaveCategory(ctx, accounts.System, reports.Category{Slug: "nid-de-poule", NameFR: "Nid-de-poule",
			NameEN: "Pothole", Service: "Voirie"}); err != nil {
			t.Fatal(err)
		}
		a.start(t)
		b.start(t)
		adminB := b.user(t, "claire", false, "--role", "admin")

		category := a.base + "/reports/categories/nid-de-poule"
		b.post(t, adminB, "/admin/federation/follow", url.Values{"target": {"@signalements.nid-de-poule@" + host(a)}}, http.StatusOK)
		eventually(t, 20*time.Second, "A accepts B's follow of the category", func() bool {
			return b.count(t, "ap_following", "remote = ? AND state = 'accepted'", category) == 1
		})
		if n := a.count(t, "ap_followers", "actor = ?", category); n != 1 {
			t.Fatalf("the category has %d followers, want 1", n)
		}

		acc := accounts.NewService(a.db, nil)
		alice, err := acc.ByHandle(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		official, err := acc.ByHandle(ctx, "voirie_1")
		if err != nil {
			t.Fatal(err)
		}
		// Written through A's database, as A's pages would: A's own
		// dispatcher finds the outbox events and delivers.
		p := reports.Point{Lat: 48.842131, Lon: 2.303412}
		rep, err := svc.Create(ctx, accounts.As(alice), reports.Input{Category: "nid-de-poule", Point: &p,
			Address: "12 rue Lecourbe", Description: "Un trou profond devant le 12."})
		if err != nil {
			t.Fatal(err)
		}
		note := a.base + "/reports/" + rep.ID
		eventually(t, 20*time.Second, "B receives the report", func() bool {
			return b.count(t, "ap_remote_objects", "id = ? AND type = 'Note'", note) == 1
		})
		if n := b.count(t, "ap_remote_objects", "content_html LIKE ? OR content_html LIKE ?", "%trou profond%", "%Lecourbe%"); n != 0 {
			t.Errorf("B holds the description or the address of a reporter who kept their name private (%d rows)", n)
		}
		if err := svc.ChangeState(ctx, accounts.As(official), rep.ID,
			reports.Change{To: reports.Scheduled, Message: "Rebouchage jeudi.", ScheduledFor: time.Now().Add(72 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		eventually(t, 20*time.Second, "B receives the change of state", func() bool {
			return b.count(t, "ap_remote_objects", "type = 'Note' AND context = ? AND content_html LIKE ?", note, "%Rebouchage jeudi.%") == 1
		})
		// Kept threaded under the category's Group: the change replies to
		// the report. ("Other cities" lists Pages, not these Notes yet.)
		if n := b.count(t, "ap_remote_objects", "group_actor = ? AND in_reply_to = ?", category, note); n != 1 {
			t.Errorf("B keeps %d replies to the report under the category, want 1", n)
		}
	})
}
