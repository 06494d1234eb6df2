package decisions_test

import (
	"slices"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/instancestest"
	"agora/storage/storagetest"
)

const (
	ada = "https://mastodon.example/users/ada"
	bob = "https://gts.example/users/bob"
)

func answer(v *decisions.Vote, actor, name string) decisions.Answer {
	return decisions.Answer{VoteID: v.ID, Actor: actor, Name: name, ActivityID: actor + "#votes/1"}
}

func (f *fixture) opinion(t *testing.T, v *decisions.Vote) *decisions.Opinion {
	t.Helper()
	o, err := f.svc.Opinion(f.ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// Fediverse answers are counted apart, one per actor and option; a
// repeated answer counts once; a single-choice poll takes one option per
// actor; the binding result never sees them.
func TestFediverseOpinionApart(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		single := f.vote(t, decisions.Single, nil)
		approval := f.vote(t, decisions.Approval, nil)
		ann := f.resident(t)
		f.cast(t, ann, single, opts("c"))

		steps := []struct {
			vote      *decisions.Vote
			actor     string
			name      string
			wantAdded bool
		}{
			{single, ada, "Des arbres", true},
			{single, ada, "Des arbres", false},      // Mastodon delivered it twice
			{single, ada, "  Des   arbres ", false}, // the same name, spaced
			{single, bob, "Des bancs", true},
			{approval, ada, "Des arbres", true},
			{approval, ada, "Une fontaine", true},
			{approval, ada, "Une fontaine", false},
			{approval, bob, "Une fontaine", true},
		}
		for _, s := range steps {
			added, err := f.svc.AddAnswer(f.ctx, answer(s.vote, s.actor, s.name))
			if err != nil || added != s.wantAdded {
				t.Fatalf("answer %s %q: added %v, %v; want %v", s.actor, s.name, added, err, s.wantAdded)
			}
		}
		if o := f.opinion(t, single); !slices.Equal(o.Counts, []int64{1, 1, 0, 0}) || o.Voters != 2 {
			t.Errorf("single opinion %+v", o)
		}
		if o := f.opinion(t, approval); !slices.Equal(o.Counts, []int64{1, 0, 2, 0}) || o.Voters != 2 || o.Total() != 3 {
			t.Errorf("approval opinion %+v", o)
		}

		// The binding count: ann's ballot alone.
		tally := f.close(t, single)
		if got := totals(tally.Result); got["a"] != 0 || got["b"] != 0 || got["c"] != 1 || tally.Result.Ballots != 1 {
			t.Errorf("binding result %+v counts fediverse answers", tally.Result)
		}
		if o := f.opinion(t, single); !slices.Equal(o.Counts, []int64{1, 1, 0, 0}) {
			t.Errorf("opinion after closing %+v", o)
		}
	})
}

