package participation_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
	"agora/instances/debates"
)

// A space's debates through the pages: the list, the form (bad input
// changes nothing), the debate and its thread, closed by its author or by
// an official with a conclusion, after which it refuses comments.
func TestDebatePages(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		n.Space(t, "quartier", 0)
		_, aTok := n.Resident(t, "alice", false)
		_, bTok := n.Resident(t, "bruno", false)
		official := n.Session(t, n.Staff[accounts.Official])

		w := n.Request("GET", "/spaces/quartier/debates", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "<h1>Débats – Budget participatif quartier</h1>", "Aucun débat", "Connectez-vous pour ouvrir un débat")
		frontendtest.WantStatus(t, n.Request("GET", "/spaces/nowhere/debates", "", nil), http.StatusNotFound)
		frontendtest.WantStatus(t, n.Request("GET", "/spaces/quartier/debates/new", "", nil), http.StatusSeeOther)
		w = n.Request("GET", "/spaces/quartier/debates/new", aTok, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `id="f-question"`, `id="f-description"`)

		before := n.Counts(t)
		for _, tc := range []struct {
			name, question, description, field string
		}{
			{"empty question", " ", "", "question"},
			{"long question", strings.Repeat("é", 201), "", "question"},
			{"long description", "Une question ?", strings.Repeat("é", 5001), "description"},
		} {
			w := n.Request("POST", "/spaces/quartier/debates/new", aTok, url.Values{"question": {tc.question}, "description": {tc.description}})
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			frontendtest.WantBody(t, w, `id="f-`+tc.field+`-error"`, "Le formulaire contient des erreurs")
		}
		n.WantCounts(t, before, "refused debates")

		w = n.Request("POST", "/spaces/quartier/debates/new", aTok, url.Values{"question": {"Faut-il  une rue\npiétonne ?"},
			"description": {"Le *dimanche* <script>alert(1)</script>"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		loc := w.Header().Get("Location")
		id, ok := strings.CutPrefix(loc, "/debates/")
		id, _, _ = strings.Cut(id, "?")
		if !ok || id == "" {
			t.Fatalf("redirected to %q", loc)
		}
		page := "/debates/" + id
		w = n.Request("GET", loc, aTok, nil)
		frontendtest.WantBody(t, w, "Le débat est ouvert.", "<h1>Faut-il une rue piétonne ?</h1>", "Ouvert", "Test alice", "<em>dimanche</em>",
			`action="/debates/`+id+`/close"`, "0 commentaire", `action="/comments"`, `name="target_kind" value="debate"`)
		frontendtest.WantNoBody(t, w, "<script>alert")
		frontendtest.WantBody(t, n.Request("GET", "/spaces/quartier/debates", "", nil), `href="`+page+`"`, "Faut-il une rue piétonne ?", "0 commentaire")
		frontendtest.WantNoBody(t, n.Request("GET", page, bTok, nil), `action="/debates/`+id+`/close"`)
		frontendtest.WantBody(t, n.Request("GET", page, official, nil), `action="/debates/`+id+`/close"`)

		target := debates.Target{Kind: debates.TargetDebate, ID: id}
		c := n.Comment(t, bTok, target, "Oui !", "for")

		// Closing takes a conclusion.
		w = n.Request("POST", page+"/close", official, url.Values{"conclusion": {" "}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-conclusion-error"`)
		w = n.Request("POST", page+"/close", official, url.Values{"conclusion": {"La rue sera **piétonne** le dimanche."}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != page+"?done=closed#conclusion" {
			t.Errorf("closing leads to %q", loc)
		}
		w = n.Request("GET", page+"?done=closed", bTok, nil)
		frontendtest.WantBody(t, w, "Le débat est clos.", "Clos", "<h2 id=\"conclusion\">Conclusion</h2>", "<strong>piétonne</strong>",
			"Ce débat est clos : il ne reçoit plus de commentaires.", "Oui !")
		frontendtest.WantNoBody(t, w, `action="/comments"`, `href="/comments/`+c+`/reply"`, `action="/comments/`+c+`/support"`, `action="/debates/`+id+`/close"`)

		// A closed debate refuses comments, replies, edits and supports.
		before = n.Counts(t)
		w = n.Request("POST", "/comments", aTok, url.Values{"target_kind": {"debate"}, "target_id": {id}, "comment": {"Trop tard ?"}})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, "Ce débat est clos", ">Trop tard ?</textarea>")
		frontendtest.WantStatus(t, n.Request("POST", "/comments/"+c+"/reply", aTok, url.Values{"comment": {"Trop tard ?"}}), http.StatusConflict)
		frontendtest.WantStatus(t, n.Request("POST", "/comments/"+c+"/edit", bTok, url.Values{"comment": {"Changé"}}), http.StatusConflict)
		frontendtest.WantStatus(t, n.Request("POST", "/comments/"+c+"/support", aTok, url.Values{}), http.StatusConflict)
		frontendtest.WantStatus(t, n.Request("POST", page+"/close", official, url.Values{"conclusion": {"Encore."}}), http.StatusConflict)
		n.WantCounts(t, before, "acts on a closed debate")

		// The author may close their own.
		w = n.Request("POST", "/spaces/quartier/debates/new", aTok, url.Values{"question": {"Un marché le samedi ?"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		other := strings.TrimSuffix(w.Header().Get("Location"), "?done=opened")
		frontendtest.WantStatus(t, n.Request("POST", other+"/close", aTok, url.Values{"conclusion": {"Pas de marché."}}), http.StatusSeeOther)
		w = n.Request("GET", "/spaces/quartier/debates?lang=en", "", nil)
		frontendtest.WantBody(t, w, "Debates – Budget participatif quartier", "Closed", "1 comment", "0 comments")
		frontendtest.WantBody(t, n.Request("GET", page+"?lang=en", "", nil), "This debate is closed: it takes no more comments.", "Asked by")
	})
}

// Comments on a proposal: the acts lead back to #comment-ID on the
// proposal's page; a hidden proposal takes no more.
func TestProposalComments(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "quartier", 0)
		alice, aTok := n.Resident(t, "alice", true)
		_, bTok := n.Resident(t, "bruno", false)
		modTok := n.Session(t, n.Staff[accounts.Moderator])
		p := n.Propose(t, alice, sp, "Un composteur rue Violet")
		target := debates.Target{Kind: debates.TargetProposal, ID: p.ID}
		c := n.Comment(t, bTok, target, "Je veux bien m’en occuper.", "for")
		w := n.Request("GET", "/comments/"+c+"/reply", aTok, nil)
		frontendtest.WantBody(t, w, "Retour à « Un composteur rue Violet »", `href="/proposals/`+p.ID+`#comment-`+c+`"`, "Je veux bien m’en occuper.")
		r := frontendtest.Commented(t, n.Request("POST", "/comments/"+c+"/reply", aTok, url.Values{"comment": {"Merci !"}, "alignment": {"neutral"}}),
			"/proposals/"+p.ID+"?comment=replied#comment-")
		nodes := debComments(t, n, target)
		if len(nodes) != 1 || nodes[0].ID != c || len(nodes[0].Replies) != 1 || nodes[0].Replies[0].ID != r ||
			nodes[0].Replies[0].Alignment != debates.AlignNeutral {
			t.Errorf("thread = %+v", nodes)
		}
		if got, _ := n.Proposals.ByID(t.Context(), p.ID); got.CommentCount != 2 {
			t.Errorf("comment count = %d, want 2", got.CommentCount)
		}

		// Reported and hidden by moderation, it takes no more comments.
		frontendtest.WantStatus(t, n.Request("POST", "/proposals/"+p.ID+"/report", bTok, url.Values{"reason": {"Doublon"}}), http.StatusSeeOther)
		frontendtest.WantBody(t, n.Request("GET", "/proposals/"+p.ID+"/report?done=1", bTok, nil), "Merci : votre signalement est transmis")
		w = n.Request("GET", "/moderation/reports", modTok, nil)
		frontendtest.WantBody(t, w, "la proposition « Un composteur rue Violet »", "Doublon", `action="/moderation/proposals/`+p.ID+`/hide"`,
			`action="/moderation/proposals/`+p.ID+`/recategorise"`, `action="/moderation/proposals/`+p.ID+`/merge"`,
			`<option value="nature" selected>Nature en ville</option>`)
		frontendtest.WantStatus(t, n.Request("POST", "/moderation/proposals/"+p.ID+"/hide", modTok,
			url.Values{"reason": {"Propos déplacés"}, "next": {"/moderation/reports#item-" + p.ID}}), http.StatusSeeOther)
		// The hide answered the report: it leaves the queue.
		w = n.Request("GET", "/moderation/reports?done=hidden", modTok, nil)
		frontendtest.WantBody(t, w, "Le contenu est masqué.", "Aucun signalement à traiter.")
		frontendtest.WantNoBody(t, w, "Doublon")
		w = n.Request("POST", "/comments", aTok, url.Values{"target_kind": {"proposal"}, "target_id": {p.ID}, "comment": {"Encore un mot."}})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, "Ce contenu est masqué par la modération.", "Commenter « Proposition masquée »")
		// A resident reporting it sees no longer its title.
		w = n.Request("GET", "/proposals/"+p.ID+"/report", bTok, nil)
		frontendtest.WantBody(t, w, "une proposition masquée")
		frontendtest.WantNoBody(t, w, "Un composteur")
	})
}
