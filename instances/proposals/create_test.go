package proposals_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

func TestCreateOnlyInTheProposalPhase(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := accounts.As(f.resident(t, "alice"))
		sp := f.space(t, "budget", func(in *spaces.NewSpace) {
			// an information week first
			in.Phases = append([]spaces.PhaseInput{{Kind: spaces.Information, StartsAt: start.Add(-7 * day), EndsAt: start}}, in.Phases...)
		})
		tests := []struct {
			at   time.Time
			want error
		}{
			{at: start.Add(-8 * day), want: proposals.ErrPhase}, // before every phase
			{at: start.Add(-time.Microsecond), want: proposals.ErrPhase},
			{at: start},
			{at: supportsFrom.Add(-time.Microsecond)},
			{at: supportsFrom, want: proposals.ErrPhase},
			{at: evaluationFrom, want: proposals.ErrPhase},
			{at: closedFrom, want: proposals.ErrPhase}, // after every phase
		}
		for _, tt := range tests {
			f.clock.Set(tt.at)
			before := f.State(t)
			_, err := f.svc.Create(f.ctx, alice, sp.ID, proposals.Input{Title: "Un banc", Body: "Sous le tilleul."})
			if tt.want != nil {
				f.refused(t, before, err, tt.want, "Create at "+tt.at.String())
			} else {
				wantErr(t, err, nil, "Create at "+tt.at.String())
			}
		}
		if n := f.Count(t, "proposals", ""); n != 2 {
			t.Errorf("%d proposals, want 2", n)
		}

		f.clock.Set(start)
		before := f.State(t)
		_, err := f.svc.Create(f.ctx, alice, "no-such-space", proposals.Input{Title: "Un banc", Body: "Sous le tilleul."})
		f.refused(t, before, err, spaces.ErrNotFound, "Create in no space")
	})
}

func TestCreateNeedsAVerifiedResident(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		strict := f.space(t, "strict", nil)
		open := f.space(t, "ouvert", func(in *spaces.NewSpace) { in.UnverifiedMayPropose = true })
		bob := accounts.As(f.account(t, "bob"))
		revoked := f.resident(t, "revoked")
		if err := f.acc.RevokeResidency(f.ctx, accounts.System, revoked.ID, "moved away"); err != nil {
			t.Fatal(err)
		}
		in := proposals.Input{Title: "Un banc", Body: "Sous le tilleul."}

		before := f.State(t)
		_, err := f.svc.Create(f.ctx, accounts.System, strict.ID, in)
		f.refused(t, before, err, proposals.ErrSignIn, "Create signed out")
		_, err = f.svc.Create(f.ctx, accounts.System, open.ID, in)
		f.refused(t, before, err, proposals.ErrSignIn, "Create signed out where unverified may propose")
		_, err = f.svc.Create(f.ctx, bob, strict.ID, in)
		f.refused(t, before, err, proposals.ErrNotVerified, "Create by an unverified resident")
		_, err = f.svc.Create(f.ctx, accounts.As(revoked), strict.ID, in)
		f.refused(t, before, err, proposals.ErrNotVerified, "Create by a revoked resident")

		p, err := f.svc.Create(f.ctx, bob, open.ID, in)
		wantErr(t, err, nil, "Create by an unverified resident where the space allows it")
		if p.AuthorID != bob.Account.ID || f.get(t, p.ID).State != proposals.Published {
			t.Errorf("stored %+v", p)
		}

		// Verification lasts two years: an expired one is refused.
		long := f.space(t, "long", func(in *spaces.NewSpace) {
			in.Phases = []spaces.PhaseInput{{Kind: spaces.Proposals, StartsAt: start, EndsAt: start.Add(4 * 365 * day)}}
		})
		carol := accounts.As(f.resident(t, "carol"))
		f.propose(t, carol, long.ID, "Avant l'expiration")
		f.clock.Advance(accounts.ResidencyValidity)
		before = f.State(t)
		_, err = f.svc.Create(f.ctx, carol, long.ID, in)
		f.refused(t, before, err, proposals.ErrNotVerified, "Create after the verification expired")
	})
}

