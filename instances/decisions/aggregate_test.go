package decisions_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"agora/instances/decisions"
)

const coordinator = "https://paris.example"

var nodes = []string{"https://paris15.example", "https://paris14.example", "https://paris13.example"}

// nodeKeys are the nodes' instance keys, made once.
var nodeKeys = sync.OnceValue(func() []*rsa.PrivateKey {
	keys := make([]*rsa.PrivateKey, len(nodes)+1) // the last one is nobody's
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keys[i] = k
	}
	return keys
})

// process is a process of method m coordinated by coordinator, run by
// nodes, as a node reads it.
func process(t testing.TB, m decisions.Method) *decisions.Process {
	t.Helper()
	in := input(m, nil)
	id := coordinator + "/processes/p1"
	p := decisions.Process{Format: decisions.ProcessFormat, ID: id, Coordinator: coordinator, Question: in.Question,
		Spec: decisions.Spec{VoteID: id, Method: m, Options: in.Options, ScoreMin: in.ScoreMin, ScoreMax: in.ScoreMax,
			BudgetTotal: in.BudgetTotal, Quorum: 5},
		Delegation: true, OpensAt: in.OpensAt, ClosesAt: in.ClosesAt, Deadline: in.ClosesAt.Add(day), Participants: nodes}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decisions.ParseProcess(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse process: %v", err)
	}
	return got
}

// nodeBallots are the ballots of node i, some carrying delegated weight.
type nodeBallots []decisions.PublishedBallot

