package notify_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
	"agora/instances/proposals"
)

// TestFollowAndRead: a resident follows a proposal with the button, hears
// of its official answer in the header and on their notifications page
// (grouped by day, with the reason of a moderation), marks it read; the
// count is theirs alone; bad input changes nothing.
func TestFollowAndRead(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		ctx := t.Context()
		sp := n.Space(t, "quartier", 0)
		author := n.Verified(t, "autrice", false)
		reader, token := n.Resident(t, "lectrice", false)
		_, otherToken := n.Resident(t, "voisin", false)
		p := n.Propose(t, author, sp, "Un banc au square")
		page := "/proposals/" + p.ID

		w := n.Request("GET", page+"?lang=fr", token, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `action="/follow"`, `name="kind" value="proposal"`, `href="/notifications"`)
		frontendtest.WantNoBody(t, w, `class="unread"`)
		frontendtest.WantNoBody(t, n.Get(page+"?lang=fr"), `action="/follow"`) // visitors have no button

		w = n.Request("POST", "/follow", token, url.Values{"kind": {"proposal"}, "id": {p.ID}, "back": {page}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != page+"?follow=followed#follow" {
			t.Errorf("follow went to %q", loc)
		}
		w = n.Request("GET", page+"?follow=followed&lang=fr", token, nil)
		frontendtest.WantBody(t, w, `action="/unfollow"`, "Vous suivez maintenant cette page.")

		official := n.Staff[accounts.Official]
		if err := n.Proposals.Answer(ctx, accounts.As(official), p.ID, proposals.Study, "Nous l’étudions."); err != nil {
			t.Fatal(err)
		}
		w = n.Request("GET", page+"?lang=fr", token, nil)
		frontendtest.WantBody(t, w, `class="unread"`, `<span class="badge">1<span class="visually-hidden"> non lues</span>`)
		// The same page for another reader carries no count of hers.
		frontendtest.WantNoBody(t, n.Request("GET", page+"?lang=fr", otherToken, nil), `class="unread"`)

		w = n.Request("GET", "/notifications?lang=fr", token, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Réponse officielle, la proposition est maintenant « À l’étude »", `href="`+page+`"`,
			"1 notification non lue.")
		if !regexp.MustCompile(`<h2>\d{1,2}(er)? \p{L}+ \d{4}</h2>`).MatchString(w.Body.String()) {
			t.Errorf("notifications are not under a day's heading:\n%s", w.Body)
		}
		id := regexp.MustCompile(`action="/notifications/(\d+)/read"`).FindStringSubmatch(w.Body.String())
		if id == nil {
			t.Fatalf("no mark-as-read form:\n%s", w.Body)
		}
		// Someone else cannot mark it.
		frontendtest.WantStatus(t, n.Request("POST", "/notifications/"+id[1]+"/read", otherToken, nil), http.StatusNotFound)
		frontendtest.WantStatus(t, n.Request("POST", "/notifications/"+id[1]+"/read", token, nil), http.StatusSeeOther)
		w = n.Request("GET", "/notifications?lang=fr", token, nil)
		frontendtest.WantBody(t, w, "0 notification non lue.")
		frontendtest.WantNoBody(t, w, `action="/notifications/`+id[1]+`/read"`)

		// Replies and moderation, with its reason; mark all read.
		c := n.Comment(t, token, debates.Target{Kind: debates.TargetProposal, ID: p.ID}, "Il en faut deux.", "for")
		authorToken := n.Session(t, author)
		w = n.Request("POST", "/comments/"+c+"/reply", authorToken, url.Values{"comment": {"Bonne idée, @lectrice."}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if err := n.Moderation.Hide(ctx, accounts.As(n.Staff[accounts.Moderator]), moderation.Target{Kind: moderation.TargetComment, ID: c}, "Hors sujet"); err != nil {
			t.Fatal(err)
		}
		w = n.Request("GET", "/notifications?lang=fr", token, nil)
		frontendtest.WantBody(t, w, "a répondu à votre commentaire", "vous a cité", "La modération a masqué votre contribution", "Motif : Hors sujet",
			"3 notifications non lues.")
		w = n.Request("POST", "/notifications/read", token, nil)
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		frontendtest.WantBody(t, n.Request("GET", "/notifications?done=read&lang=fr", token, nil), "0 notification non lue.", "Toutes vos notifications sont marquées comme lues.")

		// Unfollow; a bad target or a foreign back path changes nothing.
		before := n.Count(t, "follows")
		for _, f := range []url.Values{
			{"kind": {"account"}, "id": {reader.ID}},
			{"kind": {"proposal"}, "id": {"nope"}},
			{"kind": {"space"}, "id": {""}},
		} {
			if w := n.Request("POST", "/follow", token, f); w.Code != http.StatusBadRequest && w.Code != http.StatusNotFound {
				t.Errorf("follow %v: %d, want 400 or 404", f, w.Code)
			}
		}
		if after := n.Count(t, "follows"); after != before {
			t.Errorf("refused follows wrote %d rows", after-before)
		}
		w = n.Request("POST", "/unfollow", token, url.Values{"kind": {"proposal"}, "id": {p.ID}, "back": {"//evil.example/x"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != page+"?follow=unfollowed#follow" {
			t.Errorf("unfollow with a foreign back went to %q", loc)
		}
		frontendtest.WantBody(t, n.Request("GET", page+"?lang=fr", token, nil), `action="/follow"`)
		frontendtest.WantStatus(t, n.Request("GET", "/notifications?before=x", token, nil), http.StatusBadRequest)
		if w := n.Request("GET", "/notifications", "", nil); w.Code != http.StatusSeeOther && w.Code != http.StatusFound {
			t.Errorf("/notifications for a visitor: %d, want a redirect to sign in", w.Code)
		}
	})
}
