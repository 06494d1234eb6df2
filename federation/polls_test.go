package federation

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/instancestest"
	"agora/storage/storagetest"
)

// pollNode is a node whose votes run on a clock the test moves.
func pollNode(t *testing.T, dialect string) (*node, *decisions.Service, *storagetest.Clock) {
	t.Helper()
	n := buildNode(t, dialect, nil)
	clock := storagetest.NewClock(time.Now().UTC())
	svc := decisions.NewService(n.db, n.accounts, n.spaces, clock.Now)
	n.fed.decisions = svc // before the workers start
	if err := n.fed.Start(context.WithoutCancel(n.ctx)); err != nil {
		t.Fatal(err)
	}
	return n, svc, clock
}

// voteAnswer is Create{Note} as Mastodon sends a vote in a poll.
func voteAnswer(actor, id, question, name string) map[string]any {
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       id + "/activity", "type": "Create", "actor": actor,
		"object": map[string]any{"id": id, "type": "Note", "attributedTo": actor, "inReplyTo": question, "name": name},
	}
}

// options are the poll options of a Question: name and count.
func options(t *testing.T, q map[string]any, kind string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	list, ok := q[kind].([]any)
	if !ok {
		t.Fatalf("no %s in %v", kind, q)
	}
	for _, x := range list {
		o := x.(map[string]any)
		out[o["name"].(string)] = o["replies"].(map[string]any)["totalItems"].(float64)
	}
	return out
}

