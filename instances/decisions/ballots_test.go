package decisions_test

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/instancestest"
)

func TestCastChangeAndCount(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		v := f.vote(t, decisions.Single, nil)
		ann, bob, cid := f.resident(t), f.resident(t), f.resident(t)
		first := f.cast(t, ann, v, opts("a"))
		if !regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$`).MatchString(first.Receipt) || first.Changed {
			t.Fatalf("first cast %+v", first)
		}
		second := f.cast(t, ann, v, opts("b")) // the last one counts
		if second.Receipt == first.Receipt || !second.Changed {
			t.Fatalf("change %+v after %+v", second, first)
		}
		f.cast(t, bob, v, opts("b"))
		f.cast(t, cid, v, opts("c"))
		if n := f.Count(t, "decision_ballots", ""); n != 3 {
			t.Fatalf("%d ballot rows, want 3", n)
		}
		res := f.close(t, v)
		if got := totals(res.Result); got["a"] != 0 || got["b"] != 2 || got["c"] != 1 {
			t.Errorf("totals %v", got)
		}
		if res.Result.Order[0] != "b" || res.Result.Ballots != 3 || res.Electorate != 3 {
			t.Errorf("result %+v electorate %d", res.Result, res.Electorate)
		}
		var buf bytes.Buffer
		if err := f.svc.WritePublished(f.ctx, &buf, v.ID); err != nil {
			t.Fatal(err)
		}
		p, err := decisions.Verify(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("verify: %v\n%s", err, buf.String())
		}
		var receipts []string
		for _, b := range p.Ballots {
			receipts = append(receipts, b.Receipt)
			if b.Receipt == first.Receipt {
				t.Errorf("the replaced ballot's receipt %s is published", first.Receipt)
			}
		}
		if !strings.Contains(strings.Join(receipts, " "), second.Receipt) || len(receipts) != 3 {
			t.Errorf("published receipts %v, want 3 with %s", receipts, second.Receipt)
		}
		for _, a := range []*accounts.Account{ann, bob, cid} {
			// Handles are short ("p4"): look for them as JSON strings, not
			// inside receipts and ids drawn at random.
			if strings.Contains(buf.String(), a.ID) || strings.Contains(buf.String(), `"`+a.Handle+`"`) ||
				strings.Contains(buf.String(), "@"+a.Handle) || strings.Contains(buf.String(), a.DisplayName) {
				t.Errorf("the published document names voter %s", a.Handle)
			}
		}
		// A tampered document fails.
		bad := strings.Replace(buf.String(), `"options":["c"]`, `"options":["a"]`, 1)
		if _, err := decisions.Verify(strings.NewReader(bad)); err == nil {
			t.Error("a tampered document verified")
		}
		// Closing again changes nothing.
		before := f.State(t)
		f.close(t, v)
		f.Unchanged(t, before, "closing twice")
	})
}

func TestDeskAndPaper(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		v := f.vote(t, decisions.Approval, nil)
		agent := f.account(t, accounts.Agent)
		ann, bob := f.resident(t), f.resident(t)
		atDesk := func(who *accounts.Account) accounts.Actor {
			return accounts.Actor{Account: agent, OnBehalfOf: who, Desk: "mairie"}
		}
		// A desk ballot is the resident's, changeable, and they see who entered it.
		if _, err := f.svc.Cast(f.ctx, atDesk(ann), v.ID, opts("a", "b"), false); err != nil {
			t.Fatal(err)
		}
		mine, err := f.svc.MyBallot(f.ctx, accounts.As(ann), v.ID)
		if err != nil || mine == nil || mine.Channel != decisions.Desk || mine.EnteredBy == nil || mine.EnteredBy.ID != agent.ID || mine.Desk != "mairie" {
			t.Fatalf("my ballot %+v, %v", mine, err)
		}
		f.cast(t, ann, v, opts("c"))
		// Online first: the paper ballot is refused, nothing changes.
		before := f.State(t)
		_, err = f.svc.Cast(f.ctx, atDesk(ann), v.ID, opts("a"), true)
		instancestest.WantErr(t, err, decisions.ErrOnlineCast, "paper after online")
		f.Unchanged(t, before, "paper after online")
		// Paper first: counts once, online refused afterwards.
		if _, err := f.svc.Cast(f.ctx, atDesk(bob), v.ID, opts("d"), true); err != nil {
			t.Fatal(err)
		}
		before = f.State(t)
		_, err = f.svc.Cast(f.ctx, accounts.As(bob), v.ID, opts("a"), false)
		instancestest.WantErr(t, err, decisions.ErrPaperCast, "online after paper")
		_, err = f.svc.Cast(f.ctx, atDesk(bob), v.ID, opts("a"), true)
		instancestest.WantErr(t, err, decisions.ErrPaperCast, "paper twice")
		f.Unchanged(t, before, "after paper")
		if n := f.Count(t, "audit_log", "action LIKE 'decision.ballot.%' AND subject_id = ?", bob.ID); n != 1 {
			t.Errorf("%d desk audit entries for bob, want 1", n)
		}
		res := f.close(t, v)
		if got := totals(res.Result); got["a"] != 0 || got["c"] != 1 || got["d"] != 1 {
			t.Errorf("totals %v", got)
		}
	})
}

func TestOptionsFrozenAfterFirstBallot(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		official := f.account(t, accounts.Official)
		v, err := f.svc.Create(f.ctx, accounts.As(official), f.spaceID, input(decisions.Single, nil))
		if err != nil {
			t.Fatal(err)
		}
		// Before any ballot: allowed.
		v, err = f.svc.Update(f.ctx, accounts.As(official), v.ID, input(decisions.Approval, nil))
		if err != nil || v.Method != decisions.Approval {
			t.Fatalf("update: %v", err)
		}
		f.clock.Set(v.OpensAt)
		f.cast(t, f.resident(t), v, opts("a"))
		resident := f.resident(t)
		before := f.State(t)
		_, err = f.svc.Update(f.ctx, accounts.As(official), v.ID, input(decisions.Ranked, nil))
		instancestest.WantErr(t, err, decisions.ErrBallotsCast, "change after a ballot")
		_, err = f.svc.Update(f.ctx, accounts.As(resident), v.ID, input(decisions.Approval, nil))
		instancestest.WantErr(t, err, decisions.ErrForbidden, "a resident edits")
		f.Unchanged(t, before, "refused updates")
	})
}

func TestBadBallots(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		single := f.vote(t, decisions.Single, nil)
		approval := f.vote(t, decisions.Approval, nil)
		ranked := f.vote(t, decisions.Ranked, nil)
		score := f.vote(t, decisions.Score, nil)
		budget := f.vote(t, decisions.Budget, nil)
		atMostTwo := f.vote(t, decisions.Approval, func(in *decisions.Input) { in.MaxChoices = 2 })
		later, err := f.svc.Create(f.ctx, accounts.As(f.account(t, accounts.Official)), f.spaceID,
			input(decisions.Single, func(in *decisions.Input) { in.OpensAt = start.Add(5 * day) }))
		if err != nil {
			t.Fatal(err)
		}
		ann := f.resident(t)
		unverified := f.account(t)
		f.cast(t, ann, single, opts("a"))
		tests := []struct {
			name   string
			who    *accounts.Account
			vote   *decisions.Vote
			choice decisions.Choice
			want   error
		}{
			{"unverified", unverified, single, opts("a"), decisions.ErrNotVerified},
			{"before opening", ann, later, opts("a"), decisions.ErrNotOpen},
			{"unknown option", ann, single, opts("z"), decisions.ErrUnknownOption},
			{"two on single", ann, single, opts("a", "b"), decisions.ErrOneOption},
			{"empty single", ann, single, opts(), decisions.ErrEmptyBallot},
			{"empty approval", ann, approval, opts(), decisions.ErrEmptyBallot},
			{"repeated approval", ann, approval, opts("a", "a"), decisions.ErrRepeated},
			{"repeated ranked", ann, ranked, rank("a", "b", "a"), decisions.ErrRepeated},
			{"unknown ranked", ann, ranked, rank("a", "x"), decisions.ErrUnknownOption},
			{"ranked as options", ann, ranked, opts("a"), decisions.ErrWrongForm},
			{"score too high", ann, score, decisions.Choice{Scores: map[string]int{"a": 6}}, decisions.ErrScoreBounds},
			{"score too low", ann, score, decisions.Choice{Scores: map[string]int{"a": -1}}, decisions.ErrScoreBounds},
			{"score unknown", ann, score, decisions.Choice{Scores: map[string]int{"q": 1}}, decisions.ErrUnknownOption},
			{"over budget", ann, budget, opts("c", "d"), decisions.ErrOverBudget}, // 50 + 60 > 100
			{"too many", ann, atMostTwo, opts("a", "b", "c"), decisions.ErrTooMany},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := f.State(t)
				_, err := f.svc.Cast(f.ctx, accounts.As(tc.who), tc.vote.ID, tc.choice, false)
				instancestest.WantErr(t, err, tc.want, tc.name)
				f.Unchanged(t, before, tc.name)
			})
		}
		f.cast(t, ann, atMostTwo, opts("a", "c")) // the limit itself is allowed
		// After closing.
		f.clock.Set(single.ClosesAt)
		before := f.State(t)
		_, err = f.svc.Cast(f.ctx, accounts.As(ann), single.ID, opts("b"), false)
		instancestest.WantErr(t, err, decisions.ErrClosed, "after closing")
		_, err = f.svc.Cast(f.ctx, accounts.System, single.ID, opts("b"), false)
		instancestest.WantErr(t, err, decisions.ErrSignIn, "nobody")
		f.Unchanged(t, before, "after closing")
	})
}

func TestBadVotes(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		official := f.account(t, accounts.Official)
		tests := []struct {
			name   string
			actor  accounts.Actor
			change func(*decisions.Input)
			want   error
		}{
			{"resident", accounts.As(f.resident(t)), nil, decisions.ErrForbidden},
			{"no question", accounts.As(official), func(in *decisions.Input) { in.Question = " " }, decisions.ErrQuestion},
			{"one option", accounts.As(official), func(in *decisions.Input) { in.Options = in.Options[:1] }, decisions.ErrOptions},
			{"same keys", accounts.As(official), func(in *decisions.Input) { in.Options[1].Key = "a" }, decisions.ErrOptions},
			{"no method", accounts.As(official), func(in *decisions.Input) { in.Method = "borda" }, decisions.ErrMethod},
			{"closes first", accounts.As(official), func(in *decisions.Input) { in.ClosesAt = in.OpensAt }, decisions.ErrDates},
			{"bad bounds", accounts.As(official), func(in *decisions.Input) { in.Method, in.ScoreMin, in.ScoreMax = decisions.Score, 3, 3 }, decisions.ErrBounds},
			{"budget no cost", accounts.As(official), func(in *decisions.Input) { in.Method, in.BudgetTotal = decisions.Budget, 10 }, decisions.ErrBudget},
			{"status quo not ranked", accounts.As(official), func(in *decisions.Input) { in.StatusQuo = "d" }, decisions.ErrStatusQuo},
			{"unknown category", accounts.As(official), func(in *decisions.Input) { in.Category = "parcs" }, decisions.ErrCategory},
			{"negative age floor", accounts.As(official), func(in *decisions.Input) { in.MinAge = -1 }, decisions.ErrMinAge},
			{"age floor over 120", accounts.As(official), func(in *decisions.Input) { in.MinAge = 121 }, decisions.ErrMinAge},
			{"unknown district", accounts.As(official), func(in *decisions.Input) { in.District = "Atlantis" }, accounts.ErrDistrict},
			{"at most on single", accounts.As(official), func(in *decisions.Input) { in.MaxChoices = 1 }, decisions.ErrMaxChoices},
			{"at most over options", accounts.As(official), func(in *decisions.Input) { in.Method, in.MaxChoices = decisions.Approval, 5 }, decisions.ErrMaxChoices},
			{"at most negative", accounts.As(official), func(in *decisions.Input) { in.Method, in.MaxChoices = decisions.Approval, -1 }, decisions.ErrMaxChoices},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := f.State(t)
				_, err := f.svc.Create(f.ctx, tc.actor, f.spaceID, input(decisions.Single, tc.change))
				instancestest.WantErr(t, err, tc.want, tc.name)
				f.Unchanged(t, before, tc.name)
			})
		}
	})
}

// EachBallot hands the counted ballots, in no particular order, as the
// published ones; not before closing.
func TestEachBallot(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		v := f.vote(t, decisions.Approval, nil)
		f.cast(t, f.resident(t), v, opts("a", "c"))
		f.cast(t, f.resident(t), v, opts("d"))
		none := func([]int32, int64) error { return nil }
		instancestest.WantErr(t, f.svc.EachBallot(f.ctx, v.ID, none), decisions.ErrStillOpen, "before closing")
		f.close(t, v)
		var got, want []string
		err := f.svc.EachBallot(f.ctx, v.ID, func(marks []int32, weight int64) error {
			got = append(got, fmt.Sprint(marks, weight))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		spec := v.Spec()
		err = f.svc.EachPublished(f.ctx, v.ID, func(b decisions.PublishedBallot) error {
			marks, err := spec.Marks(b.Choice)
			want = append(want, fmt.Sprint(marks, b.Weight))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || len(got) != 2 {
			t.Errorf("ballots %v, published %v", got, want)
		}
	})
}

// TestCastWithStaleVote casts with a vote read before it changed, as a
// page (or ForBallot's cache) may hold one: the ballot is checked
// against the vote as it is when recorded, never against old options,
// and a vote closed meanwhile takes no ballot.
func TestCastWithStaleVote(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		official := f.account(t, accounts.Official)
		ann := f.resident(t)
		v := f.vote(t, decisions.Single, nil)
		stale, err := f.svc.ForBallot(f.ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Option "d" goes, "z" comes, before any ballot.
		if _, err := f.svc.Update(f.ctx, accounts.As(official), v.ID, input(decisions.Single, func(in *decisions.Input) {
			in.Options[3] = decisions.Option{Key: "z", Label: "Des fontaines"}
		})); err != nil {
			t.Fatal(err)
		}
		before := f.State(t)
		_, err = f.svc.CastIn(f.ctx, accounts.As(ann), stale, opts("d"), false)
		instancestest.WantErr(t, err, decisions.ErrUnknownOption, "an option removed since the vote was read")
		f.Unchanged(t, before, "an option removed since the vote was read")
		// An option in both: recorded.
		if _, err := f.svc.CastIn(f.ctx, accounts.As(ann), stale, opts("a"), false); err != nil {
			t.Fatalf("a ballot for a kept option with a stale vote: %v", err)
		}
		fresh, err := f.svc.ForBallot(f.ctx, v.ID)
		if err != nil || !slices.ContainsFunc(fresh.Options, func(o decisions.Option) bool { return o.Key == "z" }) {
			t.Fatalf("ForBallot after Update: %+v, %v", fresh, err)
		}
		// Closed after it was read: the clock back inside the window (as
		// a ballot that waited for the closing's lock sees it), refused.
		f.close(t, v)
		f.clock.Set(v.OpensAt)
		before = f.State(t)
		_, err = f.svc.CastIn(f.ctx, accounts.As(ann), fresh, opts("a"), false)
		instancestest.WantErr(t, err, decisions.ErrClosed, "a vote closed since it was read")
		f.Unchanged(t, before, "a vote closed since it was read")
	})
}
