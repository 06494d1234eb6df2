package decisions_test

import (
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/instancestest"
)

// A vote for the residents of one district aged 16 and over: who may
// vote, who is told why not, whose delegated weight counts, and the size
// of the electorate.
func TestElectorateByAgeAndDistrict(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		if err := f.acc.SetDistricts(f.ctx, accounts.System, []string{"Necker", "Grenelle"}); err != nil {
			t.Fatal(err)
		}
		// The vote opens a day after start and closes a week later.
		v := f.vote(t, decisions.Single, func(in *decisions.Input) { in.MinAge, in.District = 16, "Necker" })
		closes := v.ClosesAt
		born := func(years int, shift time.Duration) int {
			return accounts.BirthDate(closes.AddDate(-years, 0, 0).Add(shift))
		}
		person := func(e accounts.Electoral) *accounts.Account {
			t.Helper()
			a := f.account(t)
			if err := f.acc.VerifyByOperator(f.ctx, a.ID, e); err != nil {
				t.Fatalf("verify %+v: %v", e, err)
			}
			return a
		}
		adult := person(accounts.Electoral{BirthDate: born(40, 0), District: "Necker"})
		delegate := person(accounts.Electoral{BirthDate: born(30, 0), District: "Necker"})
		if err := f.svc.Agree(f.ctx, accounts.As(delegate)); err != nil {
			t.Fatal(err)
		}
		young := person(accounts.Electoral{BirthDate: born(15, 0), District: "Necker"})
		elsewhere := person(accounts.Electoral{BirthDate: born(40, 0), District: "Grenelle"})
		unknownAge := person(accounts.Electoral{District: "Necker"})
		noDistrict := person(accounts.Electoral{BirthDate: born(40, 0)})
		// Sixteen on the day the vote closes: in the electorate at closing
		// (not yet on the day they try to vote).
		birthday := person(accounts.Electoral{BirthDate: born(16, 0), District: "Necker"})

		for _, tc := range []struct {
			name string
			who  *accounts.Account
			want error
		}{
			{"too young", young, accounts.ErrTooYoung},
			{"another district", elsewhere, accounts.ErrOtherDistrict},
			{"no birth date", unknownAge, accounts.ErrNoBirthDate},
			{"no district", noDistrict, accounts.ErrNoDistrict},
			{"sixteen only at closing", birthday, accounts.ErrTooYoung},
		} {
			before := f.State(t)
			_, err := f.svc.Cast(f.ctx, accounts.As(tc.who), v.ID, opts("a"), false)
			instancestest.WantErr(t, err, tc.want, tc.name)
			f.Unchanged(t, before, tc.name)
		}
		f.cast(t, adult, v, opts("b"))
		f.cast(t, delegate, v, opts("a"))
		// Delegations are node-wide: whose weight counts is decided by the
		// vote's electorate at closing.
		for _, who := range []*accounts.Account{young, elsewhere, birthday} {
			if err := f.svc.Delegate(f.ctx, accounts.As(who), decisions.Scope{}, delegate.ID, false); err != nil {
				t.Fatalf("delegate: %v", err)
			}
		}
		// The too-young resident passes weight on: unknownAge (in the
		// electorate) → young (outside) → delegate.
		if err := f.svc.Delegate(f.ctx, accounts.As(unknownAge), decisions.Scope{}, young.ID, false); err == nil {
			t.Fatal("delegating to a non-delegate was accepted")
		}
		if err := f.svc.Agree(f.ctx, accounts.As(young)); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Delegate(f.ctx, accounts.As(noDistrict), decisions.Scope{}, young.ID, false); err != nil {
			t.Fatal(err)
		}
		res := f.close(t, v)
		r := res.Result
		// delegate carries birthday (16 at closing) only: young is too
		// young, elsewhere of another district, and noDistrict outside it.
		if got := totals(r); got["a"] != 2 || got["b"] != 1 || r.Delegated != 1 {
			t.Errorf("totals %v, delegated %d; want a 2, b 1, 1 delegated", got, r.Delegated)
		}
		if r.Lost != (decisions.Lost{}) {
			t.Errorf("lost %v, want none: weight from outside the electorate is not lost, it never was", r.Lost)
		}
		// adult, delegate and birthday: unknownAge has no birth date, the
		// others are too young or of elsewhere, and the official has none.
		if res.Electorate != 3 {
			t.Errorf("electorate %d, want 3", res.Electorate)
		}
	})
}

