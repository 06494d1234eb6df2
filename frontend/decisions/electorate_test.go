package decisions_test

import (
	"net/http"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/storage/storagetest"
)

// An official narrows a vote to a district and an age floor from the
// form; a resident outside it reads why on the vote's page, and a post
// of their ballot is refused, changing nothing.
func TestVoteElectorate(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			n := newNode(t, dialect)
			sp := n.Space(t, "square", 0)
			official := n.Session(t, n.Staff[accounts.Official])
			// No district on the node: the form has no district field.
			w := n.Request("GET", "/votes/new?space="+sp.ID, official, nil)
			frontendtest.WantBody(t, w, `name="min_age"`)
			frontendtest.WantNoBody(t, w, `name="district"`)
			if err := n.Accounts.SetDistricts(t.Context(), accounts.System, []string{"Necker", "Grenelle"}); err != nil {
				t.Fatal(err)
			}
			w = n.Request("GET", "/votes/new?space="+sp.ID, official, nil)
			frontendtest.WantBody(t, w, `name="district"`, `<option value="Grenelle">Grenelle</option>`)

			before := n.Count(t, "decision_votes")
			for _, tc := range []struct{ name, field, value, want string }{
				{"age floor too high", "min_age", "150", "de 0 (aucun) à 120"},
				{"age floor not a number", "min_age", "seize", "nombre entier"},
				{"unknown district", "district", "Javel", "pas un quartier du site"},
			} {
				w := n.Request("POST", "/votes/new?space="+sp.ID, official, with(goodVote(n), tc.field, tc.value))
				frontendtest.WantStatus(t, w, http.StatusBadRequest)
				frontendtest.WantBody(t, w, `id="f-`+tc.field+`-error"`, tc.want)
			}
			if n.Count(t, "decision_votes") != before {
				t.Fatal("a refused form stored a vote")
			}
			w = n.Request("POST", "/votes/new?space="+sp.ID, official, with(goodVote(n), "min_age", "16", "district", "Necker"))
			frontendtest.WantStatus(t, w, http.StatusSeeOther)
			id := strings.TrimPrefix(w.Header().Get("Location"), "/votes/")
			v, err := n.svc.ByID(t.Context(), id)
			if err != nil || v.MinAge != 16 || v.District != "Necker" {
				t.Fatalf("stored vote %+v, %v", v, err)
			}

			// A verified resident with no district recorded.
			_, ann := n.Resident(t, "ann", true)
			w = n.Request("GET", "/votes/"+id, ann, nil)
			frontendtest.WantBody(t, w, "Qui peut voter", "Ouvert à partir de 16 ans", "Réservé au quartier Necker",
				"aucune date de naissance n’est enregistrée")
			frontendtest.WantNoBody(t, w, `action="/votes/`+id+`/ballot"`)
			before = n.Count(t, "decision_ballots")
			w = n.Request("POST", "/votes/"+id+"/ballot", ann, with(nil, "options", v.Options[0].Key))
			frontendtest.WantStatus(t, w, http.StatusForbidden)
			if n.Count(t, "decision_ballots") != before {
				t.Fatal("a refused ballot was stored")
			}

			// Of the district and old enough: the ballot form.
			bob := n.Account(t, "bob")
			if err := n.Accounts.VerifyByOperator(t.Context(), bob.ID, accounts.Electoral{BirthDate: 19800101, District: "Necker"}); err != nil {
				t.Fatal(err)
			}
			w = n.Request("GET", "/votes/"+id+"?lang=en", n.Session(t, bob), nil)
			frontendtest.WantBody(t, w, "Open from age 16", `action="/votes/`+id+`/ballot"`)
		})
	}
}
