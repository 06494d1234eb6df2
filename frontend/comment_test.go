package frontend

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		sp := debSpace(t, n, "quartier")
		alice, aTok := propResident(t, n, "alice", false)
		bruno, bTok := propResident(t, n, "bruno", false)
		_, cTok := propResident(t, n, "chloe", true)
		mod := n.staff[accounts.Moderator]
		modTok := n.session(t, mod)
		d := debOpen(t, n, alice, sp, "Une rue piétonne le dimanche ?")
		target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		page := "/debates/" + d.ID

		// A comment, then a reply to it, nested under it.
		c := debComment(t, n, aTok, target, "Oui, **le dimanche** seulement.", "for")
		w := n.request("GET", "/comments/"+c+"/reply", bTok, nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "<h1>Répondre à Test alice</h1>", "<strong>le dimanche</strong>", `action="/comments/`+c+`/reply"`)
		reply := debCommented(t, n.request("POST", "/comments/"+c+"/reply", bTok, url.Values{"comment": {"Et les livraisons ?"}, "alignment": {"against"}}),
			page+"?comment=replied#comment-")
		w = n.request("GET", page+"?comment=replied", "", nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Votre réponse est publiée.", "2 commentaires", `<li id="comment-`+c+`">`, "Test alice", "Pour", "Contre",
			"<strong>le dimanche</strong>", "Connectez-vous pour commenter")
		body := w.Body.String()
		outer := strings.Index(body, `<li id="comment-`+c+`">`)
		inner := strings.Index(body, `<li id="comment-`+reply+`">`)
		if outer < 0 || inner < outer || !strings.Contains(body[outer:inner], `<ol class="thread">`) {
			t.Errorf("the reply is not in a list inside its parent's item")
		}
		// A link to a comment leads to its place in its thread.
		if loc := n.request("GET", "/comments/"+reply, "", nil).Header().Get("Location"); loc != page+"#comment-"+reply {
			t.Errorf("/comments/ID leads to %q", loc)
		}

		// Alice edits hers; the history keeps the first text.
		w = n.request("GET", "/comments/"+c+"/edit", aTok, nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Oui, **le dimanche** seulement.</textarea>")
		wantStatus(t, n.request("GET", "/comments/"+c+"/edit", bTok, nil), http.StatusForbidden)
		wantStatus(t, n.request("POST", "/comments/"+c+"/edit", bTok, url.Values{"comment": {"Pas à moi."}}), http.StatusForbidden)
		n.clock.Advance(time.Minute)
		wantStatus(t, n.request("POST", "/comments/"+c+"/edit", aTok, url.Values{"comment": {"Oui, le dimanche et les jours fériés."}}), http.StatusSeeOther)
		w = n.request("GET", page, "", nil)
		wantBody(t, w, "les jours fériés", `href="/comments/`+c+`/history">modifié`)
		w = n.request("GET", "/comments/"+c+"/history", "", nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Historique du commentaire de Test alice", "les jours fériés", "Version 1, remplacée le", "<strong>le dimanche</strong> seulement")

		// Supported once, however often the button is pressed; withdrawn.
		for range 2 {
			w = n.request("POST", "/comments/"+c+"/support", cTok, url.Values{})
			wantStatus(t, w, http.StatusSeeOther)
			if loc := w.Header().Get("Location"); loc != page+"?comment=supported#comment-"+c {
				t.Errorf("support leads to %q", loc)
			}
		}
		w = n.request("GET", page, cTok, nil)
		wantBody(t, w, "1 soutien", `action="/comments/`+c+`/unsupport"`)
		wantStatus(t, n.request("POST", "/comments/"+c+"/support", bTok, url.Values{}), http.StatusSeeOther)
		wantBody(t, n.request("GET", page, "", nil), "2 soutiens")
		wantStatus(t, n.request("POST", "/comments/"+c+"/unsupport", bTok, url.Values{}), http.StatusSeeOther)
		wantBody(t, n.request("GET", page+"?sort=supported", "", nil), "1 soutien", `<option value="supported" selected>`)
		if stored, _ := n.debates.Comment(t.Context(), c); stored.SupportCount != 1 {
			t.Errorf("support count = %d, want 1", stored.SupportCount)
		}

		// Chloé reports Bruno's reply; twice is one report.
		w = n.request("GET", "/comments/"+reply+"/report", cTok, nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "le commentaire de Test bruno", "Et les livraisons ?", `id="report-reason"`)
		for range 2 {
			w = n.request("POST", "/comments/"+reply+"/report", cTok, url.Values{"reason": {"Hors sujet, chloe le signale."}})
			wantStatus(t, w, http.StatusSeeOther)
		}
		wantBody(t, n.request("GET", w.Header().Get("Location"), cTok, nil), "Merci : votre signalement est transmis")
		if got := n.count(t, "reports"); got != 1 {
			t.Errorf("%d reports, want 1", got)
		}

		// The moderator sees it in the queue, with who reported, and hides it.
		w = n.request("GET", "/moderation/reports", modTok, nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "le commentaire de Test bruno", "Hors sujet, chloe le signale.", "@chloe", `action="/comments/`+reply+`/hide"`,
			`action="/moderation/reports/`)
		w = n.request("POST", "/comments/"+reply+"/hide", modTok, url.Values{"reason": {"Attaque personnelle"}})
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != page+"?comment=hidden#comment-"+reply {
			t.Errorf("hide leads to %q", loc)
		}
		w = n.request("GET", page, bTok, nil)
		wantBody(t, w, "Masqué par la modération : Attaque personnelle", "1 commentaire")
		debLacks(t, w, "Et les livraisons ?", `action="/comments/`+reply+`/support"`, `href="/comments/`+reply+`/reply"`)
		wantBody(t, n.request("GET", page, modTok, nil), `href="/comments/`+reply+`/unhide"`)
		// Hiding twice is refused with the message on the form's page.
		w = n.request("POST", "/comments/"+reply+"/hide", modTok, url.Values{"reason": {"Encore"}})
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, "Ce contenu est déjà masqué.", `role="alert"`)

		// The report is resolved from the queue, back to the queue.
		reports, err := n.moderation.Reports(t.Context(), accounts.As(mod), moderation.ReportFilter{})
		if err != nil || len(reports) != 1 {
			t.Fatalf("open reports: %v %v", reports, err)
		}
		w = n.request("POST", "/moderation/reports/"+reports[0].ID+"/resolve", modTok,
			url.Values{"resolution": {"Commentaire masqué"}, "next": {"/moderation/reports#item-" + reply}})
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/moderation/reports?done=resolved#item-"+reply {
			t.Errorf("resolve leads to %q", loc)
		}
		wantBody(t, n.request("GET", "/moderation/reports?done=resolved", modTok, nil), "Le signalement est traité.", "Aucun signalement à traiter.")

		// Shown again, for a reason.
		w = n.request("POST", "/comments/"+reply+"/unhide", modTok, url.Values{"reason": {""}})
		wantStatus(t, w, http.StatusBadRequest)
		wantBody(t, w, `id="act-reason-error"`, `aria-invalid="true"`)
		wantStatus(t, n.request("POST", "/comments/"+reply+"/unhide", modTok, url.Values{"reason": {"Recours accepté"}}), http.StatusSeeOther)
		wantBody(t, n.request("GET", page, "", nil), "Et les livraisons ?", "2 commentaires")

		// The public log: what, when, why and on what; not who.
		w = n.request("GET", "/moderation", "", nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Journal de modération", "Masqué", "Rétabli", "Signalement traité", "Attaque personnelle", "Recours accepté",
			"Commentaire masqué", `href="/comments/`+reply+`"`, "Budget participatif quartier")
		debLacks(t, w, "chloe", "Hors sujet", mod.Handle, mod.DisplayName, bruno.Handle)
		wantBody(t, n.request("GET", "/moderation?lang=en", "", nil), "Moderation log", "Shown again", "Report resolved")
	})
}