// A vote reaches a remote follower of its space as a Question of the
// Group; remote actors answer it; their answers are counted apart, as
// opinion, and the binding result is the residents' ballots alone; the
// counts go out in Updates, the last one at closing with the binding
// result in content.
func TestVoteAsPoll(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n, svc, clock := pollNode(t, dialect)
		r := newRemote(t, "127.0.0.2")
		n.followGroup(t, r)
		group := n.groupIRI()

		official := instancestest.Account(t, n.accounts, "officielle", accounts.Official)
		now := clock.Now()
		v, err := svc.Create(n.ctx, accounts.As(official), n.space.ID, decisions.Input{
			Question: "Quel aménagement pour la place ?", Method: decisions.Single,
			Options: []decisions.Option{{Key: "a", Label: "Des arbres"}, {Key: "b", Label: "Des bancs"}, {Key: "c", Label: "Une fontaine"}},
			OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour),
		})
		if err != nil {
			t.Fatal(err)
		}
		question := n.base + "/votes/" + v.ID

		// Created and announced by the Group, as a budget step is.
		isVote := func(d *delivery) bool { return d.doc["object"].(map[string]any)["id"] == question }
		bare := r.waitMatch(t, "Create/Question", isVote)
		create := r.waitMatch(t, "Announce/Create/Question", func(d *delivery) bool { return nested(d.doc["object"].(map[string]any)) == question })
		for _, d := range []*delivery{bare, create} {
			if signer := n.verify(t, d); signer != group {
				t.Errorf("%s signed by %s, want the Group", d.typ(), signer)
			}
		}
		q := bare.doc["object"].(map[string]any)
		if got := options(t, q, "oneOf"); len(got) != 3 || got["Des arbres"] != 0 || q["votersCount"] != 0.0 || q["attributedTo"] != group {
			t.Errorf("Question: %s", bare.body)
		}

		// Dereferenceable at the vote's URL, as ActivityStreams JSON.
		resp, body := n.get(t, "/votes/"+v.ID, "application/activity+json")
		if resp.StatusCode != http.StatusOK || decode(t, body)["type"] != "Question" || resp.Header.Get("Vary") != "Accept" {
			t.Errorf("GET the Question: %d %s", resp.StatusCode, body)
		}
		if resp, _ := n.get(t, "/votes/nope", "application/activity+json"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET an unknown vote: %d", resp.StatusCode)
		}

		// A resident votes (binding); the fediverse answers (opinion).
		if _, err := svc.Cast(n.ctx, accounts.As(n.jeanne), v.ID, decisions.Choice{Options: []string{"b"}}, false); err != nil {
			t.Fatal(err)
		}
		ada, bob := r.actor("ada"), r.actor("bob")
		steps := []struct {
			activity map[string]any
			outcome  string
		}{
			{voteAnswer(ada, ada+"#votes/1", question, "Des arbres"), "poll answer to vote " + v.ID},
			{voteAnswer(ada, ada+"#votes/2", question, "Des arbres"), "poll answer repeated"},
			{voteAnswer(bob, bob+"#votes/1", question, "Une fontaine"), "poll answer to vote " + v.ID},
			{voteAnswer(ada, ada+"#votes/3", question, "Des bancs"), "refused: invalid: poll answer: this actor already answered"},
			{voteAnswer(bob, bob+"#votes/2", question, "Des pelouses"), "refused: invalid: poll answer: no option"},
			{voteAnswer(bob, bob+"#votes/3", n.base+"/votes/nope", "Des arbres"), "refused: invalid: poll answer: vote not found"},
			{voteAnswer(bob, bob+"#votes/4", question, strings.Repeat("x", 2000)), "refused: as2: malformed"},
			{createNote(bob, bob+"/statuses/9", question, "<p>Des arbres !</p>"), "ignored: a reply to a vote"},
		}
		for _, s := range steps {
			if got := n.accepted(t, r, s.activity); !strings.HasPrefix(got, s.outcome) {
				t.Errorf("%s: outcome %q, want %q…", s.activity["id"], got, s.outcome)
			}
		}
		op, err := svc.Opinion(n.ctx, v.ID)
		if err != nil || !slices.Equal(op.Counts, []int64{1, 0, 1}) || op.Voters != 2 {
			t.Errorf("opinion %+v %v", op, err)
		}

		// The counts go out (coalesced) while the vote is open.
		r.waitMatch(t, "Update/Question", func(d *delivery) bool {
			o := d.doc["object"].(map[string]any)
			c := options(t, o, "oneOf")
			return o["id"] == question && c["Des arbres"] == 1 && c["Une fontaine"] == 1 && o["votersCount"] == 2.0 && o["closed"] == nil
		})

		// endTime passed: answers are refused, before and after counting.
		clock.Set(v.ClosesAt)
		late := voteAnswer(bob, bob+"#votes/5", question, "Des bancs")
		if got := n.accepted(t, r, late); !strings.HasPrefix(got, "refused: invalid: poll answer: this vote is closed") {
			t.Errorf("answer at endTime: %q", got)
		}
		tally, err := svc.Close(n.ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range tally.Result.Totals {
			if want := map[string]int64{"a": 0, "b": 1, "c": 0}[x.Key]; x.Votes != want {
				t.Errorf("binding %s: %d, want %d (fediverse answers are not ballots)", x.Key, x.Votes, want)
			}
		}
		if tally.Result.Ballots != 1 {
			t.Errorf("binding ballots %d", tally.Result.Ballots)
		}

		// At closing: an Update with closed, the binding result in
		// content, the published results attached, and the fediverse's
		// final counts.
		final := r.waitMatch(t, "Update/Question", func(d *delivery) bool {
			return d.doc["object"].(map[string]any)["closed"] != nil
		})
		if signer := n.verify(t, final); signer != group {
			t.Errorf("closing Update signed by %s", signer)
		}
		o := final.doc["object"].(map[string]any)
		content, _ := o["content"].(string)
		c := options(t, o, "oneOf")
		if !strings.Contains(content, "Résultat officiel : Des bancs (1)") || c["Des arbres"] != 1 || c["Des bancs"] != 0 || o["votersCount"] != 2.0 ||
			o["agora:results"] != question+"/results.json" {
			t.Errorf("closing Update: %s", final.body)
		}
		r.waitMatch(t, "Announce/Update/Question", func(d *delivery) bool {
			return nested(d.doc["object"].(map[string]any)) == question && d.doc["object"].(map[string]any)["object"].(map[string]any)["closed"] != nil
		})
		// The Group sends its Question itself: no bare Announce of it, which
		// Mastodon would show as a boost of the Group's own poll.
		for _, d := range r.received() {
			if d.typ() == "Announce/Question" {
				t.Errorf("bare Announce of the Question: %s", d.body)
			}
		}
	})
}
