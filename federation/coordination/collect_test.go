package coordination

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/instancestest"
	"agora/instances/markup"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

// fakeNode is a participating node on loopback: it serves its instance
// actor and, when it has one, its part (whatever answer says).
type fakeNode struct {
	srv    *httptest.Server
	key    *rsa.PrivateKey
	answer func(w http.ResponseWriter, r *http.Request, self string)
}

func newFakeNode(t *testing.T, key *rsa.PrivateKey) *fakeNode {
	n := &fakeNode{key: key}
	n.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		self := n.srv.URL
		if r.URL.Path == "/actor" {
			der, _ := x509.MarshalPKIXPublicKey(&n.key.PublicKey)
			w.Header().Set("Content-Type", "application/activity+json")
			json.NewEncoder(w).Encode(map[string]any{"id": self + "/actor", "publicKey": map[string]string{
				"id": self + "/actor#main-key", "owner": self + "/actor",
				"publicKeyPem": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}})
			return
		}
		n.answer(w, r, self)
	}))
	t.Cleanup(n.srv.Close)
	return n
}

// servePart answers with a part of p whose document is doc, signed by
// signer.
func (n *fakeNode) servePart(p *decisions.Process, doc []byte, signer *rsa.PrivateKey) {
	n.answer = func(w http.ResponseWriter, r *http.Request, self string) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/votes/v/results.json" {
			w.Write(doc)
			return
		}
		sum := decisions.Digest(doc)
		h := sha256.Sum256(decisions.PartMessage(p.ID, p.ProcessDigest(), self, sum))
		sig, _ := rsa.SignPKCS1v15(rand.Reader, signer, crypto.SHA256, h[:])
		json.NewEncoder(w).Encode(decisions.PartEnvelope{Format: decisions.PartFormat, Process: r.URL.Query().Get("process"),
			Node: self, Document: self + "/votes/v/results.json", SHA256: sum, KeyID: self + "/actor#main-key",
			Signature: base64.StdEncoding.EncodeToString(sig)})
	}
}

// published is a node's document of p with one ballot per ranking.
func published(t *testing.T, p *decisions.Process, rankings ...[]string) []byte {
	t.Helper()
	spec := p.Spec
	spec.VoteID = "v"
	doc := &decisions.Published{Format: decisions.Format, Question: p.Question, OpensAt: p.OpensAt, ClosesAt: p.ClosesAt,
		Spec: spec, Electorate: 9}
	for i, r := range rankings {
		doc.Ballots = append(doc.Ballots, decisions.PublishedBallot{Receipt: string(rune('A' + i)), Choice: decisions.Choice{Ranking: r}, Weight: 1})
	}
	res, err := decisions.Recompute(doc)
	if err != nil {
		t.Fatal(err)
	}
	doc.Result = res
	b, _ := json.Marshal(doc)
	return b
}

// The coordinator collects on SQLite and PostgreSQL: a good part is
// counted, a part signed by another key refused, a node answering 503
// missing; at the deadline the aggregate lists both, and verifies.
func TestCollect(t *testing.T) {
	keys := make([]*rsa.PrivateKey, 2)
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
	}
	start := instancestest.Start
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		db := storagetest.MigratedDB(t, dialect)
		clock := storagetest.NewClock(start)
		acc := accounts.NewService(db, clock.Now)
		svc := decisions.NewService(db, acc, spaces.NewService(db, markup.New(), clock.Now), clock.Now)
		good, forged, down := newFakeNode(t, keys[0]), newFakeNode(t, keys[0]), newFakeNode(t, keys[0])
		down.answer = func(w http.ResponseWriter, r *http.Request, _ string) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
		forged.answer = down.answer
		good.answer = down.answer
		official := accounts.As(instancestest.Account(t, acc, "officielle", accounts.Official))
		p, err := svc.CreateProcess(t.Context(), official, "https://paris.example", decisions.ProcessInput{
			Input: decisions.Input{Question: "Quel nom ?", Method: decisions.Ranked,
				Options: []decisions.Option{{Key: "a", Label: "Olympe"}, {Key: "b", Label: "Louise"}},
				OpensAt: start.Add(time.Hour), ClosesAt: start.Add(2 * time.Hour)},
			Participants: []string{good.srv.URL, forged.srv.URL, down.srv.URL}})
		if err != nil {
			t.Fatal(err)
		}
		key := strings.TrimPrefix(p.ID, "https://paris.example/processes/")
		good.servePart(p, published(t, p, []string{"a", "b"}, []string{"b"}), keys[0])
		forged.servePart(p, published(t, p, []string{"a"}), keys[1])
		co, err := New(Config{BaseURL: "https://paris.example", AllowPrivate: true}, svc, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if made, err := co.Collect(t.Context()); err != nil || made != 0 || storagetest.Count(t, db, "decision_process_parts", "1=1") != 0 {
			t.Fatalf("collect while open: %d %v", made, err)
		}
		clock.Set(p.ClosesAt)
		if made, err := co.Collect(t.Context()); err != nil || made != 0 {
			t.Fatalf("collect before the deadline: %d %v", made, err)
		}
		parts, err := svc.Parts(t.Context(), key)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{good.srv.URL: decisions.PartCounted, forged.srv.URL: decisions.PartRefused, down.srv.URL: decisions.PartMissing}
		for node, status := range want {
			if parts[node].Status != status {
				t.Errorf("part of %s: %+v, want %s", node, parts[node], status)
			}
		}
		clock.Set(p.Deadline)
		if made, err := co.Collect(t.Context()); err != nil || made != 1 {
			t.Fatalf("collect at the deadline: %d %v", made, err)
		}
		c, err := svc.ProcessByKey(t.Context(), key)
		if err != nil || c.AggregatedAt == nil {
			t.Fatalf("process after the deadline: %+v %v", c, err)
		}
		a, err := decisions.ParseAggregate(strings.NewReader(string(c.Aggregate)))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Missing, []string{forged.srv.URL, down.srv.URL}) || a.Result.Ballots != 2 || a.Electorate != 9 ||
			!strings.Contains(a.Parts[1].Reason, "signature") || !strings.Contains(a.Parts[2].Reason, "503") {
			t.Errorf("aggregate %s", c.Aggregate)
		}
		if _, err := decisions.VerifyAggregate(t.Context(), a, NewSource("test", true)); err != nil {
			t.Errorf("verify: %v", err)
		}
		// The coordinator serves the process and its aggregate.
		h := co.Handler(http.NotFoundHandler())
		for path, want := range map[string]string{"/processes/" + key: `"format":"agora-process/1"`,
			"/processes/" + key + "/aggregate.json": `"format":"agora-aggregate/1"`, "/processes/nope": "no such process"} {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequestWithContext(context.Background(), "GET", path, nil))
			if !strings.Contains(w.Body.String(), want) {
				t.Errorf("GET %s: %d %s", path, w.Code, w.Body)
			}
		}
	})
}