func TestCreateValidates(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := accounts.As(f.resident(t, "alice"))
		// Limits of this space: titles of 20 runes, bodies of 150.
		sp := f.space(t, "budget", func(in *spaces.NewSpace) {
			in.TitleMax, in.BodyMax = 20, 150
			in.Categories = []spaces.CategoryInput{{Slug: "parcs", NameFR: "Parcs"}, {Slug: "voirie", NameFR: "Voirie"}}
		})
		plain := f.space(t, "sans-categories", nil) // default limits 100/700, no categories
		é := func(n int) string { return strings.Repeat("é", n) }
		good := func() proposals.Input {
			return proposals.Input{Title: "Un banc", Body: "Sous le tilleul.", Category: "parcs"}
		}
		tests := []struct {
			name   string
			space  *spaces.Space
			change func(*proposals.Input)
			want   error
		}{
			{name: "valid", change: func(*proposals.Input) {}},
			{name: "20-rune title", change: func(in *proposals.Input) { in.Title = é(20) }},
			{name: "20 runes once trimmed", change: func(in *proposals.Input) { in.Title = "  " + é(20) + "\n" }},
			{name: "150-rune body", change: func(in *proposals.Input) { in.Body = é(150) }},
			{name: "100-rune title by default", space: plain, change: func(in *proposals.Input) { in.Title, in.Category = é(100), "" }},
			{name: "700-rune body by default", space: plain, change: func(in *proposals.Input) { in.Body, in.Category = é(700), "" }},
			{name: "map point", change: func(in *proposals.Input) { in.Lat, in.Lon = ptr(48.8566), ptr(2.3522) }},
			{name: "map corners", change: func(in *proposals.Input) { in.Lat, in.Lon = ptr(-90), ptr(180) }},
			{name: "other map corners", change: func(in *proposals.Input) { in.Lat, in.Lon = ptr(90), ptr(-180) }},
			{name: "200-rune address", change: func(in *proposals.Input) { in.Address = é(200) }},

			{name: "21-rune title", change: func(in *proposals.Input) { in.Title = é(21) }, want: proposals.ErrTitle},
			{name: "empty title", change: func(in *proposals.Input) { in.Title = "" }, want: proposals.ErrTitle},
			{name: "blank title", change: func(in *proposals.Input) { in.Title = " \t\n " }, want: proposals.ErrTitle},
			{name: "151-rune body", change: func(in *proposals.Input) { in.Body = é(151) }, want: proposals.ErrBody},
			{name: "empty body", change: func(in *proposals.Input) { in.Body = "" }, want: proposals.ErrBody},
			{name: "blank body", change: func(in *proposals.Input) { in.Body = "\n\n  " }, want: proposals.ErrBody},
			{name: "101-rune title by default", space: plain, change: func(in *proposals.Input) { in.Title, in.Category = é(101), "" }, want: proposals.ErrTitle},
			{name: "701-rune body by default", space: plain, change: func(in *proposals.Input) { in.Body, in.Category = é(701), "" }, want: proposals.ErrBody},
			{name: "no category where the space has some", change: func(in *proposals.Input) { in.Category = "" }, want: proposals.ErrCategory},
			{name: "unknown category", change: func(in *proposals.Input) { in.Category = "sport" }, want: proposals.ErrCategory},
			{name: "category is case-sensitive", change: func(in *proposals.Input) { in.Category = "Parcs" }, want: proposals.ErrCategory},
			{name: "category where the space has none", space: plain, want: proposals.ErrCategory},
			{name: "latitude without longitude", change: func(in *proposals.Input) { in.Lat = ptr(48.8) }, want: proposals.ErrLocation},
			{name: "longitude without latitude", change: func(in *proposals.Input) { in.Lon = ptr(2.3) }, want: proposals.ErrLocation},
			{name: "latitude above 90", change: func(in *proposals.Input) { in.Lat, in.Lon = ptr(90.0001), ptr(2.3) }, want: proposals.ErrLocation},
			{name: "latitude below -90", change: func(in *proposals.Input) { in.Lat, in.Lon = ptr(-90.5), ptr(2.3) }, want: proposals.ErrLocation},
			{name: "longitude above 180", change: func(in *proposals.Input) { in.Lat, in.Lon = ptr(48.8), ptr(180.5) }, want: proposals.ErrLocation},
			{name: "longitude below -180", change: func(in *proposals.Input) { in.Lat, in.Lon = ptr(48.8), ptr(-181) }, want: proposals.ErrLocation},
			{name: "NaN latitude", change: func(in *proposals.Input) { in.Lat, in.Lon = ptr(math.NaN()), ptr(2.3) }, want: proposals.ErrLocation},
			{name: "NaN longitude", change: func(in *proposals.Input) { in.Lat, in.Lon = ptr(48.8), ptr(math.NaN()) }, want: proposals.ErrLocation},
			{name: "infinite latitude", change: func(in *proposals.Input) { in.Lat, in.Lon = ptr(math.Inf(1)), ptr(2.3) }, want: proposals.ErrLocation},
			{name: "infinite longitude", change: func(in *proposals.Input) { in.Lat, in.Lon = ptr(48.8), ptr(math.Inf(-1)) }, want: proposals.ErrLocation},
			{name: "201-rune address", change: func(in *proposals.Input) { in.Address = é(201) }, want: proposals.ErrAddress},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := good()
				if tt.change != nil {
					tt.change(&in)
				}
				space := sp
				if tt.space != nil {
					space = tt.space
				}
				before := f.State(t)
				p, err := f.svc.Create(f.ctx, alice, space.ID, in)
				if tt.want != nil {
					f.refused(t, before, err, tt.want, "Create")
					if p != nil {
						t.Errorf("a refused Create returned %+v", p)
					}
					return
				}
				wantErr(t, err, nil, "Create")
				got := f.get(t, p.ID)
				if got.Title != strings.TrimSpace(in.Title) || got.Body != strings.TrimSpace(in.Body) || got.Category != in.Category ||
					got.Address != in.Address || (got.Lat == nil) != (in.Lat == nil) || in.Lat != nil && (*got.Lat != *in.Lat || *got.Lon != *in.Lon) {
					t.Errorf("stored %+v from %+v", got, in)
				}
			})
		}
	})
}