// debCounts counts the rows the pages of comments and moderation write,
// to show that a refused post wrote none.
func debCounts(t *testing.T, n *participationNode) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"debates", "comments", "comment_versions", "comment_supports", "reports", "moderation_log", "outbox_events"} {
		out[table] = n.count(t, table)
	}
	return out
}

// debUnchanged fails unless the counts are as before.
func debUnchanged(t *testing.T, n *participationNode, before map[string]int, what string) {
	t.Helper()
	for table, c := range debCounts(t, n) {
		if c != before[table] {
			t.Errorf("%s: %s went from %d to %d rows", what, table, before[table], c)
		}
	}
}

// Bad input changes nothing and says what is wrong next to the field, on
// a proposal and on a debate, in a new comment, a reply and an edit.
func TestCommentBadInput(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		sp := debSpace(t, n, "quartier")
		alice, aTok := propResident(t, n, "alice", true)
		p := propPropose(t, n, alice, sp, "Des bancs place du marché")
		d := debOpen(t, n, alice, sp, "Des bancs ou des arbres ?")
		for _, target := range []debates.Target{{Kind: debates.TargetProposal, ID: p.ID}, {Kind: debates.TargetDebate, ID: d.ID}} {
			c := debComment(t, n, aTok, target, "Premier avis.", "none")
			for _, tc := range []struct {
				name, comment, alignment, field, message string
				status                                   int
			}{
				{"empty", "  ", "for", "comment", "Un commentaire fait de 1 à 5 000 caractères", http.StatusBadRequest},
				{"too long", strings.Repeat("é", 5001), "for", "comment", "Un commentaire fait de 1 à 5 000 caractères", http.StatusBadRequest},
				{"only a script", "<script>alert(1)</script>", "for", "comment", "scripts et le HTML sont retirés", http.StatusBadRequest},
				{"unknown alignment", "Bon avis.", "peut-être", "alignment", "Choisissez Pour, Contre, Neutre ou Sans position.", http.StatusBadRequest},
			} {
				t.Run(string(target.Kind)+" "+tc.name, func(t *testing.T) {
					before := debCounts(t, n)
					for _, post := range []struct {
						path string
						form url.Values
					}{
						{"/comments", url.Values{"target_kind": {string(target.Kind)}, "target_id": {target.ID}, "comment": {tc.comment}, "alignment": {tc.alignment}}},
						{"/comments/" + c + "/reply", url.Values{"comment": {tc.comment}, "alignment": {tc.alignment}}},
					} {
						w := n.request("POST", post.path, aTok, post.form)
						wantStatus(t, w, tc.status)
						wantBody(t, w, `id="f-`+tc.field+`-error"`, tc.message, "Le formulaire contient des erreurs")
						if tc.field == "alignment" {
							wantBody(t, w, ">Bon avis.</textarea>", `aria-describedby="f-alignment-error"`)
						} else {
							wantBody(t, w, `aria-invalid="true"`)
						}
					}
					if tc.field == "comment" {
						w := n.request("POST", "/comments/"+c+"/edit", aTok, url.Values{"comment": {tc.comment}})
						wantStatus(t, w, tc.status)
						wantBody(t, w, `id="f-comment-error"`)
					}
					debUnchanged(t, n, before, tc.name)
				})
			}
			if stored, _ := n.debates.Comment(t.Context(), c); stored.Body != "Premier avis." || stored.EditedAt != nil {
				t.Errorf("a refused edit changed the comment: %+v", stored)
			}
		}

		// Markdown keeps its text and loses its scripts.
		target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		c := debComment(t, n, aTok, target, "Avis <script>alert(1)</script> **fort** [lien](javascript:alert(1)) <img src=x onerror=alert(1)>", "for")
		w := n.request("GET", "/debates/"+d.ID, "", nil)
		wantBody(t, w, `id="comment-`+c+`"`, "<strong>fort</strong>")
		debLacks(t, w, "<script>alert", "javascript:", "onerror")

		// Unknown targets and comments.
		before := debCounts(t, n)
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
			wantStatus(t, n.request("POST", tc.path, aTok, tc.form), tc.status)
		}
		debUnchanged(t, n, before, "posts about nothing")
	})
}

