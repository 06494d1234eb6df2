package budgets_test

import (
	"net/http"
	"net/url"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/debates"
)

// A funded project's page shows its comments and the form to add one,
// posted to the comments machinery's /comments, which comes back to the
// project; an unfunded project takes none; a moderator's hiding shows
// its reason in place.
func TestProjectCommentsPages(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		b := importEdition(t, n)
		list, err := n.Deps.Projects.Projects(t.Context(), b.ID)
		if err != nil {
			t.Fatal(err)
		}
		var funded, unfunded, title string
		for _, p := range list {
			if p.Funded && funded == "" {
				funded, title = p.ID, p.Title
			} else if !p.Funded && unfunded == "" {
				unfunded = p.ID
			}
		}
		path := "/budgets/projects/" + funded
		_, camille := n.Resident(t, "camille", false)

		frontendtest.WantBody(t, n.Get(path), "Commentaires des habitants", "0 commentaire", "Connectez-vous pour commenter")
		frontendtest.WantBody(t, n.Request("GET", path, camille, nil), `action="/comments"`, `name="target_kind" value="budget_project"`)
		frontendtest.WantNoBody(t, n.Request("GET", "/budgets/projects/"+unfunded, camille, nil), `action="/comments"`)

		before := n.Count(t, "comments")
		w := n.Request("POST", "/comments", camille, url.Values{"target_kind": {"budget_project"}, "target_id": {unfunded}, "comment": {"Dommage"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		w = n.Request("POST", "/comments", camille, url.Values{"target_kind": {"budget_project"}, "target_id": {funded}, "comment": {" "}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		if n.Count(t, "comments") != before {
			t.Fatal("a refused comment was stored")
		}

		id := n.Comment(t, camille, debates.Target{Kind: debates.TargetBudgetProject, ID: funded}, "Vivement la **piste** !", "")
		w = n.Request("GET", path+"?comment=added", camille, nil)
		frontendtest.WantBody(t, w, "Votre commentaire est publié.", `id="comment-`+id+`"`, "<strong>piste</strong>", "1 commentaire",
			`href="/comments/`+id+`/edit"`)
		// The reply page, the participation surface's, names the project
		// and leads back to it.
		frontendtest.WantBody(t, n.Request("GET", "/comments/"+id+"/reply", camille, nil), title, `href="`+path+`#comment-`+id+`"`)
		modo := n.Session(t, n.Staff[accounts.Moderator])
		w = n.Request("POST", "/comments/"+id+"/hide", modo, url.Values{"reason": {"Hors sujet"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("hide: %d %s", w.Code, w.Body.String())
		}
		frontendtest.WantBody(t, n.Get(path), "Masqué par la modération : Hors sujet", "0 commentaire")
	})
}
