package frontend

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/debates"
)

// A space's debates through the pages: the list, the form (bad input
// changes nothing), the debate and its thread, closed by its author or by
// an official with a conclusion, after which it refuses comments.
func TestDebatePages(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		debSpace(t, n, "quartier")
		_, aTok := propResident(t, n, "alice", false)
		_, bTok := propResident(t, n, "bruno", false)
		official := n.session(t, n.staff[accounts.Official])

		w := n.request("GET", "/spaces/quartier/debates", "", nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "<h1>Débats – Budget participatif quartier</h1>", "Aucun débat", "Connectez-vous pour ouvrir un débat")
		wantStatus(t, n.request("GET", "/spaces/nowhere/debates", "", nil), http.StatusNotFound)
		wantStatus(t, n.request("GET", "/spaces/quartier/debates/new", "", nil), http.StatusSeeOther)
		w = n.request("GET", "/spaces/quartier/debates/new", aTok, nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `id="f-question"`, `id="f-description"`)

		before := debCounts(t, n)
		for _, tc := range []struct {
			name, question, description, field string
		}{
			{"empty question", " ", "", "question"},
			{"long question", strings.Repeat("é", 201), "", "question"},
			{"long description", "Une question ?", strings.Repeat("é", 5001), "description"},
		} {
			w := n.request("POST", "/spaces/quartier/debates/new", aTok, url.Values{"question": {tc.question}, "description": {tc.description}})
			wantStatus(t, w, http.StatusBadRequest)
			wantBody(t, w, `id="f-`+tc.field+`-error"`, "Le formulaire contient des erreurs")
		}
		debUnchanged(t, n, before, "refused debates")

		w = n.request("POST", "/spaces/quartier/debates/new", aTok, url.Values{"question": {"Faut-il  une rue\npiétonne ?"},
			"description": {"Le *dimanche* <script>alert(1)</script>"}})
		wantStatus(t, w, http.StatusSeeOther)
		loc := w.Header().Get("Location")
		id, ok := strings.CutPrefix(loc, "/debates/")
		id, _, _ = strings.Cut(id, "?")
		if !ok || id == "" {
			t.Fatalf("redirected to %q", loc)
		}
		page := "/debates/" + id
		w = n.request("GET", loc, aTok, nil)
		wantBody(t, w, "Le débat est ouvert.", "<h1>Faut-il une rue piétonne ?</h1>", "Ouvert", "Test alice", "<em>dimanche</em>",
			`action="/debates/`+id+`/close"`, "0 commentaire", `action="/comments"`, `name="target_kind" value="debate"`)
		debLacks(t, w, "<script>alert")
		wantBody(t, n.request("GET", "/spaces/quartier/debates", "", nil), `href="`+page+`"`, "Faut-il une rue piétonne ?", "0 commentaire")
		debLacks(t, n.request("GET", page, bTok, nil), `action="/debates/`+id+`/close"`)
		wantBody(t, n.request("GET", page, official, nil), `action="/debates/`+id+`/close"`)

		target := debates.Target{Kind: debates.TargetDebate, ID: id}
		c := debComment(t, n, bTok, target, "Oui !", "for")

		// Closing takes a conclusion.
		w = n.request("POST", page+"/close", official, url.Values{"conclusion": {" "}})
		wantStatus(t, w, http.StatusBadRequest)
		wantBody(t, w, `id="f-conclusion-error"`)
		w = n.request("POST", page+"/close", official, url.Values{"conclusion": {"La rue sera **piétonne** le dimanche."}})
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != page+"?done=closed#conclusion" {
			t.Errorf("closing leads to %q", loc)
		}
		w = n.request("GET", page+"?done=closed", bTok, nil)
		wantBody(t, w, "Le débat est clos.", "Clos", "<h2 id=\"conclusion\">Conclusion</h2>", "<strong>piétonne</strong>",
			"Ce débat est clos : il ne reçoit plus de commentaires.", "Oui !")
		debLacks(t, w, `action="/comments"`, `href="/comments/`+c+`/reply"`, `action="/comments/`+c+`/support"`, `action="/debates/`+id+`/close"`)

		// A closed debate refuses comments, replies, edits and supports.
		before = debCounts(t, n)
		w = n.request("POST", "/comments", aTok, url.Values{"target_kind": {"debate"}, "target_id": {id}, "comment": {"Trop tard ?"}})
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, "Ce débat est clos", ">Trop tard ?</textarea>")
		wantStatus(t, n.request("POST", "/comments/"+c+"/reply", aTok, url.Values{"comment": {"Trop tard ?"}}), http.StatusConflict)
		wantStatus(t, n.request("POST", "/comments/"+c+"/edit", bTok, url.Values{"comment": {"Changé"}}), http.StatusConflict)
		wantStatus(t, n.request("POST", "/comments/"+c+"/support", aTok, url.Values{}), http.StatusConflict)
		wantStatus(t, n.request("POST", page+"/close", official, url.Values{"conclusion": {"Encore."}}), http.StatusConflict)
		debUnchanged(t, n, before, "acts on a closed debate")

		// The author may close their own.
		w = n.request("POST", "/spaces/quartier/debates/new", aTok, url.Values{"question": {"Un marché le samedi ?"}})
		wantStatus(t, w, http.StatusSeeOther)
		other := strings.TrimSuffix(w.Header().Get("Location"), "?done=opened")
		wantStatus(t, n.request("POST", other+"/close", aTok, url.Values{"conclusion": {"Pas de marché."}}), http.StatusSeeOther)
		w = n.request("GET", "/spaces/quartier/debates?lang=en", "", nil)
		wantBody(t, w, "Debates – Budget participatif quartier", "Closed", "1 comment", "0 comments")
		wantBody(t, n.request("GET", page+"?lang=en", "", nil), "This debate is closed: it takes no more comments.", "Asked by")
	})
}

