package proposals_test

import (
	"slices"
	"testing"

	"agora/instances/accounts"
	"agora/instances/proposals"
)

func TestSearch(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", nil)
		other := f.space(t, "autre", nil)
		alice := accounts.As(f.resident(t, "alice"))
		official := accounts.As(f.resident(t, "voirie", accounts.Official))
		add := func(title, body string) string {
			return f.proposeIn(t, alice, sp.ID, proposals.Input{Title: title, Body: body}).ID
		}
		ecole := add("Rénover l'école Jules-Ferry", "La cour est trop petite et les fenêtres sont anciennes.")
		arbres := add("Des arbres dans la cour", "Planter des platanes pour l'ombre en été.")
		tree := add("Plant a tree by the river", "Shade for the walkers along the bank.")
		velo := add("Piste cyclable rue de la Gare", "Relier la gare au lycée à vélo, en sécurité.")
		bancs := add("Bancs place du marché", "Pour s'asseoir près des arbres fruitiers.")
		f.proposeIn(t, alice, other.ID, proposals.Input{Title: "Une école ailleurs", Body: "Dans un autre espace."})
		wantErr(t, f.svc.Answer(f.ctx, official, velo, proposals.Accepted, "Oui."), nil, "Answer")

		tests := []struct {
			search string
			want   []string
		}{
			{search: "école", want: []string{ecole}},
			{search: "ÉCOLE", want: []string{ecole}},
			{search: "ecole", want: []string{ecole}},
			{search: "Ecole", want: []string{ecole}},
			{search: "securite", want: []string{velo}},
			{search: "sécurité", want: []string{velo}},
			{search: "cour", want: []string{ecole, arbres}},                     // title of one, body of the other
			{search: "arbres cour", want: []string{arbres}},                     // every word
			{search: "cour arbres", want: []string{arbres}},                     // in any order
			{search: "arbres gare", want: nil},                                  // no proposal has both
			{search: "arbres", want: []string{arbres, bancs}},                   // title and body
			{search: "trees", want: []string{tree}},                             // English stemming
			{search: "shades", want: []string{tree}},                            // English stemming
			{search: "river walkers", want: []string{tree}},                     // English, every word
			{search: "walker", want: []string{tree}},                            // English stemming
			{search: "platanes", want: []string{arbres}},                        // the exact French word
			{search: "gare", want: []string{velo}},                              // any state but merged
			{search: "lycée vélo", want: []string{velo}},                        // accents kept match
			{search: "  \t ", want: []string{ecole, arbres, tree, velo, bancs}}, // no words: no search
			{search: "?!…", want: []string{ecole, arbres, tree, velo, bancs}},
			{search: "piscine", want: nil},
			{search: "Jules-Ferry", want: []string{ecole}},
		}
		check := func(t *testing.T, q proposals.Query, want []string) {
			t.Helper()
			for _, sort := range proposals.Sorts {
				q.Sort, q.Seed, q.PerPage = sort, 7, 2
				got := f.pageThrough(t, q)
				once(t, got, want, string(sort))
			}
		}
		for _, tt := range tests {
			t.Run(tt.search, func(t *testing.T) {
				check(t, proposals.Query{SpaceID: sp.ID, Search: tt.search}, tt.want)
			})
		}

		// Search with filters.
		check(t, proposals.Query{SpaceID: sp.ID, Search: "gare", State: proposals.Published}, nil)
		check(t, proposals.Query{SpaceID: sp.ID, Search: "gare", State: proposals.Accepted}, []string{velo})
		check(t, proposals.Query{SpaceID: other.ID, Search: "école"}, f.listIDs(t, other.ID))

		// Edits are searched as written now.
		wantErr(t, f.svc.Edit(f.ctx, alice, bancs, proposals.Input{Title: "Bancs place du marché", Body: "Des fontaines à eau potable."}, ""), nil, "Edit")
		check(t, proposals.Query{SpaceID: sp.ID, Search: "arbres"}, []string{arbres})
		check(t, proposals.Query{SpaceID: sp.ID, Search: "fontaines potable"}, []string{bancs})
	})
}

func (f *fixture) listIDs(t testing.TB, spaceID string) []string {
	t.Helper()
	return ids(f.list(t, proposals.Query{SpaceID: spaceID, PerPage: 100}).Items)
}

// TestSearchSyntaxIsText: what a visitor types is never full-text syntax,
// so quotes, stars, NEAR, minus signs and the rest neither fail nor change
// what a search means.
func TestSearchSyntaxIsText(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", nil)
		alice := accounts.As(f.resident(t, "alice"))
		arbres := f.proposeIn(t, alice, sp.ID, proposals.Input{Title: "Des arbres dans la cour", Body: "Planter des platanes near the school."}).ID
		f.proposeIn(t, alice, sp.ID, proposals.Input{Title: "Piste cyclable", Body: "Relier la gare."})
		for _, s := range []string{
			`"`, `""`, `"arbres`, `arbres"`, `"arbres cour"`, `*`, `arbres*`, `*arbres`, `arb*`, `NEAR(`, `NEAR(arbres cour)`,
			`NEAR(arbres, cour, 5)`, `-`, `arbres -cour`, `-arbres`, `arbres AND cour`, `arbres OR piscine`, `NOT piscine`,
			`(arbres`, `arbres)`, `title:arbres`, `body:platanes`, `{title}: arbres`, `^arbres`, `arbres + cour`, `arbres'`,
			`'; DROP TABLE proposals; --`, `\`, `%`, `_`, `&`, `|`, `!`, `<->`, `arbres:*`, `arbres & cour`, `arbres | piscine`,
			"arbres\x00cour", "arbres\ncour", `a b c d e f g h i j k l m n o p`,
		} {
			page, err := f.svc.List(f.ctx, proposals.Query{SpaceID: sp.ID, Search: s})
			if err != nil {
				t.Errorf("search %q: %v", s, err)
				continue
			}
			if got := ids(page.Items); len(got) > 0 && !slices.Equal(got, []string{arbres}) && len(got) != 2 {
				t.Errorf("search %q lists %q", s, got)
			}
		}
		// Operators are words, not operators.
		for s, want := range map[string][]string{
			`arbres OR piscine`: nil,      // no proposal has both words
			`arbres -cour`:      {arbres}, // the minus excludes nothing
			`"arbres cour"`:     {arbres}, // words in any order, not a phrase
			`NEAR(arbres cour)`: {arbres},
			`title:platanes`:    nil, // "title" is a word, not a column
		} {
			page, err := f.svc.List(f.ctx, proposals.Query{SpaceID: sp.ID, Search: s})
			if err != nil || !slices.Equal(ids(page.Items), want) && !(len(want) == 0 && len(page.Items) == 0) {
				t.Errorf("search %q = %q, %v; want %q", s, ids(page.Items), err, want)
			}
		}
	})
}