// Only moderators hide, show again and read the queue; only the author
// edits and deletes; visitors are sent to sign in.
func TestCommentGuards(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		sp := debSpace(t, n, "quartier")
		alice, aTok := propResident(t, n, "alice", true)
		_, bTok := propResident(t, n, "bruno", false)
		d := debOpen(t, n, alice, sp, "Une fête de quartier ?")
		target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		c := debComment(t, n, aTok, target, "Oui, en juin.", "for")
		p := propPropose(t, n, alice, sp, "Une fête de la musique")
		hide := url.Values{"reason": {"Spam"}}
		before := debCounts(t, n)
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
			{"agent reads the queue", "GET", "/moderation/reports", n.session(t, n.staff[accounts.Agent]), nil, http.StatusForbidden},
			{"admin hides", "POST", "/comments/" + c + "/hide", n.session(t, n.staff[accounts.Admin]), hide, http.StatusForbidden},
			{"official hides", "POST", "/comments/" + c + "/hide", n.session(t, n.staff[accounts.Official]), hide, http.StatusForbidden},
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
				wantStatus(t, n.request(tc.method, tc.path, tc.token, tc.form), tc.status)
			})
		}
		debUnchanged(t, n, before, "refused acts")
		w := n.request("GET", "/debates/"+d.ID, bTok, nil)
		debLacks(t, w, "/hide", "/unhide", `action="/debates/`+d.ID+`/close"`, `href="/comments/`+c+`/edit"`)
		wantBody(t, w, `href="/comments/`+c+`/report"`, `href="/debates/`+d.ID+`/report"`)

		// The author deletes, once they tick the box; replies keep their place.
		r := debCommented(t, n.request("POST", "/comments/"+c+"/reply", bTok, url.Values{"comment": {"Plutôt en juillet."}}),
			"/debates/"+d.ID+"?comment=replied#comment-")
		w = n.request("POST", "/comments/"+c+"/delete", aTok, url.Values{})
		wantStatus(t, w, http.StatusBadRequest)
		wantBody(t, w, `id="f-confirm-error"`, "Cochez la case")
		wantStatus(t, n.request("POST", "/comments/"+c+"/delete", aTok, url.Values{"confirm": {"on"}}), http.StatusSeeOther)
		w = n.request("GET", "/debates/"+d.ID+"?comment=deleted", "", nil)
		wantBody(t, w, "Votre commentaire est supprimé.", "Commentaire supprimé par son auteur ou autrice.", "Plutôt en juillet.", `id="comment-`+r+`"`, "1 commentaire")
		debLacks(t, w, "Oui, en juin.")
		wantStatus(t, n.request("GET", "/comments/"+c+"/edit", aTok, nil), http.StatusNotFound)
		wantStatus(t, n.request("POST", "/comments/"+c+"/reply", bTok, url.Values{"comment": {"Encore ?"}}), http.StatusNotFound)
	})
}

