package decisions_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/storage/storagetest"
)

// goodVote is a vote form that opens a vote: times in the node's zone
// (UTC in tests), relative to the test clock.
func goodVote(n *node) url.Values {
	now := n.Clock.Now()
	return url.Values{"question": {"Quel nom pour le square ?"}, "description": {"Le square de la rue Haxo."},
		"options": {"Olympe de Gouges\n\nLouise Michel\n  Simone Veil  "}, "method": {"single"},
		"opens_at": {now.Add(-time.Hour).Format("2006-01-02T15:04")}, "closes_at": {now.Add(48 * time.Hour).Format("2006-01-02T15:04")},
		"quorum": {"0"}, "score_min": {"0"}, "score_max": {"5"}, "delegation": {"on"}, "category": {"nature"}}
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = x
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// An official opens a vote from the form and edits it until its first
// ballot; every mistake is shown at once next to its field and nothing
// is stored; after the first ballot the edit is refused in words.
func TestVoteForm(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			n := newNode(t, dialect)
			sp := n.Space(t, "square", 0)
			official := n.Session(t, n.Staff[accounts.Official])
			_, ann := n.Resident(t, "ann", true)

			w := n.Request("GET", "/votes", official, nil)
			frontendtest.WantBody(t, w, `href="/votes/new"`, `href="/delegation"`)
			w = n.Request("GET", "/votes/new", official, nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, "/votes/new?space="+sp.ID)
			w = n.Request("GET", "/votes/new?space="+sp.ID+"&lang=en", official, nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, "Open a vote", `name="options"`, `value="nature"`, "Getting around")
			for _, path := range []string{"/votes/new", "/votes/new?space=" + sp.ID} {
				frontendtest.WantStatus(t, n.Request("GET", path, ann, nil), http.StatusForbidden)
			}
			frontendtest.WantStatus(t, n.Request("POST", "/votes/new?space="+sp.ID, ann, goodVote(n)), http.StatusForbidden)
			frontendtest.WantStatus(t, n.Request("GET", "/votes/new?space=nope", official, nil), http.StatusNotFound)

			before := n.Count(t, "decision_votes")
			for _, tc := range []struct {
				name string
				form url.Values
				want []string
			}{
				{"no question", with(goodVote(n), "question", " "), []string{`id="f-question-error"`, "Écrivez la question"}},
				{"one answer", with(goodVote(n), "options", "Oui"), []string{`id="f-options-error"`, "de 2 à 100 réponses"}},
				{"answer too long", with(goodVote(n), "options", "Oui\n"+strings.Repeat("é", 201)), []string{`id="f-options-error"`}},
				{"unknown method", with(goodVote(n), "method", "budget"), []string{`id="f-method-error"`}},
				{"closes before it opens", with(goodVote(n), "closes_at", n.Clock.Now().Add(-2*time.Hour).Format("2006-01-02T15:04")),
					[]string{`id="f-closes_at-error"`, "après l’ouverture"}},
				{"no date", with(goodVote(n), "opens_at", "demain"), []string{`id="f-opens_at-error"`, "une date et une heure"}},
				{"quorum not a number", with(goodVote(n), "quorum", "beaucoup"), []string{`id="f-quorum-error"`, "nombre entier"}},
				{"negative quorum", with(goodVote(n), "quorum", "-3"), []string{`id="f-quorum-error"`, "négatif"}},
				{"status quo off the list", with(goodVote(n), "method", "ranked", "status_quo", "9"), []string{`id="f-status_quo-error"`, "entre 1 et 3"}},
				{"status quo of a single vote", with(goodVote(n), "status_quo", "2"), []string{`id="f-status_quo-error"`, "classement"}},
				{"score bounds", with(goodVote(n), "method", "score", "score_min", "5", "score_max", "2"), []string{`id="f-score_min-error"`}},
				{"unknown category", with(goodVote(n), "category", "sport"), []string{`id="f-category-error"`}},
				{"all at once", with(goodVote(n), "question", "", "options", "Oui", "opens_at", "x", "quorum", "-1"),
					[]string{`id="f-question-error"`, `id="f-options-error"`, `id="f-opens_at-error"`, `id="f-quorum-error"`, `aria-invalid="true"`}},
			} {
				w := n.Request("POST", "/votes/new?space="+sp.ID, official, tc.form)
				frontendtest.WantStatus(t, w, http.StatusBadRequest)
				frontendtest.WantBody(t, w, tc.want...)
				if tc.name == "all at once" {
					frontendtest.WantBody(t, w, "Le formulaire contient des erreurs", `value="x"`)
				}
			}
			if after := n.Count(t, "decision_votes"); after != before {
				t.Fatalf("%d votes after refused forms, want %d", after, before)
			}

			w = n.Request("POST", "/votes/new?space="+sp.ID, official, goodVote(n))
			frontendtest.WantStatus(t, w, http.StatusSeeOther)
			id := strings.TrimPrefix(w.Header().Get("Location"), "/votes/")
			v, err := n.svc.ByID(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			if v.Question != "Quel nom pour le square ?" || len(v.Options) != 3 || v.Options[2].Label != "Simone Veil" ||
				v.Category != "nature" || !v.Delegation || v.SpaceID != sp.ID {
				t.Errorf("stored vote %+v", v)
			}
			w = n.Request("GET", "/votes/"+id, official, nil)
			frontendtest.WantBody(t, w, `href="/votes/`+id+`/edit"`)
			// The space's page leads to its votes, which list this one.
			w = n.Request("GET", "/spaces/square", "", nil)
			frontendtest.WantBody(t, w, `href="/votes?space=`+sp.ID+`"`)
			w = n.Request("GET", "/votes?space="+sp.ID, official, nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, "Les votes de l’espace « Budget participatif square »", "/votes/"+id, `href="/votes/new?space=`+sp.ID+`"`)
			frontendtest.WantStatus(t, n.Request("GET", "/votes?space=nope", "", nil), http.StatusNotFound)

			// Edit: the form holds the vote; a change keeps the keys of
			// unchanged answers.
			w = n.Request("GET", "/votes/"+id+"/edit", official, nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, "Modifier le vote", "Olympe de Gouges\nLouise Michel\nSimone Veil", `value="Quel nom pour le square ?"`)
			frontendtest.WantStatus(t, n.Request("GET", "/votes/"+id+"/edit", ann, nil), http.StatusForbidden)
			edit := with(goodVote(n), "question", "Quel nom pour le jardin ?", "method", "ranked",
				"options", "Louise Michel\nOlympe de Gouges\nSimone Veil\nNe pas changer de nom", "status_quo", "4")
			w = n.Request("POST", "/votes/"+id+"/edit", official, with(edit, "question", ""))
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			frontendtest.WantBody(t, w, `id="f-question-error"`)
			w = n.Request("POST", "/votes/"+id+"/edit", official, edit)
			frontendtest.WantStatus(t, w, http.StatusSeeOther)
			v, _ = n.svc.ByID(t.Context(), id)
			if v.Question != "Quel nom pour le jardin ?" || v.Method != decisions.Ranked || len(v.Options) != 4 ||
				v.Options[0].Key != "2" || v.Options[1].Key != "1" || v.StatusQuo != v.Options[3].Key {
				t.Errorf("edited vote %+v", v)
			}

			// After the first ballot: refused, in words, and unchanged.
			if _, err := n.svc.Cast(t.Context(), accounts.As(mustAccount(t, n, "ann")), id, decisions.Choice{Ranking: []string{"1"}}, false); err != nil {
				t.Fatal(err)
			}
			w = n.Request("GET", "/votes/"+id+"/edit", official, nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, "Des bulletins ont déjà été déposés")
			frontendtest.WantNoBody(t, w, `name="question"`)
			w = n.Request("POST", "/votes/"+id+"/edit", official, with(edit, "question", "Autre chose ?"))
			frontendtest.WantStatus(t, w, http.StatusConflict)
			frontendtest.WantBody(t, w, "Des bulletins ont déjà été déposés")
			if v, _ := n.svc.ByID(t.Context(), id); v.Question != "Quel nom pour le jardin ?" {
				t.Errorf("edited after a ballot: %q", v.Question)
			}
			w = n.Request("GET", "/votes/"+id, official, nil)
			frontendtest.WantNoBody(t, w, `/edit"`)

			// A budget vote (its answers carry costs) is not edited here.
			now := n.Clock.Now()
			b, err := n.svc.Create(t.Context(), accounts.As(n.Staff[accounts.Official]), sp.ID, decisions.Input{
				Question: "Quels projets ?", Method: decisions.Budget, BudgetTotal: 100,
				Options: []decisions.Option{{Label: "Un banc", Cost: 40}, {Label: "Un arbre", Cost: 70}},
				OpensAt: now.Add(time.Hour), ClosesAt: now.Add(48 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			w = n.Request("GET", "/votes/"+b.ID+"/edit", official, nil)
			frontendtest.WantBody(t, w, "se modifie depuis les pages du budget")
			frontendtest.WantStatus(t, n.Request("POST", "/votes/"+b.ID+"/edit", official, goodVote(n)), http.StatusConflict)
			if v, _ := n.svc.ByID(t.Context(), b.ID); v.Method != decisions.Budget {
				t.Error("a budget vote was edited from the vote form")
			}
			// Nor an approval vote with a limit (a budget heading's "at most
			// N projects"): the form would drop the limit.
			a, err := n.svc.Create(t.Context(), accounts.As(n.Staff[accounts.Official]), sp.ID, decisions.Input{
				Question: "Quels projets ?", Method: decisions.Approval, MaxChoices: 1,
				Options: []decisions.Option{{Label: "Un banc"}, {Label: "Un arbre"}},
				OpensAt: now.Add(time.Hour), ClosesAt: now.Add(48 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			frontendtest.WantStatus(t, n.Request("POST", "/votes/"+a.ID+"/edit", official, goodVote(n)), http.StatusConflict)
			if v, _ := n.svc.ByID(t.Context(), a.ID); v.MaxChoices != 1 || v.Question != "Quels projets ?" {
				t.Errorf("an approval vote with a limit was edited from the vote form: %+v", v)
			}
		})
	}
}

func mustAccount(t testing.TB, n *node, handle string) *accounts.Account {
	t.Helper()
	acc, err := n.Accounts.ByHandle(t.Context(), handle)
	if err != nil {
		t.Fatal(err)
	}
	return acc
}

// The fill button puts the titles of the space's proposals in a state
// as the answers, and stores nothing.
func TestVoteFormFromProposals(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			n := newNode(t, dialect)
			sp := n.Space(t, "square", 0)
			official := n.Session(t, n.Staff[accounts.Official])
			author, _ := n.Resident(t, "ann", true)
			n.Propose(t, author, sp, "Un banc à l’ombre")
			n.Propose(t, author, sp, "Une fontaine")
			before := n.Count(t, "decision_votes")
			w := n.Request("POST", "/votes/new?space="+sp.ID, official, with(goodVote(n), "fill", "1", "from_state", "published", "options", ""))
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, "Une fontaine", "Un banc à l’ombre", "2 propositions")
			w = n.Request("POST", "/votes/new?space="+sp.ID, official, with(goodVote(n), "fill", "1", "from_state", "accepted"))
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			frontendtest.WantBody(t, w, `id="f-from_state-error"`, "Aucune proposition")
			w = n.Request("POST", "/votes/new?space="+sp.ID, official, with(goodVote(n), "fill", "1", "from_state", "merged"))
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			if after := n.Count(t, "decision_votes"); after != before {
				t.Errorf("the fill button stored a vote")
			}
		})
	}
}

// A resident agrees to be a delegate, another delegates to them and
// revokes; each refusal is said next to its field and changes nothing.
func TestDelegationPages(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			n := newNode(t, dialect)
			v := n.vote(t, decisions.Single)
			_, ann := n.Resident(t, "ann", true)
			_, bob := n.Resident(t, "bob", true)
			n.Resident(t, "carl", true)
			_, eve := n.Resident(t, "eve", false)

			w := n.Request("GET", "/delegation", ann, nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, "Vous n’avez confié votre voix à personne", `action="/delegation/agree"`, "Budget participatif conseil", "Nature en ville")
			frontendtest.WantStatus(t, n.Request("GET", "/delegation", "", nil), http.StatusSeeOther)

			w = n.Request("POST", "/delegation/agree", bob, nil)
			frontendtest.WantStatus(t, w, http.StatusSeeOther)
			w = n.Request("GET", "/delegation?done=agreed", bob, nil)
			frontendtest.WantBody(t, w, "Vous êtes maintenant une personne déléguée", `action="/delegation/withdraw"`)
			w = n.Request("POST", "/delegation/agree", eve, nil)
			frontendtest.WantStatus(t, w, http.StatusForbidden)
			frontendtest.WantBody(t, w, "peuvent être déléguées")

			w = n.Request("POST", "/delegation", ann, url.Values{"scope": {n.spaceID}, "delegate": {"@Bob"}, "named": {"on"}})
			frontendtest.WantStatus(t, w, http.StatusSeeOther)
			w = n.Request("GET", "/delegation", ann, nil)
			frontendtest.WantBody(t, w, "(@bob)", "Les votes de l’espace « Budget participatif conseil »", `name="space" value="`+n.spaceID+`"`)

			// Ann's vote goes to bob, who has not voted; bob carries it.
			w = n.Request("GET", "/votes/"+v.ID, ann, nil)
			frontendtest.WantBody(t, w, "Où va votre voix", "bob", "personne dans cette chaîne n’a voté")
			w = n.Request("GET", "/votes/"+v.ID, bob, nil)
			frontendtest.WantBody(t, w, "pour 1 personnes", "ann")

			// Refusals.
			frontendtest.WantStatus(t, n.Request("POST", "/delegation/agree", ann, nil), http.StatusSeeOther)
			before := n.Count(t, "decision_delegations")
			for _, tc := range []struct {
				name  string
				token string
				form  url.Values
				code  int
				want  string
			}{
				{"no one", ann, url.Values{"delegate": {""}}, http.StatusBadRequest, "Indiquez l’identifiant"},
				{"unknown", ann, url.Values{"delegate": {"zoe"}}, http.StatusBadRequest, "Aucun compte n’a l’identifiant « zoe »"},
				{"self", ann, url.Values{"delegate": {"ann"}}, http.StatusBadRequest, "vous confier votre propre voix"},
				{"not a delegate", ann, url.Values{"delegate": {"carl"}}, http.StatusBadRequest, "pas accepté d’être déléguée"},
				{"cycle", bob, url.Values{"scope": {n.spaceID}, "delegate": {"ann"}}, http.StatusConflict, "reviendrait vers vous"},
				{"bad scope", ann, url.Values{"scope": {"nope"}, "delegate": {"bob"}}, http.StatusBadRequest, "n’existe pas"},
				{"bad category", ann, url.Values{"scope": {n.spaceID + "/sport"}, "delegate": {"bob"}}, http.StatusBadRequest, "n’existe pas"},
				{"unverified", eve, url.Values{"delegate": {"bob"}}, http.StatusForbidden, "peuvent confier leur voix"},
			} {
				w := n.Request("POST", "/delegation", tc.token, tc.form)
				if w.Code != tc.code {
					t.Errorf("%s: status %d, want %d", tc.name, w.Code, tc.code)
				}
				frontendtest.WantBody(t, w, tc.want)
			}
			if after := n.Count(t, "decision_delegations"); after != before {
				t.Errorf("%d delegations after refusals, want %d", after, before)
			}

			w = n.Request("POST", "/delegation/revoke", ann, url.Values{"space": {n.spaceID}})
			frontendtest.WantStatus(t, w, http.StatusSeeOther)
			w = n.Request("GET", "/delegation?done=revoked", ann, nil)
			frontendtest.WantBody(t, w, "La délégation est retirée", "Vous n’avez confié votre voix à personne")
			w = n.Request("POST", "/delegation/revoke", ann, url.Values{"space": {n.spaceID}})
			frontendtest.WantStatus(t, w, http.StatusConflict)
			frontendtest.WantBody(t, w, "pas de délégation pour ce choix")
			w = n.Request("POST", "/delegation/withdraw", bob, nil)
			frontendtest.WantStatus(t, w, http.StatusSeeOther)
			if ok, _ := n.svc.IsDelegate(t.Context(), mustAccount(t, n, "bob").ID); ok {
				t.Error("bob is still a delegate after withdrawing")
			}
		})
	}
}

