package frontend

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"agora/instances/accounts"
	"agora/instances/moderation"
)

// A moderator recategorises a proposal and merges a duplicate into it
// through the pages, each for a public reason: the duplicate's supports
// are carried over, a resident who supported both counted once; the log
// says what changed, in words, without names.
func TestModerateProposals(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		sp := debSpace(t, n, "quartier")
		alice, _ := propResident(t, n, "alice", true)
		u1, _ := propResident(t, n, "ursule", true)
		u2, _ := propResident(t, n, "ugo", true)
		u3, _ := propResident(t, n, "ulysse", true)
		mod := n.staff[accounts.Moderator]
		modTok := n.session(t, mod)
		keep := propPropose(t, n, alice, sp, "Des vélos en libre-service")
		dup := propPropose(t, n, alice, sp, "Des Vélib rue Lecourbe")
		for _, s := range []struct {
			who *accounts.Account
			ids []string
		}{{u1, []string{keep.ID, dup.ID}}, {u2, []string{dup.ID}}, {u3, []string{keep.ID}}} {
			for _, id := range s.ids {
				if err := n.proposals.Support(t.Context(), accounts.As(s.who), id); err != nil {
					t.Fatal(err)
				}
			}
		}

		// Recategorise: the form lists the space's categories.
		w := n.request("GET", "/moderation/proposals/"+keep.ID+"/recategorise", modTok, nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `<option value="nature" selected>Nature en ville</option>`, `<option value="mobilite">Mobilité</option>`, `id="act-reason"`)
		before := debCounts(t, n)
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
			w := n.request("POST", "/moderation/proposals/"+keep.ID+"/recategorise", modTok, tc.form)
			wantStatus(t, w, tc.status)
			wantBody(t, w, `id="`+tc.errField+`-error"`)
		}
		debUnchanged(t, n, before, "refused recategorisations")
		w = n.request("POST", "/moderation/proposals/"+keep.ID+"/recategorise", modTok, url.Values{"category": {"mobilite"}, "reason": {"Il s’agit de transport"}})
		wantStatus(t, w, http.StatusSeeOther)
		if got, _ := n.proposals.ByID(t.Context(), keep.ID); got.Category != "mobilite" {
			t.Errorf("category = %q", got.Category)
		}

		// Merge: by id or by address; bad input changes nothing.
		before = debCounts(t, n)
		for _, tc := range []struct {
			name, into, reason, errField string
			status                       int
		}{
			{"no proposal", "", "Doublon", "act-into", http.StatusBadRequest},
			{"unknown proposal", "https://agora.example/proposals/nope", "Doublon", "act-into", http.StatusBadRequest},
			{"into itself", dup.ID, "Doublon", "act-into", http.StatusConflict},
			{"no reason", keep.ID, "", "act-reason", http.StatusBadRequest},
		} {
			w := n.request("POST", "/moderation/proposals/"+dup.ID+"/merge", modTok, url.Values{"into": {tc.into}, "reason": {tc.reason}})
			wantStatus(t, w, tc.status)
			wantBody(t, w, `id="`+tc.errField+`-error"`)
		}
		debUnchanged(t, n, before, "refused merges")
		w = n.request("POST", "/moderation/proposals/"+dup.ID+"/merge", modTok,
			url.Values{"into": {"http://localhost/proposals/" + keep.ID + "?lang=fr#support"}, "reason": {"Même idée"}})
		wantStatus(t, w, http.StatusSeeOther)
		kept, _ := n.proposals.ByID(t.Context(), keep.ID)
		merged, _ := n.proposals.ByID(t.Context(), dup.ID)
		if kept.SupportCount != 3 || merged.SupportCount != 0 || merged.MergedInto != keep.ID || string(merged.State) != "merged" {
			t.Errorf("after the merge: kept %d supports, duplicate %d supports, state %s, into %q",
				kept.SupportCount, merged.SupportCount, merged.State, merged.MergedInto)
		}
		supported, err := n.proposals.Supports(t.Context(), u2.ID, []string{keep.ID})
		if err != nil || !supported[keep.ID] {
			t.Errorf("the duplicate's supporter does not support the one kept: %v %v", supported, err)
		}
		w = n.request("POST", "/moderation/proposals/"+dup.ID+"/merge", modTok, url.Values{"into": {keep.ID}, "reason": {"Encore"}})
		wantStatus(t, w, http.StatusConflict)

		w = n.request("GET", "/moderation", "", nil)
		wantBody(t, w, "Changé de thème", "Thème : Nature en ville → Mobilité", "Il s’agit de transport",
			"Fusionnée avec une autre proposition", "Soutiens reportés : 1 (déjà présents : 1)", `href="/proposals/`+keep.ID+`">Proposition qui la remplace`, "Même idée")
		debLacks(t, w, mod.Handle, mod.DisplayName)
		wantBody(t, n.request("GET", "/moderation?lang=en", "", nil), "Category: Nature in the city → Getting around", "Supports carried over: 1 (already there: 1)")
	})
}