// Transit: a delegator in the electorate whose delegate is outside it
// still reaches the delegate's own delegate.
func TestElectorateTransit(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		if err := f.acc.SetDistricts(f.ctx, accounts.System, []string{"Necker", "Grenelle"}); err != nil {
			t.Fatal(err)
		}
		v := f.vote(t, decisions.Single, func(in *decisions.Input) { in.District = "Necker" })
		person := func(district string) *accounts.Account {
			t.Helper()
			a := f.account(t)
			if err := f.acc.VerifyByOperator(f.ctx, a.ID, accounts.Electoral{District: district}); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.Agree(f.ctx, accounts.As(a)); err != nil {
				t.Fatal(err)
			}
			return a
		}
		from, via, to := person("Necker"), person("Grenelle"), person("Necker")
		for _, d := range [][2]*accounts.Account{{from, via}, {via, to}} {
			if err := f.svc.Delegate(f.ctx, accounts.As(d[0]), decisions.Scope{}, d[1].ID, false); err != nil {
				t.Fatal(err)
			}
		}
		f.cast(t, to, v, opts("c"))
		r := f.close(t, v).Result
		if got := totals(r); got["c"] != 2 || r.Delegated != 1 {
			t.Errorf("totals %v delegated %d; want c 2 (to and from through via), 1 delegated", got, r.Delegated)
		}
	})
}

func TestDistrictsAndDetails(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		resident := f.account(t)
		agent := f.account(t, accounts.Agent)
		desk := accounts.Actor{Account: agent, Desk: "Mairie – guichet 1"}
		for _, tc := range []struct {
			name  string
			actor accounts.Actor
			names []string
			want  error
		}{
			{"resident", accounts.As(resident), []string{"A"}, accounts.ErrForbidden},
			{"agent", accounts.As(agent), []string{"A"}, accounts.ErrForbidden},
			{"twice", accounts.System, []string{"A", "A"}, accounts.ErrDistrictName},
			{"empty", accounts.System, []string{"A", " "}, accounts.ErrDistrictName},
			{"control", accounts.System, []string{"A\nB"}, accounts.ErrDistrictName},
		} {
			err := f.acc.SetDistricts(f.ctx, tc.actor, tc.names)
			instancestest.WantErr(t, err, tc.want, tc.name)
			if ds, _ := f.acc.Districts(f.ctx); len(ds) != 0 {
				t.Fatalf("%s: districts %v after a refusal", tc.name, ds)
			}
		}
		if err := f.acc.SetDistricts(f.ctx, accounts.System, []string{"Necker", "Grenelle"}); err != nil {
			t.Fatal(err)
		}
		if ds, _ := f.acc.Districts(f.ctx); len(ds) != 2 || ds[0] != "Necker" {
			t.Fatalf("districts %v", ds)
		}
		for _, tc := range []struct {
			name string
			e    accounts.Electoral
			want error
		}{
			{"unknown district", accounts.Electoral{District: "Javel"}, accounts.ErrDistrict},
			{"future birth", accounts.Electoral{BirthDate: accounts.BirthDate(start.AddDate(1, 0, 0))}, accounts.ErrBirthDate},
			{"not a date", accounts.Electoral{BirthDate: 20010231}, accounts.ErrBirthDate},
			{"too old", accounts.Electoral{BirthDate: 18000101}, accounts.ErrBirthDate},
		} {
			err := f.acc.VerifyAtDesk(f.ctx, desk, resident.ID, "id_card", tc.e)
			instancestest.WantErr(t, err, tc.want, tc.name)
			if r, _ := f.acc.Residency(f.ctx, resident.ID); r != nil {
				t.Fatalf("%s: a residency was recorded", tc.name)
			}
		}
		if err := f.acc.VerifyAtDesk(f.ctx, desk, resident.ID, "id_card", accounts.Electoral{BirthDate: 19900412, District: "Grenelle"}); err != nil {
			t.Fatal(err)
		}
		// A renewal that records nothing keeps what was recorded.
		if err := f.acc.VerifyAtDesk(f.ctx, desk, resident.ID, "passport", accounts.Electoral{}); err != nil {
			t.Fatal(err)
		}
		r, err := f.acc.Residency(f.ctx, resident.ID)
		if err != nil || r.BirthDate != 19900412 || r.District != "Grenelle" || r.Document != "passport" {
			t.Fatalf("residency %+v, %v", r, err)
		}
		if got, _ := accounts.ParseBirthDate("12/04/1990"); got != 19900412 {
			t.Errorf("ParseBirthDate(12/04/1990) = %d", got)
		}
	})
}