// An agent records a ballot at a desk for a resident present, and
// enters a paper ballot; the residents see how their ballot was cast.
func TestDeskBallots(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			n := newNode(t, dialect)
			v := n.vote(t, decisions.Approval)
			agentAcc := n.Staff[accounts.Agent]
			agent := n.Session(t, agentAcc)
			_, ann := n.Resident(t, "ann", true)
			_, bob := n.Resident(t, "bob", true)
			n.Resident(t, "eve", false)

			w := n.Request("GET", "/votes/"+v.ID, agent, nil)
			frontendtest.WantBody(t, w, `href="/votes/`+v.ID+`/desk"`)
			w = n.Request("GET", "/votes/"+v.ID+"/desk", agent, nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, `name="on_behalf"`, `name="desk"`, `name="paper"`, `value="louise"`)
			frontendtest.WantStatus(t, n.Request("GET", "/votes/"+v.ID+"/desk", ann, nil), http.StatusForbidden)
			frontendtest.WantStatus(t, n.Request("POST", "/votes/"+v.ID+"/desk", ann, url.Values{"on_behalf": {"bob"}, "desk": {"M"}, "option": {"louise"}}), http.StatusForbidden)

			before := n.Count(t, "decision_ballots")
			for _, tc := range []struct {
				name string
				form url.Values
				code int
				want string
			}{
				{"no one", url.Values{"desk": {"Mairie"}, "option": {"louise"}}, http.StatusBadRequest, "Indiquez l’identifiant de la personne présente"},
				{"unknown", url.Values{"on_behalf": {"zoe"}, "desk": {"Mairie"}, "option": {"louise"}}, http.StatusBadRequest, "Aucun compte"},
				{"no desk", url.Values{"on_behalf": {"ann"}, "option": {"louise"}}, http.StatusBadRequest, `id="f-desk-error"`},
				{"empty ballot", url.Values{"on_behalf": {"ann"}, "desk": {"Mairie"}}, http.StatusBadRequest, "Choisissez au moins une réponse"},
				{"unverified", url.Values{"on_behalf": {"eve"}, "desk": {"Mairie"}, "option": {"louise"}}, http.StatusForbidden, "résidence est vérifiée"},
				{"staff", url.Values{"on_behalf": {"staff_admin"}, "desk": {"Mairie"}, "option": {"louise"}}, http.StatusForbidden, ""},
			} {
				w := n.Request("POST", "/votes/"+v.ID+"/desk", agent, tc.form)
				if w.Code != tc.code {
					t.Errorf("%s: status %d, want %d", tc.name, w.Code, tc.code)
				}
				frontendtest.WantBody(t, w, tc.want)
			}
			if after := n.Count(t, "decision_ballots"); after != before {
				t.Fatalf("%d ballots after refusals, want %d", after, before)
			}

			w = n.Request("POST", "/votes/"+v.ID+"/desk", agent, url.Values{"on_behalf": {"ann"}, "desk": {"Mairie du 20e"}, "option": {"louise", "simone"}})
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, `id="receipt"`, "Vote enregistré pour Test ann au guichet « Mairie du 20e »")
			w = n.Request("GET", "/votes/"+v.ID, ann, nil)
			frontendtest.WantBody(t, w, "Votre vote a été enregistré au guichet", "par "+agentAcc.DisplayName, "(Mairie du 20e)")

			w = n.Request("POST", "/votes/"+v.ID+"/desk", agent, url.Values{"on_behalf": {"bob"}, "desk": {"Mairie du 20e"}, "option": {"olympe"}, "paper": {"on"}})
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, "Bulletin papier de Test bob")
			w = n.Request("GET", "/votes/"+v.ID, bob, nil)
			frontendtest.WantBody(t, w, "Votre bulletin papier a été saisi")
			frontendtest.WantNoBody(t, w, `action="/votes/`+v.ID+`/ballot"`)

			// Paper is final; a paper ballot after an online one is refused.
			before = n.Count(t, "decision_ballots")
			w = n.Request("POST", "/votes/"+v.ID+"/ballot", bob, url.Values{"option": {"louise"}})
			frontendtest.WantStatus(t, w, http.StatusConflict)
			w = n.Request("POST", "/votes/"+v.ID+"/desk", agent, url.Values{"on_behalf": {"ann"}, "desk": {"Mairie"}, "option": {"olympe"}, "paper": {"on"}})
			frontendtest.WantStatus(t, w, http.StatusConflict)
			frontendtest.WantBody(t, w, `value="ann"`)
			if after := n.Count(t, "decision_ballots"); after != before {
				t.Errorf("%d ballots after refusals, want %d", after, before)
			}
		})
	}
}

