package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/markup"
	"agora/instances/spaces"
)

// A real node's vote is a poll a signed peer follows and answers: the
// Question reaches the follower, the answer is counted apart, the binding
// result is the residents' alone, and the closing Update is delivered.
func TestVoteAsPollOnARealNode(t *testing.T) {
	dialect := "sqlite"
	if os.Getenv("AGORA_TEST_POSTGRES_URL") != "" || os.Getenv("AGORA_TEST_REQUIRE") != "" {
		dialect = "postgres"
	}
	n := newFedNode(t, "Paris 15e", dialect)
	n.admin(t, "create-space", "--slug", "conseil", "--title", "Conseil de quartier")
	n.start(t)
	n.user(t, "olga", false, "--role", "official")
	n.user(t, "alice", false, "--verified")
	peer := newHostilePeer(t, "127.0.0.6")
	group := n.base + "/spaces/conseil"
	ada := peer.base + "/users/ada"

	follow := as("Follow", peer.base+"/follows/poll", ada, group)
	if status := peer.send(t, n, follow); status != http.StatusAccepted {
		t.Fatalf("follow: %d", status)
	}
	peer.waitPost(t, "Accept", nil)

	// The vote is opened through the service, on the node's database:
	// no page opens votes yet.
	ctx := context.Background()
	acc := accounts.NewService(n.db, nil)
	sp := spaces.NewService(n.db, markup.New(), nil)
	svc := decisions.NewService(n.db, acc, sp, nil)
	olga, err := acc.ByHandle(ctx, "olga")
	if err != nil {
		t.Fatal(err)
	}
	alice, err := acc.ByHandle(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	space, err := sp.BySlug(ctx, "conseil")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	v, err := svc.Create(ctx, accounts.As(olga), space.ID, decisions.Input{
		Question: "Quel nom pour la place ?", Method: decisions.Approval,
		Options: []decisions.Option{{Label: "Olympe de Gouges"}, {Label: "Louise Michel"}, {Label: "Simone Veil"}},
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(12 * time.Second),
	})
	if err != nil {
		t.Fatal(err)
	}
	question := n.base + "/votes/" + v.ID
	objectOf := func(d peerPost) map[string]any { o, _ := d.doc["object"].(map[string]any); return o }
	create := peer.waitPost(t, "Create", func(d peerPost) bool { return objectOf(d)["id"] == question })
	if o := objectOf(create); o["type"] != "Question" || len(o["anyOf"].([]any)) != 3 || o["attributedTo"] != group {
		t.Errorf("Create{Question}: %v", create.doc)
	}

	// Dereferenceable at the vote's URL.
	req, _ := http.NewRequest(http.MethodGet, question, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var q map[string]any
	if json.Unmarshal(body, &q); resp.StatusCode != http.StatusOK || q["type"] != "Question" {
		t.Errorf("GET the Question: %d %s", resp.StatusCode, body)
	}

	// A resident votes; ada answers from the fediverse, twice the same.
	if _, err := svc.Cast(ctx, accounts.As(alice), v.ID, decisions.Choice{Options: []string{"1"}}, false); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Simone Veil", "Simone Veil"} {
		a := as("Create", ada+"#votes/"+string(rune('1'+i))+"/activity", ada, map[string]any{
			"id": ada + "#votes/" + string(rune('1'+i)), "type": "Note", "attributedTo": ada, "inReplyTo": question, "name": name})
		if status := peer.send(t, n, a); status != http.StatusAccepted {
			t.Fatalf("answer: %d", status)
		}
		if got, want := n.outcome(t, a["id"].(string)), []string{"poll answer to vote", "poll answer repeated"}[i]; !strings.HasPrefix(got, want) {
			t.Errorf("answer %d: %q, want %q", i, got, want)
		}
	}
	counts := func(o map[string]any) []float64 {
		var out []float64
		for _, x := range o["anyOf"].([]any) {
			out = append(out, x.(map[string]any)["replies"].(map[string]any)["totalItems"].(float64))
		}
		return out
	}
	peer.waitPost(t, "Update", func(d peerPost) bool {
		o := objectOf(d)
		return o["id"] == question && o["votersCount"] == 1.0 && counts(o)[2] == 1
	})

	// Closing: after endTime the node counts it (the test does, as the
	// node does each minute) and sends the final Update.
	time.Sleep(time.Until(v.ClosesAt))
	tally, err := svc.Close(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tally.Result.Ballots != 1 || tally.Result.Totals[0].Votes != 1 || tally.Result.Totals[2].Votes != 0 {
		t.Errorf("binding result %+v counts the fediverse", tally.Result)
	}
	final := peer.waitPost(t, "Update", func(d peerPost) bool { return objectOf(d)["closed"] != nil })
	o := objectOf(final)
	if c := counts(o); c[0] != 0 || c[2] != 1 || !strings.Contains(o["content"].(string), "Résultat officiel : Olympe de Gouges (1)") {
		t.Errorf("closing Update: %v", final.doc)
	}
	page := n.get(t, http.DefaultClient, "/votes/"+v.ID)
	if !strings.Contains(page, "Avis du fédivers") || !strings.Contains(page, "1 compte du fédivers a répondu") {
		t.Errorf("the page does not show the fediverse opinion apart")
	}
}