// Comments on a proposal: the acts lead back to #comment-ID on the
// proposal's page; a hidden proposal takes no more.
func TestProposalComments(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		sp := debSpace(t, n, "quartier")
		alice, aTok := propResident(t, n, "alice", true)
		_, bTok := propResident(t, n, "bruno", false)
		modTok := n.session(t, n.staff[accounts.Moderator])
		p := propPropose(t, n, alice, sp, "Un composteur rue Violet")
		target := debates.Target{Kind: debates.TargetProposal, ID: p.ID}
		c := debComment(t, n, bTok, target, "Je veux bien m’en occuper.", "for")
		w := n.request("GET", "/comments/"+c+"/reply", aTok, nil)
		wantBody(t, w, "Retour à « Un composteur rue Violet »", `href="/proposals/`+p.ID+`#comment-`+c+`"`, "Je veux bien m’en occuper.")
		r := debCommented(t, n.request("POST", "/comments/"+c+"/reply", aTok, url.Values{"comment": {"Merci !"}, "alignment": {"neutral"}}),
			"/proposals/"+p.ID+"?comment=replied#comment-")
		nodes := debComments(t, n, target)
		if len(nodes) != 1 || nodes[0].ID != c || len(nodes[0].Replies) != 1 || nodes[0].Replies[0].ID != r ||
			nodes[0].Replies[0].Alignment != debates.AlignNeutral {
			t.Errorf("thread = %+v", nodes)
		}
		if got, _ := n.proposals.ByID(t.Context(), p.ID); got.CommentCount != 2 {
			t.Errorf("comment count = %d, want 2", got.CommentCount)
		}

		// Reported and hidden by moderation, it takes no more comments.
		wantStatus(t, n.request("POST", "/proposals/"+p.ID+"/report", bTok, url.Values{"reason": {"Doublon"}}), http.StatusSeeOther)
		wantBody(t, n.request("GET", "/proposals/"+p.ID+"/report?done=1", bTok, nil), "Merci : votre signalement est transmis")
		w = n.request("GET", "/moderation/reports", modTok, nil)
		wantBody(t, w, "la proposition « Un composteur rue Violet »", "Doublon", `action="/moderation/proposals/`+p.ID+`/hide"`,
			`action="/moderation/proposals/`+p.ID+`/recategorise"`, `action="/moderation/proposals/`+p.ID+`/merge"`,
			`<option value="nature" selected>Nature en ville</option>`)
		wantStatus(t, n.request("POST", "/moderation/proposals/"+p.ID+"/hide", modTok,
			url.Values{"reason": {"Propos déplacés"}, "next": {"/moderation/reports#item-" + p.ID}}), http.StatusSeeOther)
		wantBody(t, n.request("GET", "/moderation/reports?done=hidden", modTok, nil), "Le contenu est masqué.", "Masqué par la modération : Propos déplacés",
			`action="/moderation/proposals/`+p.ID+`/unhide"`)
		w = n.request("POST", "/comments", aTok, url.Values{"target_kind": {"proposal"}, "target_id": {p.ID}, "comment": {"Encore un mot."}})
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, "Ce contenu est masqué par la modération.", "Commenter « Proposition masquée »")
		// A resident reporting it sees no longer its title.
		w = n.request("GET", "/proposals/"+p.ID+"/report", bTok, nil)
		wantBody(t, w, "une proposition masquée")
		debLacks(t, w, "Un composteur")
	})
}