// A comment from the fediverse shows its author's name and server, a link
// to their profile, and where it comes from.
func TestRemoteCommentShown(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		sp := debSpace(t, n, "quartier")
		alice, aTok := propResident(t, n, "alice", false)
		d := debOpen(t, n, alice, sp, "Un jardin partagé ?")
		target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		c := debComment(t, n, aTok, target, "Rue Lecourbe.", "for")
		rc, err := n.debates.AddRemote(t.Context(), debates.RemoteComment{APID: "https://social.example/notes/1",
			Actor: "https://social.example/users/zoe", Name: "Zoé", ParentID: c,
			Content: `<p>Bonne idée <script>alert(1)</script><a href="https://social.example/tags/jardin">#jardin</a></p>`})
		if err != nil {
			t.Fatal(err)
		}
		w := n.request("GET", "/debates/"+d.ID, aTok, nil)
		wantBody(t, w, `id="comment-`+rc.ID+`"`, `<a href="https://social.example/users/zoe" rel="nofollow ugc" class="comment-author">Zoé</a>`,
			"(social.example)", "depuis le fédivers", "Bonne idée", "#jardin")
		debLacks(t, w, "<script>alert", `href="/comments/`+rc.ID+`/edit"`)
		wantBody(t, n.request("GET", "/debates/"+d.ID+"?lang=en", "", nil), "from the fediverse")
		wantBody(t, n.request("GET", "/comments/"+rc.ID+"/report", aTok, nil), "le commentaire de Zoé (social.example)")
	})
}
