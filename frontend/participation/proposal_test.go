package participation_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// The whole path of a proposal through the pages: published, supported
// and unsupported by verified residents, sent to review at the threshold,
// answered by an official, edited by its author within the window and
// not after, withdrawn.
func TestProposalResidentPath(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		n.Space(t, "budget-2027", 2)
		author, authorTok := n.Resident(t, "camille", true)
		_, bTok := n.Resident(t, "bruno", true)
		_, cTok := n.Resident(t, "chloe", true)
		official := n.Session(t, n.Staff[accounts.Official])

		w := n.Request("GET", "/spaces", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `href="/spaces/budget-2027"`, "Budget participatif budget-2027", "Vous pouvez proposer et soutenir des propositions jusqu’au")
		w = n.Request("GET", "/spaces/budget-2027", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "<strong>idées</strong>", `aria-current="step"`, "Nature en ville", `href="/spaces/budget-2027/proposals/new"`)

		// The form, then the proposal.
		frontendtest.WantStatus(t, n.Request("GET", "/spaces/budget-2027/proposals/new", authorTok, nil), http.StatusOK)
		id := propCreated(t, propPost(n, "budget-2027", authorTok, propFields("Des arbres rue de Vaugirard")))
		w = n.Request("GET", "/proposals/"+id+"?done=published", authorTok, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Votre proposition est publiée.", "<h1>Des arbres rue de Vaugirard</h1>", "Publiée", "Test camille",
			"Nature en ville", "0 soutien", `href="/proposals/`+id+`/edit"`, `action="/proposals/`+id+`/withdraw"`, `<section id="comments"`)
		if strings.Contains(w.Body.String(), `action="/proposals/`+id+`/answer"`) {
			t.Error("a resident sees the answer form")
		}

		// The author edits within the window.
		edit := url.Values{"title": {"Des arbres et des bancs rue de Vaugirard"}, "body": {"Planter des arbres et poser des bancs."}, "category": {"nature"}}
		frontendtest.WantStatus(t, n.Request("GET", "/proposals/"+id+"/edit", authorTok, nil), http.StatusOK)
		frontendtest.WantStatus(t, n.Request("POST", "/proposals/"+id+"/edit", authorTok, edit), http.StatusSeeOther)
		frontendtest.WantBody(t, n.Request("GET", "/proposals/"+id, "", nil), "Des arbres et des bancs", "modifiée le")

		// Support, twice, and withdraw it, twice.
		frontendtest.WantStatus(t, n.Request("POST", "/proposals/"+id+"/support", bTok, url.Values{}), http.StatusSeeOther)
		w = n.Request("GET", "/proposals/"+id, bTok, nil)
		frontendtest.WantBody(t, w, "1 soutien", "Vous soutenez cette proposition.", `action="/proposals/`+id+`/unsupport"`)
		w = n.Request("POST", "/proposals/"+id+"/support", bTok, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, "Vous soutenez déjà cette proposition.", `role="alert"`)
		frontendtest.WantStatus(t, n.Request("POST", "/proposals/"+id+"/unsupport", bTok, url.Values{}), http.StatusSeeOther)
		w = n.Request("POST", "/proposals/"+id+"/unsupport", bTok, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, "il n’y a rien à retirer")
		frontendtest.WantBody(t, n.Request("GET", "/proposals/"+id, "", nil), "0 soutien")

		// Two supports reach the threshold: the proposal goes to review.
		frontendtest.WantStatus(t, n.Request("POST", "/proposals/"+id+"/support", bTok, url.Values{}), http.StatusSeeOther)
		frontendtest.WantStatus(t, n.Request("POST", "/proposals/"+id+"/support", cTok, url.Values{}), http.StatusSeeOther)
		w = n.Request("GET", "/proposals/"+id, authorTok, nil)
		frontendtest.WantBody(t, w, "2 soutiens", "En examen", "Seuil de 2 soutiens atteint")
		if strings.Contains(w.Body.String(), `/edit"`) {
			t.Error("the edit link is still offered after a support")
		}

		// The author cannot edit once supported.
		w = n.Request("POST", "/proposals/"+id+"/edit", authorTok, edit)
		frontendtest.WantStatus(t, w, http.StatusForbidden)
		frontendtest.WantBody(t, w, "dans les 15 minutes")

		// An official answers; the answer and the service show in the timeline.
		w = n.Request("GET", "/proposals/"+id, official, nil)
		frontendtest.WantBody(t, w, `action="/proposals/`+id+`/answer"`, `<option value="study">À l’étude</option>`, `<option value="accepted">Acceptée</option>`)
		w = n.Request("POST", "/proposals/"+id+"/answer", official, url.Values{"to": {"accepted"}, "answer": {"Le service **plantera** six arbres."}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		w = n.Request("GET", "/proposals/"+id+"?lang=en", "", nil)
		frontendtest.WantBody(t, w, "Official answer: Accepted", "<strong>plantera</strong>", "Service: Voirie", "This proposal no longer takes supports.")

		// The author withdraws another proposal: not without ticking the box.
		id2 := propCreated(t, propPost(n, "budget-2027", authorTok, propFields("Une fontaine place Cambronne")))
		w = n.Request("POST", "/proposals/"+id2+"/withdraw", authorTok, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-confirm-error"`, "Cochez la case")
		frontendtest.WantStatus(t, n.Request("POST", "/proposals/"+id2+"/withdraw", authorTok, url.Values{"confirm": {"on"}}), http.StatusSeeOther)
		w = n.Request("GET", "/proposals/"+id2, authorTok, nil)
		frontendtest.WantBody(t, w, "Retirée", "Retirée par son auteur ou autrice")
		frontendtest.WantStatus(t, n.Request("POST", "/proposals/"+id2+"/support", bTok, url.Values{}), http.StatusConflict)

		// A third one, edited after the window.
		id3 := propCreated(t, propPost(n, "budget-2027", authorTok, propFields("Un composteur square Violet")))
		n.Clock.Advance(proposals.EditWindow + time.Minute)
		w = n.Request("POST", "/proposals/"+id3+"/edit", authorTok, edit)
		frontendtest.WantStatus(t, w, http.StatusForbidden)
		frontendtest.WantBody(t, w, "dans les 15 minutes", `value="Des arbres et des bancs rue de Vaugirard"`)
		if p, err := n.Proposals.ByID(t.Context(), id3); err != nil || p.Title != "Un composteur square Violet" {
			t.Errorf("late edit changed the proposal: %v %v", p.Title, err)
		}
		_ = author
	})
}

// Who may do what: only officials answer, only the author (or a
// moderator, with a reason) edits, only the author withdraws.
func TestProposalGuards(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "quartier", 0)
		author, authorTok := n.Resident(t, "camille", true)
		_, otherTok := n.Resident(t, "bruno", true)
		p := n.Propose(t, author, sp, "Un banc au square")
		answer := url.Values{"to": {"review"}, "answer": {"Nous regardons."}}
		withFile := propCreated(t, propPost(n, "quartier", authorTok, propFields("Un banc avec photo"), propFile{name: "banc.png", data: frontendtest.PNG(t)}))

		for _, tc := range []struct {
			name, method, path, token string
			form                      url.Values
			status                    int
		}{
			{"visitor answers", "POST", "/proposals/" + p.ID + "/answer", "", answer, http.StatusUnauthorized},
			{"resident answers", "POST", "/proposals/" + p.ID + "/answer", otherTok, answer, http.StatusForbidden},
			{"author answers", "POST", "/proposals/" + p.ID + "/answer", authorTok, answer, http.StatusForbidden},
			{"moderator answers", "POST", "/proposals/" + p.ID + "/answer", n.Session(t, n.Staff[accounts.Moderator]), answer, http.StatusForbidden},
			{"admin answers", "POST", "/proposals/" + p.ID + "/answer", n.Session(t, n.Staff[accounts.Admin]), answer, http.StatusForbidden},
			{"other edits", "POST", "/proposals/" + p.ID + "/edit", otherTok, propFields("Autre"), http.StatusForbidden},
			{"other opens the edit form", "GET", "/proposals/" + p.ID + "/edit", otherTok, nil, http.StatusForbidden},
			{"visitor opens the edit form", "GET", "/proposals/" + p.ID + "/edit", "", nil, http.StatusSeeOther},
			{"other withdraws", "POST", "/proposals/" + p.ID + "/withdraw", otherTok, url.Values{"confirm": {"on"}}, http.StatusForbidden},
			{"visitor supports", "POST", "/proposals/" + p.ID + "/support", "", url.Values{}, http.StatusUnauthorized},
			{"resident acts for another", "POST", "/proposals/" + p.ID + "/support", otherTok, url.Values{"behalf": {"1"}, "on_behalf": {"camille"}, "desk": {frontendtest.Desk}}, http.StatusForbidden},
			{"resident opens a space", "POST", "/admin/spaces/new", otherTok, url.Values{"slug": {"x"}, "title": {"X"}}, http.StatusForbidden},
			{"no such proposal", "GET", "/proposals/nosuchproposal", "", nil, http.StatusNotFound},
			{"no such attachment", "GET", "/proposals/" + p.ID + "/attachments/1", "", nil, http.StatusNotFound},
			{"answer to nowhere", "POST", "/proposals/nosuchproposal/answer", n.Session(t, n.Staff[accounts.Official]), answer, http.StatusNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				frontendtest.WantStatus(t, n.Request(tc.method, tc.path, tc.token, tc.form), tc.status)
			})
		}
		if got, err := n.Proposals.ByID(t.Context(), p.ID); err != nil || got.State != proposals.Published || got.Title != "Un banc au square" || got.SupportCount != 0 {
			t.Errorf("a refused act changed the proposal: %+v %v", got, err)
		}

		// An official's answer the state does not allow, or empty.
		official := n.Session(t, n.Staff[accounts.Official])
		w := n.Request("POST", "/proposals/"+p.ID+"/answer", official, url.Values{"to": {"implemented"}, "answer": {"Fait."}})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, `id="f-to-error"`, "ne peut pas suivre")
		w = n.Request("POST", "/proposals/"+p.ID+"/answer", official, url.Values{"to": {"review"}, "answer": {"  "}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-answer-error"`)

		// A moderator edits, with a public reason only.
		mod := n.Session(t, n.Staff[accounts.Moderator])
		frontendtest.WantBody(t, n.Request("GET", "/proposals/"+p.ID+"/edit", mod, nil), `id="f-reason"`)
		w = n.Request("POST", "/proposals/"+p.ID+"/edit", mod, propFields("Un banc au square Violet"))
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-reason-error"`)
		f := propFields("Un banc au square Violet")
		f.Set("reason", "Lieu précisé")
		frontendtest.WantStatus(t, n.Request("POST", "/proposals/"+p.ID+"/edit", mod, f), http.StatusSeeOther)
		frontendtest.WantBody(t, n.Request("GET", "/proposals/"+p.ID, "", nil), "Un banc au square Violet", "Motif : Lieu précisé")

		// Hidden by moderation: the notice in its place, its files for moderators only.
		if _, err := n.DB.NewUpdate().Table("proposals").Set("hidden_at = ?", n.Clock.Now()).Set("hidden_reason = ?", "Propos injurieux").
			Where("id = ?", p.ID).Exec(t.Context()); err != nil {
			t.Fatal(err)
		}
		w = n.Request("GET", "/spaces/quartier/proposals", "", nil)
		frontendtest.WantBody(t, w, "Masquée par la modération : Propos injurieux")
		if strings.Contains(w.Body.String(), "square Violet") {
			t.Error("the list shows a hidden proposal's title")
		}
		w = n.Request("GET", "/proposals/"+p.ID, otherTok, nil)
		frontendtest.WantBody(t, w, "Proposition masquée", "Masquée par la modération : Propos injurieux")
		if strings.Contains(w.Body.String(), "square Violet") {
			t.Error("the page shows a hidden proposal's title")
		}
		frontendtest.WantBody(t, n.Request("GET", "/proposals/"+p.ID, mod, nil), "square Violet")
		if _, err := n.DB.NewUpdate().Table("proposals").Set("hidden_at = ?", n.Clock.Now()).Set("hidden_reason = ?", "Photo d’une personne").
			Where("id = ?", withFile).Exec(t.Context()); err != nil {
			t.Fatal(err)
		}
		frontendtest.WantStatus(t, n.Request("GET", "/proposals/"+withFile+"/attachments/1", otherTok, nil), http.StatusNotFound)
		frontendtest.WantStatus(t, n.Request("GET", "/proposals/"+withFile+"/attachments/1", mod, nil), http.StatusOK)
		if strings.Contains(n.Request("GET", "/proposals/"+withFile, "", nil).Body.String(), "/attachments/1") {
			t.Error("the page of a hidden proposal links its files")
		}
	})
}