func TestCreateStores(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.resident(t, "alice")
		sp := f.space(t, "budget", func(in *spaces.NewSpace) {
			in.Categories = []spaces.CategoryInput{{Slug: "parcs", NameFR: "Parcs"}}
		})
		f.clock.Advance(time.Hour)
		p, err := f.svc.Create(f.ctx, accounts.As(alice), sp.ID, proposals.Input{
			Title:    "  Des **bancs** au parc  ",
			Body:     "Il faut des *bancs*.\n<script>alert('x')</script>\n\n[lien](javascript:alert(1)) <img src=x onerror=alert(2)>",
			Category: "parcs", Address: " 3 rue des Lilas ", Lat: ptr(45.764043), Lon: ptr(4.835659),
		})
		wantErr(t, err, nil, "Create")
		got := f.get(t, p.ID)
		now := start.Add(time.Hour)
		if got.ID != p.ID || got.SpaceID != sp.ID || got.AuthorID != alice.ID || got.EnteredBy != "" || got.Desk != "" ||
			got.Title != "Des **bancs** au parc" || got.Category != "parcs" || got.Address != "3 rue des Lilas" ||
			*got.Lat != 45.764043 || *got.Lon != 4.835659 || got.State != proposals.Published || got.SupportCount != 0 ||
			got.CommentCount != 0 || !got.CreatedAt.Equal(now) || !got.UpdatedAt.Equal(now) || got.EditedAt != nil ||
			got.Hidden() || got.MergedInto != "" || got.RandKey < 0 || got.RandKey >= 1<<31 {
			t.Errorf("stored %+v", got)
		}
		if got.Author == nil || got.Author.ID != alice.ID || got.Author.Handle != "alice" {
			t.Errorf("author %+v", got.Author)
		}
		if p.Author == nil || p.Author.ID != alice.ID {
			t.Errorf("Create returned author %+v", p.Author)
		}
		if got.BodyHTML != p.BodyHTML {
			t.Errorf("stored %q, returned %q", got.BodyHTML, p.BodyHTML)
		}
		for _, bad := range []string{"<script", "javascript:", "onerror", "<img"} {
			if strings.Contains(strings.ToLower(got.BodyHTML), bad) {
				t.Errorf("body_html keeps %q: %s", bad, got.BodyHTML)
			}
		}
		if !strings.Contains(got.BodyHTML, "<em>bancs</em>") {
			t.Errorf("body_html does not render Markdown: %s", got.BodyHTML)
		}
		if !strings.Contains(got.Body, "<script>") {
			t.Errorf("the Markdown source is kept as written: %q", got.Body)
		}

		events, err := f.svc.Timeline(f.ctx, p.ID)
		wantErr(t, err, nil, "Timeline")
		if len(events) != 1 {
			t.Fatalf("timeline %+v", events)
		}
		if e := events[0]; e.Kind != "published" || e.ActorID != alice.ID || e.FromState != "" || e.ToState != proposals.Published ||
			!e.At.Equal(now) || e.ProposalID != p.ID {
			t.Errorf("event %+v", e)
		}
		if n := f.Count(t, "outbox_events", "kind = 'create' AND object_type = 'proposal' AND object_id = ? AND actor_id = ? AND at = ?",
			p.ID, alice.ID, now); n != 1 {
			t.Errorf("%d outbox create events", n)
		}
		if n := f.Count(t, "outbox_events", ""); n != 1 {
			t.Errorf("%d outbox events, want 1", n)
		}

		if _, err := f.svc.ByID(f.ctx, "nope"); err != proposals.ErrNotFound {
			t.Errorf("ByID(nope) = %v", err)
		}
		if events, err := f.svc.Timeline(f.ctx, "nope"); err != nil || len(events) != 0 {
			t.Errorf("Timeline(nope) = %v, %v", events, err)
		}
	})
}

