package decisions_test

import (
	"errors"
	"slices"
	"testing"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/instancestest"
)

// A vote with several mistakes is refused with every one of them, each
// named by its field, and nothing is stored.
func TestBadVoteAllAtOnce(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		official := f.account(t, accounts.Official)
		before := f.State(t)
		_, err := f.svc.Create(f.ctx, accounts.As(official), f.spaceID, input(decisions.Score, func(in *decisions.Input) {
			in.Question, in.Category, in.Quorum = "", "parcs", -1
			in.Options = in.Options[:1]
			in.ClosesAt = in.OpensAt
			in.ScoreMin, in.ScoreMax = 5, 5
			in.StatusQuo = "a"
		}))
		var inv *decisions.InvalidError
		if !errors.As(err, &inv) {
			t.Fatalf("err %v, want an InvalidError", err)
		}
		var fields []string
		for _, fe := range inv.Errors {
			fields = append(fields, fe.Field)
		}
		want := []string{"question", "category", "options", "closes_at", "score", "status_quo", "quorum"}
		if !slices.Equal(fields, want) {
			t.Errorf("fields %v, want %v", fields, want)
		}
		for _, rule := range []error{decisions.ErrQuestion, decisions.ErrCategory, decisions.ErrOptions, decisions.ErrDates,
			decisions.ErrBounds, decisions.ErrStatusQuo, decisions.ErrQuorum} {
			instancestest.WantErr(t, err, rule, rule.Error())
		}
		instancestest.WantErr(t, f.svc.Validate(f.ctx, f.spaceID, input(decisions.Single, func(in *decisions.Input) { in.Question = "" })),
			decisions.ErrQuestion, "validate a vote without a question")
		instancestest.WantErr(t, f.svc.Validate(f.ctx, f.spaceID, input(decisions.Single, nil)), nil, "validate a good vote")
		f.Unchanged(t, before, "a vote with many mistakes")
	})
}

// Editable says yes until the first ballot, then ErrBallotsCast; an
// unknown vote is ErrNotFound.
func TestEditable(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		v := f.vote(t, decisions.Single, nil)
		instancestest.WantErr(t, f.svc.Editable(f.ctx, v.ID), nil, "before any ballot")
		f.cast(t, f.resident(t), v, opts("a"))
		instancestest.WantErr(t, f.svc.Editable(f.ctx, v.ID), decisions.ErrBallotsCast, "after a ballot")
		instancestest.WantErr(t, f.svc.Editable(f.ctx, "nope"), decisions.ErrNotFound, "no such vote")
	})
}

// EachPublished gives the ballots the published document lists, in its
// order, with the delegate's weight; before closing, ErrStillOpen.
func TestEachPublished(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		v := f.vote(t, decisions.Approval, nil)
		d := f.delegate(t)
		for range 2 {
			if err := f.svc.Delegate(f.ctx, accounts.As(f.resident(t)), decisions.Scope{}, d.ID, false); err != nil {
				t.Fatal(err)
			}
		}
		f.cast(t, d, v, opts("a", "b"))
		f.cast(t, f.resident(t), v, opts("c"))
		each := func() ([]decisions.PublishedBallot, error) {
			var got []decisions.PublishedBallot
			err := f.svc.EachPublished(f.ctx, v.ID, func(pb decisions.PublishedBallot) error {
				got = append(got, pb)
				return nil
			})
			return got, err
		}
		_, err := each()
		instancestest.WantErr(t, err, decisions.ErrStillOpen, "before closing")
		f.close(t, v)
		got, err := each()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Receipt > got[1].Receipt {
			t.Fatalf("ballots %+v", got)
		}
		var weights []int64
		for _, pb := range got {
			weights = append(weights, pb.Weight)
			if pb.Weight == 3 && (pb.Delegate != d.Handle || pb.Delegated != 2 || !slices.Equal(pb.Choice.Options, []string{"a", "b"})) {
				t.Errorf("the delegate's ballot %+v", pb)
			}
		}
		slices.Sort(weights)
		if !slices.Equal(weights, []int64{1, 3}) {
			t.Errorf("weights %v", weights)
		}
	})
}
