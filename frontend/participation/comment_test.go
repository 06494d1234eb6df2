package participation_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
)

// The path of a thread through the pages: a comment, a reply nested in
// it, an edit with its history, a support given once, a report, the
// comment hidden by a moderator (its reason in its place and in the public
// log, which names neither the reporter nor the moderator), and shown
// again.
func TestCommentPath(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "quartier", 0)
		alice, aTok := n.Resident(t, "alice", false)
		bruno, bTok := n.Resident(t, "bruno", false)
		_, cTok := n.Resident(t, "chloe", true)
		mod := n.Staff[accounts.Moderator]
		modTok := n.Session(t, mod)
		d := n.OpenDebate(t, alice, sp, "Une rue piétonne le dimanche ?")
		target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		page := "/debates/" + d.ID

		// A comment, then a reply to it, nested under it.
		c := n.Comment(t, aTok, target, "Oui, **le dimanche** seulement.", "for")
		w := n.Request("GET", "/comments/"+c+"/reply", bTok, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "<h1>Répondre à Test alice</h1>", "<strong>le dimanche</strong>", `action="/comments/`+c+`/reply"`)
		reply := frontendtest.Commented(t, n.Request("POST", "/comments/"+c+"/reply", bTok, url.Values{"comment": {"Et les livraisons ?"}, "alignment": {"against"}}),
			page+"?comment=replied#comment-")
		w = n.Request("GET", page+"?comment=replied", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Votre réponse est publiée.", "2 commentaires", `<li id="comment-`+c+`">`, "Test alice", "Pour", "Contre",
			"<strong>le dimanche</strong>", "Connectez-vous pour commenter")
		body := w.Body.String()
		outer := strings.Index(body, `<li id="comment-`+c+`">`)
		inner := strings.Index(body, `<li id="comment-`+reply+`">`)
		if outer < 0 || inner < outer || !strings.Contains(body[outer:inner], `<ol class="thread">`) {
			t.Errorf("the reply is not in a list inside its parent's item")
		}
		// A link to a comment leads to its place in its thread.
		if loc := n.Request("GET", "/comments/"+reply, "", nil).Header().Get("Location"); loc != page+"#comment-"+reply {
			t.Errorf("/comments/ID leads to %q", loc)
		}

		// Alice edits hers; the history keeps the first text.
		w = n.Request("GET", "/comments/"+c+"/edit", aTok, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Oui, **le dimanche** seulement.</textarea>")
		frontendtest.WantStatus(t, n.Request("GET", "/comments/"+c+"/edit", bTok, nil), http.StatusForbidden)
		frontendtest.WantStatus(t, n.Request("POST", "/comments/"+c+"/edit", bTok, url.Values{"comment": {"Pas à moi."}}), http.StatusForbidden)
		n.Clock.Advance(time.Minute)
		frontendtest.WantStatus(t, n.Request("POST", "/comments/"+c+"/edit", aTok, url.Values{"comment": {"Oui, le dimanche et les jours fériés."}}), http.StatusSeeOther)
		w = n.Request("GET", page, "", nil)
		frontendtest.WantBody(t, w, "les jours fériés", `href="/comments/`+c+`/history">modifié`)
		w = n.Request("GET", "/comments/"+c+"/history", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Historique du commentaire de Test alice", "les jours fériés", "Version 1, remplacée le", "<strong>le dimanche</strong> seulement")

		// Supported once, however often the button is pressed; withdrawn.
		for range 2 {
			w = n.Request("POST", "/comments/"+c+"/support", cTok, url.Values{})
			frontendtest.WantStatus(t, w, http.StatusSeeOther)
			if loc := w.Header().Get("Location"); loc != page+"?comment=supported#comment-"+c {
				t.Errorf("support leads to %q", loc)
			}
		}
		w = n.Request("GET", page, cTok, nil)
		frontendtest.WantBody(t, w, "1 soutien", `action="/comments/`+c+`/unsupport"`)
		frontendtest.WantStatus(t, n.Request("POST", "/comments/"+c+"/support", bTok, url.Values{}), http.StatusSeeOther)
		frontendtest.WantBody(t, n.Request("GET", page, "", nil), "2 soutiens")
		frontendtest.WantStatus(t, n.Request("POST", "/comments/"+c+"/unsupport", bTok, url.Values{}), http.StatusSeeOther)
		frontendtest.WantBody(t, n.Request("GET", page+"?sort=supported", "", nil), "1 soutien", `<option value="supported" selected>`)
		if stored, _ := n.Debates.Comment(t.Context(), c); stored.SupportCount != 1 {
			t.Errorf("support count = %d, want 1", stored.SupportCount)
		}

		// Chloé reports Bruno's reply; twice is one report.
		w = n.Request("GET", "/comments/"+reply+"/report", cTok, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "le commentaire de Test bruno", "Et les livraisons ?", `id="report-reason"`)
		for range 2 {
			w = n.Request("POST", "/comments/"+reply+"/report", cTok, url.Values{"reason": {"Hors sujet, chloe le signale."}})
			frontendtest.WantStatus(t, w, http.StatusSeeOther)
		}
		frontendtest.WantBody(t, n.Request("GET", w.Header().Get("Location"), cTok, nil), "Merci : votre signalement est transmis")
		if got := n.Count(t, "reports"); got != 1 {
			t.Errorf("%d reports, want 1", got)
		}

		// The moderator sees it in the queue, with who reported, and hides it.
		w = n.Request("GET", "/moderation/reports", modTok, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "le commentaire de Test bruno", "Hors sujet, chloe le signale.", "@chloe", `action="/comments/`+reply+`/hide"`,
			`action="/moderation/reports/`)
		w = n.Request("POST", "/comments/"+reply+"/hide", modTok, url.Values{"reason": {"Attaque personnelle"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != page+"?comment=hidden#comment-"+reply {
			t.Errorf("hide leads to %q", loc)
		}
		w = n.Request("GET", page, bTok, nil)
		frontendtest.WantBody(t, w, "Masqué par la modération : Attaque personnelle", "1 commentaire")
		frontendtest.WantNoBody(t, w, "Et les livraisons ?", `action="/comments/`+reply+`/support"`, `href="/comments/`+reply+`/reply"`)
		frontendtest.WantBody(t, n.Request("GET", page, modTok, nil), `href="/comments/`+reply+`/unhide"`)
		// Hiding twice is refused with the message on the form's page.
		w = n.Request("POST", "/comments/"+reply+"/hide", modTok, url.Values{"reason": {"Encore"}})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, "Ce contenu est déjà masqué.", `role="alert"`)

		// The hide answered the report: resolved with its reason, the queue is empty.
		reports, err := n.Moderation.Reports(t.Context(), accounts.As(mod), moderation.ReportFilter{Resolved: true})
		if err != nil || len(reports) != 1 || reports[0].Resolution != "Attaque personnelle" {
			t.Fatalf("resolved reports: %+v %v", reports, err)
		}
		frontendtest.WantBody(t, n.Request("GET", "/moderation/reports", modTok, nil), "Aucun signalement à traiter.")

		// Shown again, for a reason.
		w = n.Request("POST", "/comments/"+reply+"/unhide", modTok, url.Values{"reason": {""}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="act-reason-error"`, `aria-invalid="true"`)
		frontendtest.WantStatus(t, n.Request("POST", "/comments/"+reply+"/unhide", modTok, url.Values{"reason": {"Recours accepté"}}), http.StatusSeeOther)
		frontendtest.WantBody(t, n.Request("GET", page, "", nil), "Et les livraisons ?", "2 commentaires")

		// The public log: what, when, why and on what; not who.
		w = n.Request("GET", "/moderation", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Journal de modération", "Masqué", "Rétabli", "Attaque personnelle", "Recours accepté",
			`href="/comments/`+reply+`"`, "Budget participatif quartier")
		frontendtest.WantNoBody(t, w, "chloe", "Hors sujet", mod.Handle, mod.DisplayName, bruno.Handle)
		frontendtest.WantBody(t, n.Request("GET", "/moderation?lang=en", "", nil), "Moderation log", "Shown again", "Hidden")
	})
}

// Bad input changes nothing and says what is wrong next to the field, on
// a proposal and on a debate, in a new comment, a reply and an edit.
func TestCommentBadInput(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "quartier", 0)
		alice, aTok := n.Resident(t, "alice", true)
		p := n.Propose(t, alice, sp, "Des bancs place du marché")
		d := n.OpenDebate(t, alice, sp, "Des bancs ou des arbres ?")
		for _, target := range []debates.Target{{Kind: debates.TargetProposal, ID: p.ID}, {Kind: debates.TargetDebate, ID: d.ID}} {
			c := n.Comment(t, aTok, target, "Premier avis.", "none")
			for _, tc := range []struct {
				name, comment, alignment, field, message string
				status                                   int
			}{
				{"empty", "  ", "for", "comment", "Rien n’est écrit : écrivez quelque chose.", http.StatusBadRequest},
				{"too long", strings.Repeat("é", 5001), "for", "comment", "Trop long : 5001 caractères, 5000 au plus.", http.StatusBadRequest},
				{"only a script", "<script>alert(1)</script>", "for", "comment", "Il ne reste rien à afficher : le HTML et les scripts sont retirés.", http.StatusBadRequest},
				{"unknown alignment", "Bon avis.", "peut-être", "alignment", "Choisissez Pour, Contre, Neutre ou Sans position.", http.StatusBadRequest},
			} {
				t.Run(string(target.Kind)+" "+tc.name, func(t *testing.T) {
					before := n.Counts(t)
					for _, post := range []struct {
						path string
						form url.Values
					}{
						{"/comments", url.Values{"target_kind": {string(target.Kind)}, "target_id": {target.ID}, "comment": {tc.comment}, "alignment": {tc.alignment}}},
						{"/comments/" + c + "/reply", url.Values{"comment": {tc.comment}, "alignment": {tc.alignment}}},
					} {
						w := n.Request("POST", post.path, aTok, post.form)
						frontendtest.WantStatus(t, w, tc.status)
						frontendtest.WantBody(t, w, `id="f-`+tc.field+`-error"`, tc.message, "Le formulaire contient des erreurs")
						if tc.field == "alignment" {
							frontendtest.WantBody(t, w, ">Bon avis.</textarea>", `aria-describedby="f-alignment-error"`)
						} else {
							frontendtest.WantBody(t, w, `aria-invalid="true"`)
						}
					}
					if tc.field == "comment" {
						w := n.Request("POST", "/comments/"+c+"/edit", aTok, url.Values{"comment": {tc.comment}})
						frontendtest.WantStatus(t, w, tc.status)
						frontendtest.WantBody(t, w, `id="f-comment-error"`)
					}
					n.WantCounts(t, before, tc.name)
				})
			}
			if stored, _ := n.Debates.Comment(t.Context(), c); stored.Body != "Premier avis." || stored.EditedAt != nil {
				t.Errorf("a refused edit changed the comment: %+v", stored)
			}
		}

		// Markdown keeps its text and loses its scripts.
		target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		c := n.Comment(t, aTok, target, "Avis <script>alert(1)</script> **fort** [lien](javascript:alert(1)) <img src=x onerror=alert(1)>", "for")
		w := n.Request("GET", "/debates/"+d.ID, "", nil)
		frontendtest.WantBody(t, w, `id="comment-`+c+`"`, "<strong>fort</strong>")
		frontendtest.WantNoBody(t, w, "<script>alert", "javascript:", "onerror")

		// Unknown targets and comments.
		before := n.Counts(t)
		for _, tc := range []struct {
			name, path string
			form       url.Values
			status     int
		}{
			{"unknown kind", "/comments", url.Values{"target_kind": {"space"}, "target_id": {sp.ID}, "comment": {"Bon."}}, http.StatusBadRequest},
			{"unknown proposal", "/comments", url.Values{"target_kind": {"proposal"}, "target_id": {"nope"}, "comment": {"Bon."}}, http.StatusNotFound},
			{"unknown debate", "/comments", url.Values{"target_kind": {"debate"}, "target_id": {"nope"}, "comment": {"Bon."}}, http.StatusNotFound},
			{"reply to nothing", "/comments/nope/reply", url.Values{"comment": {"Bon."}}, http.StatusNotFound},
			{"support nothing", "/comments/nope/support", url.Values{}, http.StatusNotFound},
			{"report nothing", "/comments/nope/report", url.Values{"reason": {"Spam"}}, http.StatusNotFound},
		} {
			frontendtest.WantStatus(t, n.Request("POST", tc.path, aTok, tc.form), tc.status)
		}
		n.WantCounts(t, before, "posts about nothing")
	})
}

// Only moderators hide, show again and read the queue; only the author
// edits and deletes; visitors are sent to sign in.
func TestCommentGuards(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "quartier", 0)
		alice, aTok := n.Resident(t, "alice", true)
		_, bTok := n.Resident(t, "bruno", false)
		d := n.OpenDebate(t, alice, sp, "Une fête de quartier ?")
		target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		c := n.Comment(t, aTok, target, "Oui, en juin.", "for")
		p := n.Propose(t, alice, sp, "Une fête de la musique")
		hide := url.Values{"reason": {"Spam"}}
		before := n.Counts(t)
		for _, tc := range []struct {
			name, method, path, token string
			form                      url.Values
			status                    int
		}{
			{"resident hides", "POST", "/comments/" + c + "/hide", bTok, hide, http.StatusForbidden},
			{"resident opens the hide form", "GET", "/comments/" + c + "/hide", bTok, nil, http.StatusForbidden},
			{"author hides", "POST", "/comments/" + c + "/hide", aTok, hide, http.StatusForbidden},
			{"resident unhides", "POST", "/comments/" + c + "/unhide", bTok, hide, http.StatusForbidden},
			{"resident hides a debate", "POST", "/debates/" + d.ID + "/hide", bTok, hide, http.StatusForbidden},
			{"resident hides a proposal", "POST", "/moderation/proposals/" + p.ID + "/hide", bTok, hide, http.StatusForbidden},
			{"resident recategorises", "POST", "/moderation/proposals/" + p.ID + "/recategorise", bTok, url.Values{"category": {"mobilite"}, "reason": {"x"}}, http.StatusForbidden},
			{"resident merges", "POST", "/moderation/proposals/" + p.ID + "/merge", bTok, url.Values{"into": {p.ID}, "reason": {"x"}}, http.StatusForbidden},
			{"resident reads the queue", "GET", "/moderation/reports", bTok, nil, http.StatusForbidden},
			{"agent reads the queue", "GET", "/moderation/reports", n.Session(t, n.Staff[accounts.Agent]), nil, http.StatusForbidden},
			{"admin hides", "POST", "/comments/" + c + "/hide", n.Session(t, n.Staff[accounts.Admin]), hide, http.StatusForbidden},
			{"official hides", "POST", "/comments/" + c + "/hide", n.Session(t, n.Staff[accounts.Official]), hide, http.StatusForbidden},
			{"resident resolves", "POST", "/moderation/reports/x/resolve", bTok, url.Values{"resolution": {"x"}}, http.StatusForbidden},
			{"visitor reads the queue", "GET", "/moderation/reports", "", nil, http.StatusSeeOther},
			{"visitor hides", "POST", "/comments/" + c + "/hide", "", hide, http.StatusUnauthorized},
			{"visitor comments", "POST", "/comments", "", url.Values{"target_kind": {"debate"}, "target_id": {d.ID}, "comment": {"x"}}, http.StatusUnauthorized},
			{"visitor supports", "POST", "/comments/" + c + "/support", "", url.Values{}, http.StatusUnauthorized},
			{"visitor reports", "POST", "/comments/" + c + "/report", "", hide, http.StatusUnauthorized},
			{"visitor opens the report form", "GET", "/proposals/" + p.ID + "/report", "", nil, http.StatusSeeOther},
			{"visitor opens a debate", "POST", "/spaces/quartier/debates/new", "", url.Values{"question": {"x"}}, http.StatusUnauthorized},
			{"other edits", "POST", "/comments/" + c + "/edit", bTok, url.Values{"comment": {"x"}}, http.StatusForbidden},
			{"other deletes", "POST", "/comments/" + c + "/delete", bTok, url.Values{"confirm": {"on"}}, http.StatusForbidden},
			{"resident closes another's debate", "POST", "/debates/" + d.ID + "/close", bTok, url.Values{"conclusion": {"Fini."}}, http.StatusForbidden},
		} {
			t.Run(tc.name, func(t *testing.T) {
				frontendtest.WantStatus(t, n.Request(tc.method, tc.path, tc.token, tc.form), tc.status)
			})
		}
		n.WantCounts(t, before, "refused acts")
		w := n.Request("GET", "/debates/"+d.ID, bTok, nil)
		frontendtest.WantNoBody(t, w, "/hide", "/unhide", `action="/debates/`+d.ID+`/close"`, `href="/comments/`+c+`/edit"`)
		frontendtest.WantBody(t, w, `href="/comments/`+c+`/report"`, `href="/debates/`+d.ID+`/report"`)

		// The author deletes, once they tick the box; replies keep their place.
		r := frontendtest.Commented(t, n.Request("POST", "/comments/"+c+"/reply", bTok, url.Values{"comment": {"Plutôt en juillet."}}),
			"/debates/"+d.ID+"?comment=replied#comment-")
		w = n.Request("POST", "/comments/"+c+"/delete", aTok, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-confirm-error"`, "Cochez la case")
		frontendtest.WantStatus(t, n.Request("POST", "/comments/"+c+"/delete", aTok, url.Values{"confirm": {"on"}}), http.StatusSeeOther)
		w = n.Request("GET", "/debates/"+d.ID+"?comment=deleted", "", nil)
		frontendtest.WantBody(t, w, "Votre commentaire est supprimé.", "Commentaire supprimé par son auteur ou autrice.", "Plutôt en juillet.", `id="comment-`+r+`"`, "1 commentaire")
		frontendtest.WantNoBody(t, w, "Oui, en juin.")
		frontendtest.WantStatus(t, n.Request("GET", "/comments/"+c+"/edit", aTok, nil), http.StatusNotFound)
		frontendtest.WantStatus(t, n.Request("POST", "/comments/"+c+"/reply", bTok, url.Values{"comment": {"Encore ?"}}), http.StatusNotFound)
	})
}

// A comment from the fediverse shows its author's name and server, a link
// to their profile, and where it comes from.
func TestRemoteCommentShown(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "quartier", 0)
		alice, aTok := n.Resident(t, "alice", false)
		d := n.OpenDebate(t, alice, sp, "Un jardin partagé ?")
		target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		c := n.Comment(t, aTok, target, "Rue Lecourbe.", "for")
		rc, err := n.Debates.AddRemote(t.Context(), debates.RemoteComment{APID: "https://social.example/notes/1",
			Actor: "https://social.example/users/zoe", Name: "Zoé", ParentID: c,
			Content: `<p>Bonne idée <script>alert(1)</script><a href="https://social.example/tags/jardin">#jardin</a></p>`})
		if err != nil {
			t.Fatal(err)
		}
		w := n.Request("GET", "/debates/"+d.ID, aTok, nil)
		frontendtest.WantBody(t, w, `id="comment-`+rc.ID+`"`, `<a href="https://social.example/users/zoe" rel="nofollow ugc" class="comment-author">Zoé</a>`,
			"(social.example)", "depuis le fédivers", "Bonne idée", "#jardin")
		frontendtest.WantNoBody(t, w, "<script>alert", `href="/comments/`+rc.ID+`/edit"`)
		frontendtest.WantBody(t, n.Request("GET", "/debates/"+d.ID+"?lang=en", "", nil), "from the fediverse")
		frontendtest.WantBody(t, n.Request("GET", "/comments/"+rc.ID+"/report", aTok, nil), "le commentaire de Zoé (social.example)")
	})
}