// Bad input changes nothing and says what is wrong next to the field.
func TestProposalBadInput(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		now := n.Clock.Now()
		sp := n.Space(t, "quartier", 0)
		n.Space(t, "evaluation", 0, spaces.PhaseInput{Kind: spaces.Evaluation, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(24 * time.Hour)})
		author, tok := n.Resident(t, "camille", true)
		_, unverified := n.Resident(t, "ulysse", false)
		p := n.Propose(t, author, sp, "Déjà là")

		with := func(k, v string) url.Values {
			f := propFields("Un titre")
			f.Set(k, v)
			return f
		}
		for _, tc := range []struct {
			name, space, token string
			form               url.Values
			status             int
			want               []string
		}{
			{"empty title", "quartier", tok, with("title", ""), http.StatusBadRequest, []string{`id="f-title-error"`, "Rien n’est écrit : écrivez quelque chose."}},
			{"title too long", "quartier", tok, with("title", strings.Repeat("é", 639)), http.StatusBadRequest,
				[]string{`id="f-title-error"`, fmt.Sprintf("Trop long : 639 caractères, %d au plus.", spaces.DefaultTitleMax)}},
			{"empty body", "quartier", tok, with("body", " "), http.StatusBadRequest, []string{`id="f-body-error"`, "Rien n’est écrit"}},
			{"body too long", "quartier", tok, with("body", strings.Repeat("a", spaces.DefaultBodyMax+1)), http.StatusBadRequest, []string{`id="f-body-error"`, `value="Un titre"`,
				fmt.Sprintf("Trop long : %d caractères, %d au plus.", spaces.DefaultBodyMax+1, spaces.DefaultBodyMax)}},
			{"unknown category", "quartier", tok, with("category", "sport"), http.StatusBadRequest, []string{`id="f-category-error"`}},
			{"latitude", "quartier", tok, with("lat", "91"), http.StatusBadRequest, []string{`id="f-lat-error"`, "de -90 à 90"}},
			{"longitude alone", "quartier", tok, with("lon", "2,29"), http.StatusBadRequest, []string{`id="f-lat-error"`, "ou aucune des deux"}},
			{"long address", "quartier", tok, with("address", strings.Repeat("rue ", 60)), http.StatusBadRequest, []string{`id="f-address-error"`}},
			{"wrong phase", "evaluation", tok, propFields("Trop tard"), http.StatusConflict, []string{"La phase en cours de cet espace ne le permet pas.", "Les services de la ville les étudient"}},
			{"unverified", "quartier", unverified, propFields("Pas vérifiée"), http.StatusForbidden, []string{"Seules les personnes dont la résidence est vérifiée", `href="/account#residency"`}},
			{"desk without agent", "quartier", tok, with("on_behalf", "ulysse"), http.StatusForbidden, nil},
			{"no such space", "nulle-part", tok, propFields("Ailleurs"), http.StatusNotFound, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := n.Count(t, "proposals")
				w := propPost(n, tc.space, tc.token, tc.form)
				frontendtest.WantStatus(t, w, tc.status)
				frontendtest.WantBody(t, w, tc.want...)
				if got := n.Count(t, "proposals"); got != before {
					t.Errorf("%d proposals, want %d", got, before)
				}
			})
		}

		// Markdown with a script: published, the script gone.
		id := propCreated(t, propPost(n, "quartier", tok, with("body", "Bonjour <script>alert(1)</script> **tout le monde** [lien](javascript:alert(1))")))
		w := n.Request("GET", "/proposals/"+id, "", nil)
		frontendtest.WantBody(t, w, "<strong>tout le monde</strong>")
		if b := w.Body.String(); strings.Contains(b, "<script>alert") || strings.Contains(b, "javascript:") {
			t.Errorf("the script reached the page:\n%s", b)
		}

		// Supports: unverified, twice, and in a closed phase.
		w = n.Request("POST", "/proposals/"+p.ID+"/support", unverified, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusForbidden)
		frontendtest.WantBody(t, w, "Seules les personnes dont la résidence est vérifiée peuvent faire cela.")
		frontendtest.WantBody(t, n.Request("GET", "/proposals/"+p.ID, unverified, nil), "Seules les personnes dont la résidence est vérifiée peuvent soutenir", `href="/account#residency"`)
		// Its author does not support it: no button, a plain reason, and a post is refused.
		w = n.Request("GET", "/proposals/"+p.ID, tok, nil)
		frontendtest.WantBody(t, w, "vous ne la soutenez pas vous-même")
		frontendtest.WantNoBody(t, w, `action="/proposals/`+p.ID+`/support"`)
		w = n.Request("POST", "/proposals/"+p.ID+"/support", tok, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusForbidden)
		frontendtest.WantBody(t, w, "vous ne la soutenez pas vous-même")
		supporter, sTok := n.Resident(t, "sacha", true)
		frontendtest.WantStatus(t, n.Request("POST", "/proposals/"+p.ID+"/support", sTok, url.Values{}), http.StatusSeeOther)
		frontendtest.WantStatus(t, n.Request("POST", "/proposals/"+p.ID+"/support", sTok, url.Values{}), http.StatusConflict)
		n.Clock.Advance(31 * 24 * time.Hour)
		tok = n.Session(t, supporter) // the first one expired
		w = n.Request("POST", "/proposals/"+p.ID+"/unsupport", tok, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, "La phase en cours de cet espace ne le permet pas.")
		if got, _ := n.Proposals.ByID(t.Context(), p.ID); got.SupportCount != 1 {
			t.Errorf("support count %d after refused acts, want 1", got.SupportCount)
		}
	})
}

