package decisions_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"agora/instances/decisions"
)

// The documents another node sends (a process, a part envelope, an
// aggregate) are parsed as hostile: whatever the bytes, parsing returns
// an error or a document whose checks hold, never panics; an aggregate
// that parses verifies or fails cleanly against nodes that answer
// nothing.
func FuzzParseCoordination(f *testing.F) {
	p := process(f, decisions.Ranked)
	pb, _ := json.Marshal(p)
	src, envs := network(f, p, map[int]nodeBallots{0: {{Receipt: "A1", Choice: rank("a", "b"), Weight: 1}}})
	eb, _ := json.Marshal(envs[nodes[0]])
	parts := map[string]decisions.Part{}
	for node, e := range envs {
		part, err := p.CheckPart(context.Background(), src, node, e)
		if err != nil {
			f.Fatal(err)
		}
		parts[node] = part
	}
	a, err := p.MakeAggregate(parts, start)
	if err != nil {
		f.Fatal(err)
	}
	ab, _ := json.Marshal(a)
	for _, seed := range [][]byte{pb, eb, ab, []byte(`{}`), []byte(`{"format":"agora-aggregate/1","parts":[{"result":{"pairwise":[[1e30]]}}]}`)} {
		f.Add(seed)
	}
	none := &fakeNodes{}
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := decisions.ParseProcess(bytes.NewReader(b)); err == nil && len(p.Participants) == 0 {
			t.Fatalf("process without participants: %s", b)
		}
		decisions.ParseEnvelope(bytes.NewReader(b))
		a, err := decisions.ParseAggregate(bytes.NewReader(b))
		if err != nil {
			return
		}
		if len(a.Parts) != len(a.Process.Participants) {
			t.Fatalf("%d parts for %d nodes", len(a.Parts), len(a.Process.Participants))
		}
		if _, err := decisions.VerifyAggregate(context.Background(), a, none); err == nil {
			for _, part := range a.Parts {
				if part.Status == decisions.PartCounted {
					t.Fatalf("a counted part verified with no node answering: %s", b)
				}
			}
		}
	})
}