// publish is node i's published document of p with its ballots.
func publish(t testing.TB, p *decisions.Process, i int, bs nodeBallots) []byte {
	t.Helper()
	spec := p.Spec
	spec.VoteID = fmt.Sprintf("local%d", i)
	doc := &decisions.Published{Format: decisions.Format, Question: p.Question, OpensAt: p.OpensAt, ClosesAt: p.ClosesAt,
		Spec: spec, Electorate: int64(10 * (i + 1)), Ballots: bs}
	res, err := decisions.Recompute(doc)
	if err != nil {
		t.Fatal(err)
	}
	doc.Result = res
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sign(t testing.TB, key *rsa.PrivateKey, p *decisions.Process, node string, doc []byte) string {
	t.Helper()
	h := sha256.Sum256(decisions.PartMessage(p.ID, p.ProcessDigest(), node, decisions.Digest(doc)))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// fakeNodes serves the nodes' documents and keys; a node it does not
// know does not answer.
type fakeNodes struct {
	docs map[string][]byte
	keys map[string]*rsa.PublicKey
}

var errNoAnswer = errors.New("connection refused")

func (f *fakeNodes) Document(_ context.Context, url string) ([]byte, error) {
	if d, ok := f.docs[url]; ok {
		return d, nil
	}
	return nil, errNoAnswer
}

func (f *fakeNodes) PublicKey(_ context.Context, node string) (*rsa.PublicKey, error) {
	if k, ok := f.keys[node]; ok {
		return k, nil
	}
	return nil, errNoAnswer
}

// network publishes the parts of the nodes that have ballots, each
// signed by its node, and returns the source and the envelopes.
func network(t testing.TB, p *decisions.Process, ballots map[int]nodeBallots) (*fakeNodes, map[string]decisions.PartEnvelope) {
	t.Helper()
	src := &fakeNodes{docs: map[string][]byte{}, keys: map[string]*rsa.PublicKey{}}
	envs := map[string]decisions.PartEnvelope{}
	for i, node := range nodes {
		src.keys[node] = &nodeKeys()[i].PublicKey
		bs, ok := ballots[i]
		if !ok {
			continue
		}
		doc := publish(t, p, i, bs)
		url := node + decisions.PartDocumentPath(fmt.Sprintf("local%d", i))
		src.docs[url] = doc
		envs[node] = decisions.PartEnvelope{Format: decisions.PartFormat, Process: p.ID, Node: node, Document: url,
			SHA256: decisions.Digest(doc), KeyID: decisions.InstanceKeyID(node), Signature: sign(t, nodeKeys()[i], p, node, doc)}
	}
	return src, envs
}

// collect checks every envelope as the coordinator does.
func collect(t testing.TB, p *decisions.Process, src decisions.PartSource, envs map[string]decisions.PartEnvelope) map[string]decisions.Part {
	t.Helper()
	parts := map[string]decisions.Part{}
	for node, e := range envs {
		part, err := p.CheckPart(context.Background(), src, node, e)
		if err != nil {
			t.Fatalf("part of %s: %v", node, err)
		}
		parts[node] = part
	}
	return parts
}

// Merging the parts' counts is counting all their ballots at once, for
// every method (random ballots, some with delegated weight); a node
// without a part is missing, never dropped; the aggregate verifies.
func TestAggregateEqualsOneCount(t *testing.T) {
	for _, m := range decisions.Methods {
		t.Run(string(m), func(t *testing.T) {
			rng := mrand.New(mrand.NewPCG(7, uint64(len(m))))
			p := process(t, m)
			for round := range 20 {
				ballots := map[int]nodeBallots{0: {}, 1: {}}
				all := decisions.NewCounter(p.Spec)
				for i := range 2 { // the third node never answers
					for j := range rng.IntN(30) {
						c := randomChoice(rng, p.Spec)
						w := int64(1)
						if rng.IntN(5) == 0 {
							w += int64(rng.IntN(4))
						}
						ballots[i] = append(ballots[i], decisions.PublishedBallot{Receipt: fmt.Sprintf("R%d-%03d", i, j), Choice: c,
							Weight: w, Delegated: w - 1})
						marks, err := p.Spec.Marks(c)
						if err != nil {
							t.Fatal(err)
						}
						all.Add(marks, w, w-1)
					}
				}
				src, envs := network(t, p, ballots)
				a, err := p.MakeAggregate(collect(t, p, src, envs), start)
				if err != nil {
					t.Fatal(err)
				}
				want := all.Result()
				if got := a.Result; !reflect.DeepEqual(json1(t, got), json1(t, want)) {
					t.Fatalf("round %d: aggregate\n%s\nwant one count of every ballot\n%s", round, json1(t, got), json1(t, want))
				}
				if !slices.Equal(a.Missing, nodes[2:]) || a.Parts[2].Status != decisions.PartMissing || a.Electorate != 10+20 {
					t.Fatalf("missing %v, parts %+v, electorate %d", a.Missing, a.Parts[2], a.Electorate)
				}
				doc, _ := json.Marshal(a)
				parsed, err := decisions.ParseAggregate(bytes.NewReader(doc))
				if err != nil {
					t.Fatalf("parse aggregate: %v", err)
				}
				if _, err := decisions.VerifyAggregate(context.Background(), parsed, src); err != nil {
					t.Fatalf("verify aggregate: %v", err)
				}
			}
		})
	}
}

func json1(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A part that fails a check is refused with the reason, and the
// aggregate lists it; each kind of bad part is caught.
func TestCheckPartRefuses(t *testing.T) {
	p := process(t, decisions.Ranked)
	ballots := map[int]nodeBallots{
		0: {{Receipt: "A1", Choice: rank("a", "b"), Weight: 1}, {Receipt: "A2", Choice: rank("b"), Weight: 3, Delegated: 2, Delegate: "marie"}},
		1: {{Receipt: "B1", Choice: rank("c", "a"), Weight: 1}},
	}
	other := process(t, decisions.Ranked)
	other.Spec.Options = slices.Clone(other.Spec.Options)
	other.Spec.Options[0].Label = "Autre chose"
	for _, tc := range []struct {
		name   string
		change func(src *fakeNodes, e *decisions.PartEnvelope)
		want   error
	}{
		{"document changed after signing", func(src *fakeNodes, e *decisions.PartEnvelope) {
			src.docs[e.Document] = bytes.Replace(src.docs[e.Document], []byte(`"ranking":["a","b"]`), []byte(`"ranking":["b","a"]`), 1)
		}, decisions.ErrPart},
		{"signed by another key", func(src *fakeNodes, e *decisions.PartEnvelope) {
			e.Signature = sign(t, nodeKeys()[3], p, e.Node, src.docs[e.Document])
		}, decisions.ErrSignature},
		{"signed by another node", func(src *fakeNodes, e *decisions.PartEnvelope) {
			e.Signature = sign(t, nodeKeys()[1], p, e.Node, src.docs[e.Document])
		}, decisions.ErrSignature},
		{"signature of another process", func(src *fakeNodes, e *decisions.PartEnvelope) {
			p2 := *p
			p2.ID = coordinator + "/processes/p2"
			e.Signature = sign(t, nodeKeys()[0], &p2, e.Node, src.docs[e.Document])
		}, decisions.ErrSignature},
		{"signature of the process with other participants", func(src *fakeNodes, e *decisions.PartEnvelope) {
			p2 := *p
			p2.Participants = nodes[:2]
			e.Signature = sign(t, nodeKeys()[0], &p2, e.Node, src.docs[e.Document])
		}, decisions.ErrSignature},
		{"signature not base64", func(src *fakeNodes, e *decisions.PartEnvelope) { e.Signature = "%%" }, decisions.ErrSignature},
		{"a result its ballots do not give, signed", func(src *fakeNodes, e *decisions.PartEnvelope) {
			doc := bytes.Replace(src.docs[e.Document], []byte(`"ballots":2`), []byte(`"ballots":3`), 1)
			src.docs[e.Document], e.SHA256, e.Signature = doc, decisions.Digest(doc), sign(t, nodeKeys()[0], p, e.Node, doc)
		}, decisions.ErrPart},
		{"another question, signed", func(src *fakeNodes, e *decisions.PartEnvelope) {
			doc := publish(t, other, 0, ballots[0])
			src.docs[e.Document], e.SHA256, e.Signature = doc, decisions.Digest(doc), sign(t, nodeKeys()[0], p, e.Node, doc)
		}, decisions.ErrPart},
		{"weights that wrap around, signed", func(src *fakeNodes, e *decisions.PartEnvelope) {
			huge := nodeBallots{{Receipt: "A1", Choice: rank("a"), Weight: 1 << 62, Delegated: 1<<62 - 1},
				{Receipt: "A2", Choice: rank("b"), Weight: 1 << 62, Delegated: 1<<62 - 1}}
			doc := publish(t, p, 0, huge)
			src.docs[e.Document], e.SHA256, e.Signature = doc, decisions.Digest(doc), sign(t, nodeKeys()[0], p, e.Node, doc)
		}, decisions.ErrPart},
		{"names another node", func(src *fakeNodes, e *decisions.PartEnvelope) { e.Node = nodes[1] }, decisions.ErrPart},
		{"names another process", func(src *fakeNodes, e *decisions.PartEnvelope) { e.Process = coordinator + "/processes/p2" }, decisions.ErrPart},
		{"document elsewhere", func(src *fakeNodes, e *decisions.PartEnvelope) {
			url := "https://evil.example/doc.json"
			src.docs[url], e.Document = src.docs[e.Document], url
		}, decisions.ErrPart},
		{"not the instance key", func(src *fakeNodes, e *decisions.PartEnvelope) { e.KeyID = nodes[0] + "/people/x#main-key" }, decisions.ErrPart},
		{"no answer for the document", func(src *fakeNodes, e *decisions.PartEnvelope) { delete(src.docs, e.Document) }, errNoAnswer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, envs := network(t, p, ballots)
			e := envs[nodes[0]]
			tc.change(src, &e)
			_, err := p.CheckPart(context.Background(), src, nodes[0], e)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			// The coordinator records it refused; the aggregate shows it
			// and counts only the good part.
			parts := collect(t, p, src, map[string]decisions.PartEnvelope{nodes[1]: envs[nodes[1]]})
			parts[nodes[0]] = decisions.Part{Node: nodes[0], Status: decisions.PartRefused, Reason: err.Error()}
			a, err := p.MakeAggregate(parts, start)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(a.Missing, []string{nodes[0], nodes[2]}) || a.Parts[0].Status != decisions.PartRefused ||
				a.Parts[0].Reason == "" || a.Result.Ballots != 1 {
				t.Errorf("aggregate: missing %v, part %+v, %d ballots", a.Missing, a.Parts[0], a.Result.Ballots)
			}
		})
	}
}

// verify refuses an aggregate that is not what its parts give, or whose
// parts cannot be had or checked again.
func TestVerifyAggregateRefuses(t *testing.T) {
	p := process(t, decisions.Approval)
	ballots := map[int]nodeBallots{
		0: {{Receipt: "A1", Choice: opts("a", "b"), Weight: 1}, {Receipt: "A2", Choice: opts("b"), Weight: 1}},
		1: {{Receipt: "B1", Choice: opts("c"), Weight: 2, Delegated: 1, Delegate: "marie"}},
	}
	for _, tc := range []struct {
		name   string
		change func(src *fakeNodes, doc string) string
		want   string
	}{
		{"as made", func(_ *fakeNodes, doc string) string { return doc }, ""},
		{"a total changed", func(_ *fakeNodes, doc string) string {
			return strings.Replace(doc, `"result":{"method":"approval","ballots":3`, `"result":{"method":"approval","ballots":4`, 1)
		}, "not what its parts give"},
		{"a part's count changed", func(_ *fakeNodes, doc string) string {
			return strings.Replace(doc, `"electorate":20`, `"electorate":21`, 1)
		}, "not the one the node published"},
		{"a missing node claimed counted", func(src *fakeNodes, doc string) string {
			var a decisions.Aggregate
			json.Unmarshal([]byte(doc), &a)
			a.Parts[2] = a.Parts[1]
			a.Parts[2].Node = nodes[2]
			a.Missing = []string{}
			b, _ := json.Marshal(a)
			return string(b)
		}, "part of " + nodes[2]},
		{"a missing node dropped", func(src *fakeNodes, doc string) string {
			var a decisions.Aggregate
			json.Unmarshal([]byte(doc), &a)
			a.Parts = a.Parts[:2]
			a.Process.Participants = a.Process.Participants[:2]
			a.Missing = []string{}
			b, _ := json.Marshal(a)
			return string(b)
		}, "signature"}, // the nodes signed the process with its three participants
		{"a part no longer served", func(src *fakeNodes, doc string) string {
			clear(src.docs)
			return doc
		}, errNoAnswer.Error()},
		{"a part replaced on its node", func(src *fakeNodes, doc string) string {
			for u, d := range src.docs {
				src.docs[u] = bytes.Replace(d, []byte(`"options":["c"]`), []byte(`"options":["a"]`), 1)
			}
			return doc
		}, "digest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, envs := network(t, p, ballots)
			a, err := p.MakeAggregate(collect(t, p, src, envs), start)
			if err != nil {
				t.Fatal(err)
			}
			doc := tc.change(src, json1(t, a))
			parsed, err := decisions.ParseAggregate(strings.NewReader(doc))
			if err == nil {
				_, err = decisions.VerifyAggregate(context.Background(), parsed, src)
			}
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}