// Bad answers: a clear error, nothing changed.
func TestBadAnswers(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		single := f.vote(t, decisions.Single, nil)
		if _, err := f.svc.AddAnswer(f.ctx, answer(single, ada, "Des arbres")); err != nil {
			t.Fatal(err)
		}
		rows := storagetest.Tables{DB: f.DB, Names: append(slices.Clone(tables), "decision_poll_answers")}
		tests := []struct {
			name string
			in   decisions.Answer
			want error
		}{
			{"unknown name", answer(single, bob, "Des arbres !"), decisions.ErrUnknownName},
			{"key, not name", answer(single, bob, "a"), decisions.ErrUnknownName},
			{"empty name", answer(single, bob, ""), decisions.ErrUnknownName},
			{"control character", answer(single, bob, "Des\x00arbres"), decisions.ErrUnknownName},
			{"bidi override", answer(single, bob, "Des arbres\u202e"), decisions.ErrUnknownName},
			{"not UTF-8", answer(single, bob, "Des arbres\xff"), decisions.ErrUnknownName},
			{"huge name", answer(single, bob, strings.Repeat("Des arbres", 500)), decisions.ErrUnknownName},
			{"second option on oneOf", answer(single, ada, "Des bancs"), decisions.ErrAnswered},
			{"no actor", answer(single, "", "Des bancs"), decisions.ErrAnswerActor},
			{"huge actor", answer(single, "https://x.example/"+strings.Repeat("a", 3000), "Des bancs"), decisions.ErrAnswerActor},
			{"unknown vote", decisions.Answer{VoteID: "nope", Actor: bob, Name: "Des bancs", ActivityID: "x"}, decisions.ErrNotFound},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := rows.State(t)
				_, err := f.svc.AddAnswer(f.ctx, tc.in)
				instancestest.WantErr(t, err, tc.want, tc.name)
				rows.Unchanged(t, before, tc.name)
			})
		}

		later := f.vote(t, decisions.Single, nil)
		f.clock.Set(later.OpensAt.Add(-day))
		before := rows.State(t)
		_, err := f.svc.AddAnswer(f.ctx, answer(later, bob, "Des bancs"))
		instancestest.WantErr(t, err, decisions.ErrNotOpen, "before opening")
		// At the closing instant (endTime) the poll is closed, even before
		// the node counted the vote.
		f.clock.Set(single.ClosesAt)
		_, err = f.svc.AddAnswer(f.ctx, answer(single, bob, "Des bancs"))
		instancestest.WantErr(t, err, decisions.ErrClosed, "at endTime")
		rows.Unchanged(t, before, "outside the window")
		f.close(t, single)
		_, err = f.svc.AddAnswer(f.ctx, answer(single, bob, "Des bancs"))
		instancestest.WantErr(t, err, decisions.ErrClosed, "after closing")
	})
}

// Options with the same label get their key in their poll name, so that
// every answer names one option.
func TestPollNames(t *testing.T) {
	v := &decisions.Vote{Options: []decisions.Option{{Key: "a", Label: "Oui"}, {Key: "b", Label: "Non"}, {Key: "c", Label: "Oui"}}}
	if got := decisions.PollNames(v); !slices.Equal(got, []string{"Oui (a)", "Non", "Oui (c)"}) {
		t.Errorf("names %q", got)
	}
	for in, want := range map[string]string{" a  b ": "a b", "a\tb": "a b", "a\u200bb": "", "a\x07": "", "\xff": ""} {
		if got := decisions.CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

// Answers stay when a vote's text changes, and go when its options or
// its method do (before the first ballot): they answered another poll.
func TestAnswersResetWhenThePollChanges(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		official := accounts.As(f.account(t, accounts.Official))
		v, err := f.svc.Create(f.ctx, official, f.spaceID, input(decisions.Approval, nil))
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Set(v.OpensAt)
		if _, err := f.svc.AddAnswer(f.ctx, answer(v, ada, "Des bancs")); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			what   string
			change func(*decisions.Input)
			want   int64
		}{
			{"question", func(in *decisions.Input) { in.Question = "Quoi d’autre ?" }, 1},
			{"label", func(in *decisions.Input) { in.Options[1].Label = "Des bancs en bois" }, 0},
		}
		for _, s := range steps {
			if _, err := f.svc.Update(f.ctx, official, v.ID, input(decisions.Approval, s.change)); err != nil {
				t.Fatal(err)
			}
			if got := f.opinion(t, v).Total(); got != s.want {
				t.Errorf("after changing the %s: %d answers, want %d", s.what, got, s.want)
			}
		}
		if _, err := f.svc.AddAnswer(f.ctx, answer(v, ada, "Des bancs en bois")); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Update(f.ctx, official, v.ID, input(decisions.Single, func(in *decisions.Input) { in.Options[1].Label = "Des bancs en bois" })); err != nil {
			t.Fatal(err)
		}
		if got := f.opinion(t, v).Total(); got != 0 {
			t.Errorf("after changing the method: %d answers", got)
		}
	})
}
