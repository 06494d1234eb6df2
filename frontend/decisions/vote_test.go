package decisions_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"agora/frontend"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/storage/storagetest"
)

// node is a whole node with the decisions service, and one open vote of
// the method in a space.
type node struct {
	*frontendtest.Node
	svc     *decisions.Service
	spaceID string
}

func newNode(t testing.TB, dialect string) *node {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	var svc *decisions.Service
	n := frontendtest.NewNodeOn(t, db, func(d *frontend.Deps) {
		svc = decisions.NewService(db, d.Accounts, d.Spaces, d.Now)
		d.Decisions = svc
	})
	return &node{Node: n, svc: svc}
}

func (n *node) vote(t testing.TB, m decisions.Method) *decisions.Vote {
	t.Helper()
	if n.spaceID == "" {
		n.spaceID = n.Space(t, "conseil", 0).ID
	}
	now := n.Clock.Now()
	in := decisions.Input{Question: "Quel nom pour la place ?", Method: m, Delegation: true,
		Options: []decisions.Option{{Key: "olympe", Label: "Olympe de Gouges"}, {Key: "louise", Label: "Louise Michel"},
			{Key: "simone", Label: "Simone Veil"}},
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour)}
	if m == decisions.Score {
		in.ScoreMin, in.ScoreMax = 0, 5
	}
	v, err := n.svc.Create(t.Context(), accounts.As(n.Staff[accounts.Official]), n.spaceID, in)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var receiptRE = regexp.MustCompile(`id="receipt">([0-9A-Z-]+)<`)

// A resident votes, sees the receipt once, changes the vote; after the
// closing the results page draws bars with a table, and the published
// ballots verify.
func TestVoteChangeAndResults(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			n := newNode(t, dialect)
			v := n.vote(t, decisions.Single)
			_, ann := n.Resident(t, "ann", true)
			_, bob := n.Resident(t, "bob", true)
			_, eve := n.Resident(t, "eve", false)

			w := n.Request("GET", "/votes/"+v.ID, ann, nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, "Quel nom pour la place ?", `name="option" value="olympe"`, "Voter")

			w = n.Request("POST", "/votes/"+v.ID+"/ballot", ann, url.Values{"option": {"louise"}})
			frontendtest.WantStatus(t, w, http.StatusOK)
			first := receiptRE.FindStringSubmatch(w.Body.String())
			if first == nil {
				t.Fatalf("no receipt on the page:\n%s", w.Body)
			}
			if w.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("the receipt page may be stored: %q", w.Header().Get("Cache-Control"))
			}
			// The receipt is not shown again.
			w = n.Request("GET", "/votes/"+v.ID, ann, nil)
			frontendtest.WantBody(t, w, "Vous avez voté en ligne", "Changer mon vote")
			if strings.Contains(w.Body.String(), first[1]) {
				t.Error("the vote page shows the receipt again")
			}
			w = n.Request("POST", "/votes/"+v.ID+"/ballot", ann, url.Values{"option": {"olympe"}})
			frontendtest.WantBody(t, w, "il remplace le précédent")
			n.Request("POST", "/votes/"+v.ID+"/ballot", bob, url.Values{"option": {"olympe"}})

			// Refused: unverified, empty, unknown option; nothing is recorded.
			before := n.Count(t, "decision_ballots")
			for _, tc := range []struct {
				token string
				form  url.Values
				code  int
				want  string
			}{
				{eve, url.Values{"option": {"olympe"}}, http.StatusForbidden, "résidence est vérifiée"},
				{bob, url.Values{}, http.StatusBadRequest, "Choisissez au moins une réponse"},
				{bob, url.Values{"option": {"nobody"}}, http.StatusBadRequest, "ne fait pas partie du vote"},
			} {
				w := n.Request("POST", "/votes/"+v.ID+"/ballot", tc.token, tc.form)
				frontendtest.WantStatus(t, w, tc.code)
				frontendtest.WantBody(t, w, tc.want)
			}
			if after := n.Count(t, "decision_ballots"); after != before {
				t.Errorf("%d ballots after refusals, want %d", after, before)
			}
			frontendtest.WantStatus(t, n.Request("GET", "/votes/"+v.ID+"/results.json", "", nil), http.StatusNotFound)

			n.Clock.Set(v.ClosesAt)
			if _, err := n.svc.CloseDue(t.Context()); err != nil {
				t.Fatal(err)
			}
			w = n.Request("GET", "/votes/"+v.ID+"?lang=en", "", nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, "<svg", `<rect x="0"`, "Votes per answer", "First: Olympe de Gouges", "Votes counted: 2 of 2 verified residents (100.0 %)")
			w = n.Request("GET", "/votes/"+v.ID+"/results.json", "", nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			p, err := decisions.Verify(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if len(p.Ballots) != 2 || strings.Contains(w.Body.String(), first[1]) {
				t.Errorf("published %d ballots, or the replaced receipt: %s", len(p.Ballots), w.Body)
			}
			w = n.Request("GET", "/votes", "", nil)
			frontendtest.WantBody(t, w, "Votes clos", "/votes/"+v.ID)
		})
	}
}

// A ranked ballot from the form: ranks become the order; two options
// with the same rank are refused.
func TestRankedForm(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			n := newNode(t, dialect)
			v := n.vote(t, decisions.Ranked)
			_, ann := n.Resident(t, "ann", true)
			w := n.Request("POST", "/votes/"+v.ID+"/ballot", ann, url.Values{"rank_olympe": {"1"}, "rank_simone": {"1"}})
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			frontendtest.WantBody(t, w, "même rang")
			w = n.Request("POST", "/votes/"+v.ID+"/ballot", ann, url.Values{"rank_olympe": {"2"}, "rank_simone": {"1"}, "rank_louise": {""}})
			frontendtest.WantStatus(t, w, http.StatusOK)
			n.Clock.Set(v.ClosesAt)
			if _, err := n.svc.CloseDue(t.Context()); err != nil {
				t.Fatal(err)
			}
			w = n.Request("GET", "/votes/"+v.ID, "", nil)
			frontendtest.WantBody(t, w, "En tête : Simone Veil", "Duels")
		})
	}
}

// A delegate sees how many votes are entrusted to them, and the names of
// those who chose to be named.
func TestDelegateSeesCarriedWeight(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			n := newNode(t, dialect)
			v := n.vote(t, decisions.Approval)
			d, token := n.Resident(t, "thanh", true)
			ann, _ := n.Resident(t, "ann", true)
			bob, _ := n.Resident(t, "bob", true)
			if err := n.svc.Agree(t.Context(), accounts.As(d)); err != nil {
				t.Fatal(err)
			}
			for _, x := range []struct {
				who   *accounts.Account
				named bool
			}{{ann, true}, {bob, false}} {
				if err := n.svc.Delegate(t.Context(), accounts.As(x.who), decisions.Scope{}, d.ID, x.named); err != nil {
					t.Fatal(err)
				}
			}
			w := n.Request("GET", "/votes/"+v.ID, token, nil)
			frontendtest.WantBody(t, w, "pour 2 personnes", "ont choisi d’être nommées : ann")
			if strings.Contains(w.Body.String(), ">bob<") || strings.Contains(w.Body.String(), " bob") {
				t.Error("a delegator who did not choose to be named is named")
			}
		})
	}
}