// An agent at a desk proposes and supports for a resident present; the
// page says who entered it, where and for whom.
func TestProposalAtTheDesk(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		n.Space(t, "quartier", 0)
		marie, _ := n.Resident(t, "marie", true)
		n.Resident(t, "ulysse", false)
		agent := n.Session(t, n.Staff[accounts.Agent])

		w := n.Request("GET", "/spaces/quartier/proposals/new", agent, nil)
		frontendtest.WantBody(t, w, `id="f-on_behalf"`, `id="f-desk"`)

		// Errors: no desk, no such resident.
		f := propFields("Un abri vélo")
		f.Set("on_behalf", "personne")
		w = propPost(n, "quartier", agent, f)
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-on_behalf-error"`, "Aucun compte n’a l’identifiant « personne »", `id="f-desk-error"`)

		f.Set("on_behalf", "Marie")
		f.Set("desk", frontendtest.Desk)
		id := propCreated(t, propPost(n, "quartier", agent, f))
		p, err := n.Proposals.ByID(t.Context(), id)
		if err != nil || p.AuthorID != marie.ID || p.EnteredBy != n.Staff[accounts.Agent].ID || p.Desk != frontendtest.Desk {
			t.Fatalf("proposal %+v %v, want marie's entered by the agent at the desk", p, err)
		}
		w = n.Request("GET", "/proposals/"+id, agent, nil)
		frontendtest.WantBody(t, w, "Saisie par l’agent Test staff_agent au guichet « "+frontendtest.Desk+" » pour Test marie.", `name="behalf"`)

		// Supports for residents present: not for one unverified.
		w = n.Request("POST", "/proposals/"+id+"/support", agent, url.Values{"behalf": {"1"}, "on_behalf": {"ulysse"}, "desk": {frontendtest.Desk}})
		frontendtest.WantStatus(t, w, http.StatusForbidden)
		frontendtest.WantBody(t, w, "Seules les personnes dont la résidence est vérifiée", `value="ulysse"`)
		w = n.Request("POST", "/proposals/"+id+"/support", agent, url.Values{"behalf": {"1"}, "on_behalf": {""}, "desk": {frontendtest.Desk}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-on_behalf-error"`)
		// Not for its author either: the proposal is hers already.
		w = n.Request("POST", "/proposals/"+id+"/support", agent, url.Values{"behalf": {"1"}, "on_behalf": {"marie"}, "desk": {frontendtest.Desk}})
		frontendtest.WantStatus(t, w, http.StatusForbidden)
		n.Resident(t, "nadia", true)
		w = n.Request("POST", "/proposals/"+id+"/support", agent, url.Values{"behalf": {"1"}, "on_behalf": {"nadia"}, "desk": {frontendtest.Desk}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if c := frontendtest.Cookie(w.Result(), "agora_desk"); c == nil || c.Path != "/" {
			t.Errorf("desk cookie %v, want the desk remembered for the desk's pages", c)
		}
		frontendtest.WantBody(t, n.Request("GET", "/proposals/"+id+"?done=supported_behalf", agent, nil), "1 soutien", "Le soutien de la personne est enregistré.")
	})
}