// A closed vote's results and published ballots download as CSV; before
// closing, neither exists.
func TestResultsCSV(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			n := newNode(t, dialect)
			n.spaceID = n.Space(t, "conseil", 0).ID
			now := n.Clock.Now()
			v, err := n.svc.Create(t.Context(), accounts.As(n.Staff[accounts.Official]), n.spaceID, decisions.Input{
				Question: "Quel nom ?", Method: decisions.Approval, Delegation: true,
				Options: []decisions.Option{{Key: "a", Label: "=HYPERLINK(\"x\")"}, {Key: "b", Label: "Louise Michel"}},
				OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			d, _ := n.Resident(t, "thanh", true)
			ann, _ := n.Resident(t, "ann", true)
			bob, _ := n.Resident(t, "bob", true)
			ctx := t.Context()
			if err := n.svc.Agree(ctx, accounts.As(d)); err != nil {
				t.Fatal(err)
			}
			if err := n.svc.Delegate(ctx, accounts.As(ann), decisions.Scope{}, d.ID, false); err != nil {
				t.Fatal(err)
			}
			for who, c := range map[*accounts.Account][]string{d: {"a", "b"}, bob: {"b"}} {
				if _, err := n.svc.Cast(ctx, accounts.As(who), v.ID, decisions.Choice{Options: c}, false); err != nil {
					t.Fatal(err)
				}
			}
			for _, p := range []string{"/results.csv", "/ballots.csv"} {
				frontendtest.WantStatus(t, n.Request("GET", "/votes/"+v.ID+p, "", nil), http.StatusNotFound)
			}
			n.Clock.Set(v.ClosesAt)
			if _, err := n.svc.CloseDue(ctx); err != nil {
				t.Fatal(err)
			}
			w := n.Request("GET", "/votes/"+v.ID, "", nil)
			frontendtest.WantBody(t, w, `href="/votes/`+v.ID+`/results.csv"`, `href="/votes/`+v.ID+`/ballots.csv"`)

			w = n.Request("GET", "/votes/"+v.ID+"/results.csv", "", nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Errorf("content type %q", ct)
			}
			rows := readCSV(t, w.Body.String())
			want := [][]string{{"rank", "key", "option", "votes", "direct", "delegated", "score", "tied", "funded"},
				{"1", "b", "Louise Michel", "3", "2", "1", "0", "false", "false"},
				{"2", "a", "'=HYPERLINK(\"x\")", "2", "1", "1", "0", "false", "false"}}
			if !equalRows(rows, want) {
				t.Errorf("results.csv\n%v\nwant\n%v", rows, want)
			}
			w = n.Request("GET", "/votes/"+v.ID+"/ballots.csv", "", nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			rows = readCSV(t, w.Body.String())
			if len(rows) != 3 || strings.Join(rows[0], ",") != "receipt,choice,weight,delegated,delegate" {
				t.Fatalf("ballots.csv %v", rows)
			}
			var seen []string
			for _, r := range rows[1:] {
				seen = append(seen, strings.Join(r[1:], ","))
			}
			got := strings.Join(seen, " ")
			if !strings.Contains(got, "a;b,2,1,thanh") || !strings.Contains(got, "b,1,0,") || rows[1][0] > rows[2][0] {
				t.Errorf("ballots.csv %v", rows)
			}
			if strings.Contains(w.Body.String(), "ann") || strings.Contains(w.Body.String(), "bob") {
				t.Error("the published ballots name a voter who is not a delegate")
			}
		})
	}
}

func readCSV(t testing.TB, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("read csv: %v\n%s", err, s)
	}
	return rows
}

func equalRows(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.Join(a[i], "\x00") != strings.Join(b[i], "\x00") {
			return false
		}
	}
	return true
}
