package decisions_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/decisions"
	"agora/storage/storagetest"
)

// The vote page shows the fediverse's answers apart from the binding
// result, each labelled as what it is, in French and in English.
func TestFediverseOpinionOnThePage(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			n := newNode(t, dialect)
			v := n.vote(t, decisions.Single)
			_, ann := n.Resident(t, "ann", true)

			w := n.Request("GET", "/votes/"+v.ID, "", nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, "Avis du fédivers (ne compte pas dans le résultat)", "Aucune réponse du fédivers pour l’instant.")

			for _, a := range []decisions.Answer{
				{VoteID: v.ID, Actor: "https://mastodon.example/users/ada", Name: "Simone Veil", ActivityID: "https://mastodon.example/users/ada#votes/1"},
				{VoteID: v.ID, Actor: "https://gts.example/users/bob", Name: "Simone Veil", ActivityID: "https://gts.example/users/bob#votes/1"},
				{VoteID: v.ID, Actor: "https://misskey.example/users/cy", Name: "Louise Michel", ActivityID: "https://misskey.example/votes/1"},
			} {
				if _, err := n.svc.AddAnswer(t.Context(), a); err != nil {
					t.Fatal(err)
				}
			}
			frontendtest.WantStatus(t, n.Request("POST", "/votes/"+v.ID+"/ballot", ann, url.Values{"option": {"olympe"}}), http.StatusOK)
			n.Clock.Set(v.ClosesAt)
			if _, err := n.svc.CloseDue(t.Context()); err != nil {
				t.Fatal(err)
			}

			w = n.Request("GET", "/votes/"+v.ID, "", nil)
			body := w.Body.String()
			frontendtest.WantBody(t, w, "Résultats — vote officiel des habitantes et habitants vérifiés", "3 comptes du fédivers ont répondu.")
			// The binding result is ann's ballot alone; the opinion table
			// has the fediverse's counts.
			results := body[strings.Index(body, `id="results-title"`):strings.Index(body, `id="opinion-title"`)]
			opinion := body[strings.Index(body, `id="opinion-title"`):]
			if !strings.Contains(results, "Olympe de Gouges") || !regexp.MustCompile(`<th scope="row">Simone Veil</th><td>0</td>`).MatchString(results) {
				t.Errorf("binding results:\n%s", results)
			}
			if !strings.Contains(opinion, `<th scope="row">Simone Veil</th><td>2</td>`) || !strings.Contains(opinion, `<th scope="row">Louise Michel</th><td>1</td>`) ||
				!strings.Contains(opinion, `<th scope="row">Olympe de Gouges</th><td>0</td>`) {
				t.Errorf("opinion:\n%s", opinion)
			}

			w = n.Request("GET", "/votes/"+v.ID+"?lang=en", "", nil)
			frontendtest.WantBody(t, w, "Results — binding vote of verified residents", "Fediverse opinion (not counted in the result)", "3 fediverse accounts answered.")
		})
	}
}
