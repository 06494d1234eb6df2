package moderation_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
	"agora/instances/moderation"
)

// A moderator recategorises a proposal and merges a duplicate into it
// through the pages, each for a public reason: the duplicate's supports
// are carried over, a resident who supported both counted once; the log
// says what changed, in words, without names.
func TestModerateProposals(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "quartier", 0)
		alice, _ := n.Resident(t, "alice", true)
		u1, _ := n.Resident(t, "ursule", true)
		u2, _ := n.Resident(t, "ugo", true)
		u3, _ := n.Resident(t, "ulysse", true)
		mod := n.Staff[accounts.Moderator]
		modTok := n.Session(t, mod)
		keep := n.Propose(t, alice, sp, "Des vélos en libre-service")
		dup := n.Propose(t, alice, sp, "Des Vélib rue Lecourbe")
		for _, s := range []struct {
			who *accounts.Account
			ids []string
		}{{u1, []string{keep.ID, dup.ID}}, {u2, []string{dup.ID}}, {u3, []string{keep.ID}}} {
			for _, id := range s.ids {
				if err := n.Proposals.Support(t.Context(), accounts.As(s.who), id); err != nil {
					t.Fatal(err)
				}
			}
		}

		// Recategorise: the form lists the space's categories.
		w := n.Request("GET", "/moderation/proposals/"+keep.ID+"/recategorise", modTok, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `<option value="nature" selected>Nature en ville</option>`, `<option value="mobilite">Mobilité</option>`, `id="act-reason"`)
		before := n.Counts(t)
		for _, tc := range []struct {
			name     string
			form     url.Values
			status   int
			errField string
		}{
			{"no reason", url.Values{"category": {"mobilite"}, "reason": {" "}}, http.StatusBadRequest, "act-reason"},
			{"unknown category", url.Values{"category": {"sport"}, "reason": {"Vélos"}}, http.StatusBadRequest, "act-category"},
			{"same category", url.Values{"category": {"nature"}, "reason": {"Vélos"}}, http.StatusConflict, "act-category"},
		} {
			w := n.Request("POST", "/moderation/proposals/"+keep.ID+"/recategorise", modTok, tc.form)
			frontendtest.WantStatus(t, w, tc.status)
			frontendtest.WantBody(t, w, `id="`+tc.errField+`-error"`)
		}
		n.WantCounts(t, before, "refused recategorisations")
		w = n.Request("POST", "/moderation/proposals/"+keep.ID+"/recategorise", modTok, url.Values{"category": {"mobilite"}, "reason": {"Il s’agit de transport"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if got, _ := n.Proposals.ByID(t.Context(), keep.ID); got.Category != "mobilite" {
			t.Errorf("category = %q", got.Category)
		}

		// Merge: by id or by address; bad input changes nothing.
		before = n.Counts(t)
		for _, tc := range []struct {
			name, into, reason, errField string
			status                       int
		}{
			{"no proposal", "", "Doublon", "act-into", http.StatusBadRequest},
			{"unknown proposal", "https://agora.example/proposals/nope", "Doublon", "act-into", http.StatusBadRequest},
			{"into itself", dup.ID, "Doublon", "act-into", http.StatusConflict},
			{"no reason", keep.ID, "", "act-reason", http.StatusBadRequest},
		} {
			w := n.Request("POST", "/moderation/proposals/"+dup.ID+"/merge", modTok, url.Values{"into": {tc.into}, "reason": {tc.reason}})
			frontendtest.WantStatus(t, w, tc.status)
			frontendtest.WantBody(t, w, `id="`+tc.errField+`-error"`)
		}
		n.WantCounts(t, before, "refused merges")
		w = n.Request("POST", "/moderation/proposals/"+dup.ID+"/merge", modTok,
			url.Values{"into": {"http://localhost/proposals/" + keep.ID + "?lang=fr#support"}, "reason": {"Même idée"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		kept, _ := n.Proposals.ByID(t.Context(), keep.ID)
		merged, _ := n.Proposals.ByID(t.Context(), dup.ID)
		if kept.SupportCount != 3 || merged.SupportCount != 0 || merged.MergedInto != keep.ID || string(merged.State) != "merged" {
			t.Errorf("after the merge: kept %d supports, duplicate %d supports, state %s, into %q",
				kept.SupportCount, merged.SupportCount, merged.State, merged.MergedInto)
		}
		supported, err := n.Proposals.Supports(t.Context(), u2.ID, []string{keep.ID})
		if err != nil || !supported[keep.ID] {
			t.Errorf("the duplicate's supporter does not support the one kept: %v %v", supported, err)
		}
		w = n.Request("POST", "/moderation/proposals/"+dup.ID+"/merge", modTok, url.Values{"into": {keep.ID}, "reason": {"Encore"}})
		frontendtest.WantStatus(t, w, http.StatusConflict)

		w = n.Request("GET", "/moderation", "", nil)
		frontendtest.WantBody(t, w, "Changé de thème", "Thème : Nature en ville → Mobilité", "Il s’agit de transport",
			"Fusionnée avec une autre proposition", "Soutiens reportés : 1 (déjà présents : 1)", `href="/proposals/`+keep.ID+`">Proposition qui la remplace`, "Même idée")
		frontendtest.WantNoBody(t, w, mod.Handle, mod.DisplayName)
		frontendtest.WantBody(t, n.Request("GET", "/moderation?lang=en", "", nil), "Category: Nature in the city → Getting around", "Supports carried over: 1 (already there: 1)")
	})
}

// Reports on a debate: one per resident while open; the queue names the
// reporter to moderators only; bad input changes nothing.
func TestReportDebate(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "quartier", 0)
		alice, aTok := n.Resident(t, "alice", false)
		_, bTok := n.Resident(t, "bruno", false)
		modTok := n.Session(t, n.Staff[accounts.Moderator])
		d := n.OpenDebate(t, alice, sp, "Un concert place Cambronne ?")
		frontendtest.WantBody(t, n.Request("GET", "/debates/"+d.ID+"/report", bTok, nil), "le débat « Un concert place Cambronne ? »", "Parlons-en ensemble.")

		before := n.Counts(t)
		w := n.Request("POST", "/debates/"+d.ID+"/report", bTok, url.Values{"reason": {""}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="report-reason-error"`, "Donnez une raison")
		n.WantCounts(t, before, "a report without a reason")
		frontendtest.WantStatus(t, n.Request("POST", "/debates/nope/report", bTok, url.Values{"reason": {"x"}}), http.StatusNotFound)

		// Its author does not report it: the page says why, a post is refused.
		w = n.Request("GET", "/debates/"+d.ID+"/report", aTok, nil)
		frontendtest.WantBody(t, w, "Vous avez écrit ce contenu")
		frontendtest.WantNoBody(t, w, `id="report-reason"`)
		frontendtest.WantNoBody(t, n.Request("GET", "/debates/"+d.ID, aTok, nil), `href="/debates/`+d.ID+`/report"`)
		frontendtest.WantBody(t, n.Request("GET", "/debates/"+d.ID, bTok, nil), `href="/debates/`+d.ID+`/report"`)
		frontendtest.WantStatus(t, n.Request("POST", "/debates/"+d.ID+"/report", aTok, url.Values{"reason": {"Moi"}}), http.StatusForbidden)
		n.WantCounts(t, before, "a report by the author")

		_, cTok := n.Resident(t, "chloe", false)
		for _, tok := range []string{bTok, bTok, cTok} {
			w := n.Request("POST", "/debates/"+d.ID+"/report", tok, url.Values{"reason": {"Publicité pour un bar"}})
			frontendtest.WantStatus(t, w, http.StatusSeeOther)
			if loc := w.Header().Get("Location"); loc != "/debates/"+d.ID+"/report?done=1" {
				t.Errorf("report leads to %q", loc)
			}
		}
		if got := n.Count(t, "reports"); got != 2 {
			t.Errorf("%d reports, want 2 (one per resident)", got)
		}
		w = n.Request("GET", "/moderation/reports", modTok, nil)
		frontendtest.WantBody(t, w, "Signalements ouverts : 2", "@chloe", "@bruno", `action="/debates/`+d.ID+`/hide"`)
		frontendtest.WantNoBody(t, w, "/recategorise")
		frontendtest.WantBody(t, n.Request("GET", "/moderation/reports?lang=en", modTok, nil), "Open reports: 2", "Reports to handle")

		// Hidden from the queue, the debate shows its reason instead.
		frontendtest.WantStatus(t, n.Request("POST", "/debates/"+d.ID+"/hide", modTok, url.Values{"reason": {"Publicité"},
			"next": {"/moderation/reports#item-" + d.ID}}), http.StatusSeeOther)
		w = n.Request("GET", "/debates/"+d.ID, bTok, nil)
		frontendtest.WantBody(t, w, "<h1>Débat masqué</h1>", "Masqué par la modération : Publicité")
		frontendtest.WantNoBody(t, w, "Un concert", "Parlons-en")
		frontendtest.WantBody(t, n.Request("GET", "/debates/"+d.ID, modTok, nil), "Parlons-en", `href="/debates/`+d.ID+`/unhide"`)
		frontendtest.WantBody(t, n.Request("GET", "/spaces/quartier/debates", "", nil), "Débat masqué", "Masqué par la modération : Publicité")
		// The hide answered both reports: none is left open.
		w = n.Request("GET", "/moderation/reports", modTok, nil)
		frontendtest.WantBody(t, w, "Aucun signalement à traiter.")
		frontendtest.WantNoBody(t, w, "Signalements ouverts")
	})
}

// The public log comes in pages of 50, newest first.
func TestModerationLogPages(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "quartier", 0)
		alice, _ := n.Resident(t, "alice", false)
		d := n.OpenDebate(t, alice, sp, "Des fleurs ?")
		mod := accounts.As(n.Staff[accounts.Moderator])
		target := moderation.Target{Kind: moderation.TargetDebate, ID: d.ID}
		for i := range 26 {
			if err := n.Moderation.Hide(t.Context(), mod, target, fmt.Sprintf("Masqué n° %d", i+1)); err != nil {
				t.Fatal(err)
			}
			if err := n.Moderation.Unhide(t.Context(), mod, target, fmt.Sprintf("Rétabli n° %d", i+1)); err != nil {
				t.Fatal(err)
			}
		}
		w := n.Request("GET", "/moderation", "", nil)
		frontendtest.WantBody(t, w, "Rétabli n° 26", "Masqué n° 2<", `href="/moderation?before=`)
		frontendtest.WantNoBody(t, w, "Masqué n° 1<")
		next := regexp.MustCompile(`href="(/moderation\?before=\d+)"`).FindStringSubmatch(w.Body.String())
		w = n.Request("GET", next[1], "", nil)
		frontendtest.WantBody(t, w, "Masqué n° 1<", "Rétabli n° 1<")
		frontendtest.WantNoBody(t, w, "Masqué n° 2<", `href="/moderation?before=`)
		frontendtest.WantStatus(t, n.Request("GET", "/moderation?before=abc", "", nil), http.StatusOK)
	})
}