// TestCreateAtADesk: an agent enters a proposal for a resident who is
// present; the resident is its author, the agent and desk are kept.
func TestCreateAtADesk(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", nil)
		agent := f.account(t, "agent_mairie", accounts.Agent) // agents need not be verified themselves
		alice := f.resident(t, "alice")
		bob := f.account(t, "bob")
		carol := f.resident(t, "carol")

		p, err := f.svc.Create(f.ctx, accounts.Actor{Account: agent, OnBehalfOf: alice, Desk: "mairie-annexe"}, sp.ID,
			proposals.Input{Title: "Un banc", Body: "Sous le tilleul."})
		wantErr(t, err, nil, "Create at a desk")
		got := f.get(t, p.ID)
		if got.AuthorID != alice.ID || got.EnteredBy != agent.ID || got.Desk != "mairie-annexe" || got.Author.ID != alice.ID {
			t.Errorf("stored author %q entered by %q at %q", got.AuthorID, got.EnteredBy, got.Desk)
		}
		if tl := f.timeline(t, p.ID); len(tl) != 1 || tl[0] != "published:>published" {
			t.Errorf("timeline %q", tl)
		}
		if n := f.Count(t, "outbox_events", "object_id = ? AND kind = 'create'", p.ID); n != 1 {
			t.Errorf("%d outbox events", n)
		}

		// The resident present must be verified, not the agent.
		before := f.State(t)
		_, err = f.svc.Create(f.ctx, accounts.Actor{Account: agent, OnBehalfOf: bob, Desk: "mairie-annexe"}, sp.ID,
			proposals.Input{Title: "Un banc", Body: "Sous le tilleul."})
		f.refused(t, before, err, proposals.ErrNotVerified, "Create at a desk for an unverified resident")

		// Only agents act for someone else.
		_, err = f.svc.Create(f.ctx, accounts.Actor{Account: carol, OnBehalfOf: alice, Desk: "mairie-annexe"}, sp.ID,
			proposals.Input{Title: "Un banc", Body: "Sous le tilleul."})
		f.refused(t, before, err, proposals.ErrForbidden, "Create for someone else by a resident")
	})
}
