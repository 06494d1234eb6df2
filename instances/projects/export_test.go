package projects_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/instancestest"
	"agora/instances/projects"
	"agora/storage/storagetest"
)

// An edition voted on the node gives one .pb file per heading once
// counted: the published ballots keyed by receipt, never an identity;
// ParsePB reads it back and counting it by its rule funds what Count
// recorded, votes included, under both rules and through a tie that
// only the vote's drawn tie order decides.
func TestEditionPBFile(t *testing.T) {
	storagetest.Parallel(t, newVoteFixture, func(t *testing.T, f *voteFixture) {
		ctx := t.Context()
		for _, rule := range []budgets.Rule{budgets.Greedy, budgets.EqualShares} {
			b, err := f.svc.CreateBudget(ctx, f.official, projects.BudgetInput{SpaceID: f.spaceID, Title: "Budget; \"2027\"",
				Rule: rule, BallotKind: projects.Approval, Headings: []projects.HeadingInput{
					{Name: "Saint-Lambert", Amount: 100}, {Name: "Toute la ville", Amount: 60}}})
			if err != nil {
				t.Fatal(err)
			}
			// City-wide: 1 and 2 cost 50 and get a vote each, only one
			// fits: the vote's tie order decides.
			for i, c := range []int64{50, 50, 30, 60, 50, 40} {
				h := "toute-la-ville"
				if i >= 3 {
					h = "saint-lambert"
				}
				p, err := f.svc.AddProject(ctx, f.official, projects.ProjectInput{BudgetID: b.ID, Heading: h,
					Title: "Projet\nsur deux lignes", Theme: "=Sport", Cost: c})
				if err != nil {
					t.Fatal(err)
				}
				if err := f.svc.SetReview(ctx, f.official, p.ID, projects.ReviewInput{Feasible: true, Cost: c}); err != nil {
					t.Fatal(err)
				}
			}
			_, err = f.voting.PBFile(ctx, b.ID, "toute-la-ville")
			instancestest.WantErr(t, err, projects.ErrNoVote, "before the vote")
			f.clock.Set(window.OpensAt.AddDate(0, 0, -1))
			if _, err := f.voting.OpenVote(ctx, f.official, b.ID, window); err != nil {
				t.Fatal(err)
			}
			f.clock.Set(window.OpensAt)
			ann, carl, dan := f.voter(t, "Saint-Lambert"), f.voter(t, "Saint-Lambert"), f.voter(t, "Saint-Lambert")
			receipts := map[string]bool{}
			for _, c := range []struct {
				who     *accounts.Account
				heading string
				keys    []string
			}{
				{ann, "toute-la-ville", []string{"1"}},
				{carl, "toute-la-ville", []string{"2"}},
				{ann, "saint-lambert", []string{"4", "6"}},
				{carl, "saint-lambert", []string{"5", "6"}},
				{dan, "saint-lambert", []string{"4", "5", "6"}},
			} {
				r, err := f.voting.Cast(ctx, accounts.As(c.who), b.ID, c.heading, c.keys)
				if err != nil {
					t.Fatal(err)
				}
				receipts[r.Receipt] = true
			}
			_, err = f.voting.PBFile(ctx, b.ID, "toute-la-ville")
			instancestest.WantErr(t, err, projects.ErrVoteRunning, "before the count")
			f.clock.Set(window.ClosesAt)
			if _, err := f.voting.Count(ctx, f.official, b.ID); err != nil {
				t.Fatal(err)
			}
			_, err = f.voting.PBFile(ctx, b.ID, "ailleurs")
			instancestest.WantErr(t, err, projects.ErrNotFound, "unknown heading")

			list, err := f.svc.Projects(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range []string{"saint-lambert", "toute-la-ville"} {
				pb, err := f.voting.PBFile(ctx, b.ID, h)
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := budgets.WritePB(&buf, pb); err != nil {
					t.Fatal(err)
				}
				for _, who := range []*accounts.Account{ann, carl, dan} {
					if strings.Contains(buf.String(), who.ID) {
						t.Errorf("%s: the file names a voter:\n%s", h, buf.String())
					}
				}
				back, err := budgets.ParsePB(&buf, budgets.Limits{})
				if err != nil {
					t.Fatalf("%s: read back: %v", h, err)
				}
				for _, v := range back.Votes {
					if !receipts[v.VoterID] {
						t.Errorf("%s: voter_id %q is no receipt", h, v.VoterID)
					}
				}
				e, gotRule, err := back.Election(h)
				if err != nil || gotRule != rule {
					t.Fatalf("%s: election %v, rule %s", h, err, gotRule)
				}
				res, err := budgets.Compute(e, gotRule, budgets.Options{})
				if err != nil {
					t.Fatal(err)
				}
				recounted := map[string]bool{}
				for _, id := range res.Headings[0].Funded {
					recounted[id] = true
				}
				votes := map[string]int64{}
				for _, p := range res.Headings[0].Projects {
					votes[p.ID] = p.Votes
				}
				var funded int
				for _, p := range list {
					if p.Heading != h {
						continue
					}
					if recounted[p.Ref] != p.Funded || votes[p.Ref] != p.Votes {
						t.Errorf("%s %s project %s: recounted funded=%t votes=%d, recorded %t %d", rule, h, p.Ref,
							recounted[p.Ref], votes[p.Ref], p.Funded, p.Votes)
					}
					if p.Funded {
						funded++
					}
				}
				if h == "toute-la-ville" && funded != 1 {
					t.Errorf("%s: the tie funds %d projects, want 1", rule, funded)
				}
				if back.Meta.Budget != map[string]int64{"saint-lambert": 100, "toute-la-ville": 60}[h] ||
					!slices.Contains(back.ProjectColumns, "name") || back.Projects[0].Fields["name"] != "Projet sur deux lignes" {
					t.Errorf("%s: meta %+v, columns %v, project %+v", h, back.Meta, back.ProjectColumns, back.Projects[0])
				}
			}
			f.clock.Set(window.OpensAt.AddDate(0, 0, -2))
		}
	})
}
