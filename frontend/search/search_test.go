package search_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"agora/frontend/browsertest"
	"agora/frontend/frontendtest"
	"agora/instances/debates"
)

// TestSearchPage: the header's box leads to results by kind, accents and
// capitals aside; a search too long, empty or of a bad kind is answered
// 400 with a message next to the box.
func TestSearchPage(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "quartier", 0)
		alice, token := n.Resident(t, "alice", true)
		p := n.Propose(t, alice, sp, "Végétaliser la cour de l’école")
		d := n.OpenDebate(t, alice, sp, "Fermer la rue de l’École le samedi ?")
		c := n.Comment(t, token, debates.Target{Kind: debates.TargetProposal, ID: p.ID}, "Une école plus verte, oui.", "for")

		home := n.Get("/?lang=fr")
		frontendtest.WantBody(t, home, `action="/search"`, `role="search"`)
		w := n.Get("/search?lang=fr&q=" + url.QueryEscape("ECOLE"))
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `href="/proposals/`+p.ID+`"`, `href="/debates/`+d.ID+`"`, `href="/proposals/`+p.ID+`#comment-`+c+`"`,
			"<h2>Propositions</h2>", "<h2>Débats</h2>", "<h2>Commentaires</h2>")
		w = n.Get("/search?lang=fr&kind=debate&q=ecole")
		frontendtest.WantBody(t, w, `href="/debates/`+d.ID+`"`)
		frontendtest.WantNoBody(t, w, `href="/proposals/`+p.ID+`"`)
		frontendtest.WantBody(t, n.Get("/search?lang=fr&q=introuvable"), "Rien ne correspond à ces mots.")
		frontendtest.WantNoBody(t, n.Get("/search?lang=fr"), "Rien ne correspond", "Écrivez au moins")

		for _, q := range []string{"q=" + strings.Repeat("e", 10_000), "q=", "q=%21%21", "q=ecole&kind=budget"} {
			w := n.Get("/search?lang=fr&" + q)
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			if !strings.Contains(w.Body.String(), "Écrivez au moins un mot") && !strings.Contains(w.Body.String(), "Choisissez où chercher") {
				t.Errorf("/search?%.30s…: no message:\n%.2000s", q, w.Body)
			}
			if strings.Contains(w.Body.String(), strings.Repeat("e", 201)) {
				t.Errorf("a 10,000-character search is shown back whole")
			}
		}
	})
}

// TestSearchInBrowser: the search page, with results and with an error,
// passes axe-core.
func TestSearchInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewNode(t, "sqlite")
	sp := n.Space(t, "quartier", 0)
	alice, _ := n.Resident(t, "alice", true)
	n.Propose(t, alice, sp, "Végétaliser la cour de l’école")
	base := browsertest.Serve(t, n.H)
	b := browsertest.New(t)
	for _, path := range []string{"/search?q=ecole&lang=fr", "/search?q=ecole&lang=en", "/search?q=%21&lang=fr"} {
		b.Navigate(base + path)
		b.AssertAccessible()
	}
}