// Reports on a debate: one per resident while open; the queue names the
// reporter to moderators only; bad input changes nothing.
func TestReportDebate(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		sp := debSpace(t, n, "quartier")
		alice, aTok := propResident(t, n, "alice", false)
		_, bTok := propResident(t, n, "bruno", false)
		modTok := n.session(t, n.staff[accounts.Moderator])
		d := debOpen(t, n, alice, sp, "Un concert place Cambronne ?")
		wantBody(t, n.request("GET", "/debates/"+d.ID+"/report", bTok, nil), "le débat « Un concert place Cambronne ? »", "Parlons-en ensemble.")

		before := debCounts(t, n)
		w := n.request("POST", "/debates/"+d.ID+"/report", bTok, url.Values{"reason": {""}})
		wantStatus(t, w, http.StatusBadRequest)
		wantBody(t, w, `id="report-reason-error"`, "Donnez une raison")
		debUnchanged(t, n, before, "a report without a reason")
		wantStatus(t, n.request("POST", "/debates/nope/report", bTok, url.Values{"reason": {"x"}}), http.StatusNotFound)

		for _, tok := range []string{bTok, bTok, aTok} {
			w := n.request("POST", "/debates/"+d.ID+"/report", tok, url.Values{"reason": {"Publicité pour un bar"}})
			wantStatus(t, w, http.StatusSeeOther)
			if loc := w.Header().Get("Location"); loc != "/debates/"+d.ID+"/report?done=1" {
				t.Errorf("report leads to %q", loc)
			}
		}
		if got := n.count(t, "reports"); got != 2 {
			t.Errorf("%d reports, want 2 (one per resident)", got)
		}
		w = n.request("GET", "/moderation/reports", modTok, nil)
		wantBody(t, w, "Signalements ouverts : 2", "@alice", "@bruno", `action="/debates/`+d.ID+`/hide"`)
		debLacks(t, w, "/recategorise")
		wantBody(t, n.request("GET", "/moderation/reports?lang=en", modTok, nil), "Open reports: 2", "Reports to handle")

		// Hidden from the queue, the debate shows its reason instead.
		wantStatus(t, n.request("POST", "/debates/"+d.ID+"/hide", modTok, url.Values{"reason": {"Publicité"},
			"next": {"/moderation/reports#item-" + d.ID}}), http.StatusSeeOther)
		w = n.request("GET", "/debates/"+d.ID, bTok, nil)
		wantBody(t, w, "<h1>Débat masqué</h1>", "Masqué par la modération : Publicité")
		debLacks(t, w, "Un concert", "Parlons-en")
		wantBody(t, n.request("GET", "/debates/"+d.ID, modTok, nil), "Parlons-en", `href="/debates/`+d.ID+`/unhide"`)
		wantBody(t, n.request("GET", "/spaces/quartier/debates", "", nil), "Débat masqué", "Masqué par la modération : Publicité")
	})
}

// The public log comes in pages of 50, newest first.
func TestModerationLogPages(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		sp := debSpace(t, n, "quartier")
		alice, _ := propResident(t, n, "alice", false)
		d := debOpen(t, n, alice, sp, "Des fleurs ?")
		mod := accounts.As(n.staff[accounts.Moderator])
		target := moderation.Target{Kind: moderation.TargetDebate, ID: d.ID}
		for i := range 26 {
			if err := n.moderation.Hide(t.Context(), mod, target, fmt.Sprintf("Masqué n° %d", i+1)); err != nil {
				t.Fatal(err)
			}
			if err := n.moderation.Unhide(t.Context(), mod, target, fmt.Sprintf("Rétabli n° %d", i+1)); err != nil {
				t.Fatal(err)
			}
		}
		w := n.request("GET", "/moderation", "", nil)
		wantBody(t, w, "Rétabli n° 26", "Masqué n° 2<", `href="/moderation?before=`)
		debLacks(t, w, "Masqué n° 1<")
		next := regexp.MustCompile(`href="(/moderation\?before=\d+)"`).FindStringSubmatch(w.Body.String())
		w = n.request("GET", next[1], "", nil)
		wantBody(t, w, "Masqué n° 1<", "Rétabli n° 1<")
		debLacks(t, w, "Masqué n° 2<", `href="/moderation?before=`)
		wantStatus(t, n.request("GET", "/moderation?before=abc", "", nil), http.StatusOK)
	})
}
