package reports_test

import (
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/instancestest"
	"agora/instances/markup"
	"agora/instances/reports"
	"agora/instances/spaces"
)

// suggestionFixture adds suggestion categories, verified residents, a
// neighbourhood council and the decisions service to the reports'
// fixture.
type suggestionFixture struct {
	*fixture
	spaces  *spaces.Service
	dec     *decisions.Service
	council *reports.Council

	councilID, processID string
	carol, dan           *accounts.Account // carol and dan are verified; alice too, bob not
}

func runSuggestions(t *testing.T, fn func(t *testing.T, f *suggestionFixture)) {
	t.Helper()
	run(t, func(t *testing.T, base *fixture) {
		f := &suggestionFixture{fixture: base}
		f.Names = append(f.Names, "report_council_votes", "decision_votes", "decision_options", "decision_ballots", "spaces")
		f.spaces = spaces.NewService(f.db, markup.New(), f.clock.Now)
		f.dec = decisions.NewService(f.db, f.acc, f.spaces, f.clock.Now)
		f.council = reports.NewCouncil(f.db, f.svc, f.spaces, f.dec, f.clock.Now)
		for i, c := range []reports.Category{
			{Slug: "banc", NameFR: "Banc", NameEN: "Bench", Service: "Voirie", Kind: reports.Suggestion},
			{Slug: "arbre", NameFR: "Arbre", NameEN: "Tree", Service: "Espaces verts", Kind: reports.Suggestion},
		} {
			c.Position = 10 + i
			if err := f.svc.SaveCategory(f.ctx, accounts.As(f.admin), c); err != nil {
				t.Fatal(err)
			}
		}
		f.carol = instancestest.Account(t, f.acc, "carol")
		f.dan = instancestest.Account(t, f.acc, "dan")
		for _, a := range []*accounts.Account{f.alice, f.carol, f.dan} {
			if err := f.acc.VerifyByOperator(f.ctx, a.ID, accounts.Electoral{}); err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range []struct {
			id   *string
			slug string
			kind spaces.Kind
		}{{&f.councilID, "conseil-oberkampf", spaces.Council}, {&f.processID, "budget", spaces.Process}} {
			sp, err := f.spaces.Create(f.ctx, accounts.System, spaces.NewSpace{Slug: s.slug, Title: "Espace " + s.slug, Kind: s.kind})
			if err != nil {
				t.Fatal(err)
			}
			*s.id = sp.ID
		}
		fn(t, f)
	})
}

func (f *suggestionFixture) suggest(t *testing.T, who accounts.Actor, category, text string) *reports.Report {
	t.Helper()
	f.clock.Advance(time.Minute) // newest first is then a known order
	p := inside
	r, err := f.svc.Create(f.ctx, who, reports.Input{Category: category, Point: &p, Description: text})
	if err != nil {
		t.Fatalf("suggest: %v", err)
	}
	return r
}

func ids(list []reports.Report) []string {
	out := make([]string, len(list))
	for i, r := range list {
		out[i] = r.ID
	}
	return out
}

func TestSuggestAndSupport(t *testing.T) {
	runSuggestions(t, func(t *testing.T, f *suggestionFixture) {
		// A bad kind of category is refused, nothing changed.
		before := f.State(t)
		err := f.svc.SaveCategory(f.ctx, accounts.As(f.admin), reports.Category{Slug: "fontaine", NameFR: "Fontaine", NameEN: "Fountain", Service: "Eau", Kind: "wish"})
		wantErr(t, err, reports.ErrCategoryInput, "unknown kind")
		f.Unchanged(t, before, "unknown kind")

		problem := f.report(t, accounts.As(f.bob), "nid-de-poule", inside)
		bench := f.suggest(t, accounts.As(f.alice), "banc", "Un banc face au square, à l’ombre.")
		desk := accounts.Actor{Account: f.agent, OnBehalfOf: f.bob, Desk: "Mairie du 11e"}
		tree := f.suggest(t, desk, "arbre", "Un arbre devant l’école.")
		if got := f.get(t, tree.ID); got.AuthorID != f.bob.ID || got.EnteredBy != f.agent.ID || got.CouncilRank != nil {
			t.Errorf("suggestion at a desk %+v", got)
		}

		// Lists and the map's box keep suggestions apart from problems.
		for _, c := range []struct {
			kind reports.Kind
			want []string
		}{{reports.Suggestion, []string{tree.ID, bench.ID}}, {reports.Problem, []string{problem.ID}}, {"", []string{tree.ID, bench.ID, problem.ID}}} {
			list, err := f.svc.List(f.ctx, reports.Query{Kind: c.kind})
			if err != nil || !equal(ids(list), c.want) {
				t.Errorf("list of %q: %v %v, want %v", c.kind, ids(list), err, c.want)
			}
			pins, _, err := f.svc.Pins(f.ctx, reports.Around(inside, 100), reports.Filter{Kind: c.kind}, 0)
			if err != nil || len(pins) != len(c.want) {
				t.Errorf("pins of %q: %d %v, want %d", c.kind, len(pins), err, len(c.want))
			}
		}

		// Support: once each, verified residents, not one's own; a refusal changes nothing.
		wantErr(t, f.svc.Confirm(f.ctx, accounts.As(f.carol), bench.ID), nil, "carol supports")
		wantErr(t, f.svc.Confirm(f.ctx, accounts.Actor{Account: f.agent, OnBehalfOf: f.dan, Desk: "Mairie du 11e"}, bench.ID), nil, "dan supports at a desk")
		for _, c := range []struct {
			name string
			who  accounts.Actor
			id   string
			want error
		}{
			{"twice", accounts.As(f.carol), bench.ID, reports.ErrAlreadyConfirmed},
			{"own suggestion", accounts.As(f.alice), bench.ID, reports.ErrOwnReport},
			{"own at a desk", desk, tree.ID, reports.ErrOwnReport},
			{"not verified", accounts.As(f.bob), bench.ID, reports.ErrNotVerified},
			{"nobody", accounts.System, bench.ID, reports.ErrForbidden},
			{"unknown", accounts.As(f.carol), "nope", reports.ErrNotFound},
		} {
			before := f.State(t)
			wantErr(t, f.svc.Confirm(f.ctx, c.who, c.id), c.want, c.name)
			f.Unchanged(t, before, c.name)
		}
		if got := f.get(t, bench.ID); got.ConfirmCount != 2 {
			t.Errorf("supports %d, want 2", got.ConfirmCount)
		}
		// A problem's "me too" still needs no verification.
		wantErr(t, f.svc.Confirm(f.ctx, accounts.As(f.fixture.roads), problem.ID), nil, "me too on a problem")
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCouncilRanksSuggestions(t *testing.T) {
	runSuggestions(t, func(t *testing.T, f *suggestionFixture) {
		official := accounts.As(f.roads)
		day := 24 * time.Hour
		opens, closes := start.Add(time.Hour), start.Add(8*day)
		in := reports.CouncilInput{Question: "Quels aménagements d’abord ?", Method: decisions.Ranked, OpensAt: opens, ClosesAt: closes}

		bench := f.suggest(t, accounts.As(f.alice), "banc", "Un banc face au square.")
		// Too few suggestions yet.
		before := f.State(t)
		_, err := f.council.OpenVote(f.ctx, official, f.councilID, in)
		wantErr(t, err, reports.ErrSuggestionsFew, "one suggestion")
		f.Unchanged(t, before, "one suggestion")

		tree := f.suggest(t, accounts.As(f.carol), "arbre", "Un arbre devant l’école.")
		rack := f.suggest(t, accounts.As(f.dan), "banc", "Un arceau à vélos rue Oberkampf.")
		f.report(t, accounts.As(f.bob), "nid-de-poule", inside) // a problem: never on the ballot
		wantErr(t, f.svc.Confirm(f.ctx, accounts.As(f.carol), rack.ID), nil, "support rack")
		wantErr(t, f.svc.Confirm(f.ctx, accounts.As(f.alice), rack.ID), nil, "support rack")
		wantErr(t, f.svc.Confirm(f.ctx, accounts.As(f.dan), tree.ID), nil, "support tree")

		for _, c := range []struct {
			name   string
			who    accounts.Actor
			space  string
			change func(*reports.CouncilInput)
			want   error
		}{
			{"a resident", accounts.As(f.alice), f.councilID, nil, decisions.ErrForbidden},
			{"at a desk", accounts.Actor{Account: f.agent, OnBehalfOf: f.roads, Desk: "Mairie"}, f.councilID, nil, decisions.ErrForbidden},
			{"not a council", official, f.processID, nil, reports.ErrNotCouncil},
			{"unknown space", official, "nope", nil, spaces.ErrNotFound},
			{"a problem category", official, f.councilID, func(in *reports.CouncilInput) { in.Categories = []string{"nid-de-poule"} }, reports.ErrNotSuggestion},
			{"one suggestion in the category", official, f.councilID, func(in *reports.CouncilInput) { in.Categories = []string{"arbre"} }, reports.ErrSuggestionsFew},
			{"single choice", official, f.councilID, func(in *reports.CouncilInput) { in.Method = decisions.Single }, reports.ErrMethod},
			{"no question", official, f.councilID, func(in *reports.CouncilInput) { in.Question = "" }, decisions.ErrQuestion},
			{"closes before it opens", official, f.councilID, func(in *reports.CouncilInput) { in.ClosesAt = opens }, decisions.ErrDates},
		} {
			before := f.State(t)
			bad := in
			if c.change != nil {
				c.change(&bad)
			}
			_, err := f.council.OpenVote(f.ctx, c.who, c.space, bad)
			wantErr(t, err, c.want, c.name)
			f.Unchanged(t, before, c.name)
		}

		v, err := f.council.OpenVote(f.ctx, official, f.councilID, in)
		wantErr(t, err, nil, "open the council's vote")
		// The options are the open suggestions, most supported first.
		var keys []string
		for _, o := range v.Options {
			keys = append(keys, o.Key)
		}
		if want := []string{rack.ID, tree.ID, bench.ID}; !equal(keys, want) || v.Options[0].Label != "Un arceau à vélos rue Oberkampf." || v.SpaceID != f.councilID {
			t.Fatalf("options %v %+v, want %v", keys, v.Options, want)
		}

		f.clock.Set(opens.Add(time.Hour))
		for _, b := range []struct {
			who     *accounts.Account
			ranking []string
		}{
			{f.alice, []string{tree.ID, bench.ID, rack.ID}},
			{f.carol, []string{tree.ID, rack.ID}},
			{f.dan, []string{bench.ID, tree.ID}},
		} {
			if _, err := f.dec.Cast(f.ctx, accounts.As(b.who), v.ID, decisions.Choice{Ranking: b.ranking}, false); err != nil {
				t.Fatalf("ballot: %v", err)
			}
		}
		wantErr(t, f.council.Rank(f.ctx, v.ID), reports.ErrVoteRunning, "rank before closing")
		if got := f.get(t, tree.ID); got.CouncilRank != nil {
			t.Errorf("rank %v before closing", *got.CouncilRank)
		}
		wantErr(t, f.council.Rank(f.ctx, "nope"), reports.ErrNoCouncilVote, "rank another vote")

		f.clock.Set(closes)
		n, err := f.council.RankDue(f.ctx)
		if err != nil || n != 1 {
			t.Fatalf("rank due: %d %v", n, err)
		}
		// Tree beats both (2:1 each); bench beats rack (2:1).
		for id, want := range map[string]int{tree.ID: 1, bench.ID: 2, rack.ID: 3} {
			got := f.get(t, id)
			if got.CouncilRank == nil || *got.CouncilRank != want || got.CouncilVote != v.ID {
				t.Errorf("%s: rank %v vote %q, want %d", got.Description, got.CouncilRank, got.CouncilVote, want)
			}
		}
		list, err := f.svc.List(f.ctx, reports.Query{Kind: reports.Suggestion, ByRank: true})
		if want := []string{tree.ID, bench.ID, rack.ID}; err != nil || !equal(ids(list), want) {
			t.Errorf("by rank %v %v, want %v", ids(list), err, want)
		}
		if n, err := f.council.RankDue(f.ctx); err != nil || n != 0 {
			t.Errorf("ranked twice: %d %v", n, err)
		}
	})
}
