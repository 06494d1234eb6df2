package decisions_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/decisions"
)

const self = "https://paris15.example"

func processInput(change func(*decisions.ProcessInput)) decisions.ProcessInput {
	in := decisions.ProcessInput{Input: input(decisions.Ranked, nil), Participants: []string{self, "https://paris14.example/"}}
	in.Quorum = 3
	if change != nil {
		change(&in)
	}
	return in
}

// A process is published with its participants in normal form and a
// deadline; bad ones are refused, changing nothing.
func TestCreateProcess(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		official := accounts.As(f.account(t, accounts.Official))
		p, err := f.svc.CreateProcess(f.ctx, official, self+"/", processInput(nil))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.ID, self+"/processes/") || p.Spec.VoteID != p.ID || p.Participants[1] != "https://paris14.example" ||
			!p.Deadline.Equal(p.ClosesAt.Add(time.Hour)) {
			t.Errorf("process %+v", p)
		}
		c, err := f.svc.ProcessByKey(f.ctx, strings.TrimPrefix(p.ID, self+"/processes/"))
		if err != nil || c.ProcessDigest() != p.ProcessDigest() || c.AggregatedAt != nil {
			t.Errorf("stored process: %v, %+v", err, c)
		}
		resident := accounts.As(f.resident(t))
		before := f.State(t)
		for _, tc := range []struct {
			name   string
			actor  accounts.Actor
			change func(*decisions.ProcessInput)
			want   error
		}{
			{"a resident", resident, nil, decisions.ErrForbidden},
			{"no participant", official, func(in *decisions.ProcessInput) { in.Participants = nil }, decisions.ErrParticipants},
			{"a participant twice", official, func(in *decisions.ProcessInput) { in.Participants = []string{self, self + "/"} }, decisions.ErrParticipants},
			{"a participant with a path", official, func(in *decisions.ProcessInput) { in.Participants = []string{self + "/spaces/x"} }, decisions.ErrParticipants},
			{"a participant not http", official, func(in *decisions.ProcessInput) { in.Participants = []string{"ftp://x.example"} }, decisions.ErrParticipants},
			{"a deadline before closing", official, func(in *decisions.ProcessInput) { in.Deadline = in.ClosesAt.Add(-time.Second) }, decisions.ErrDeadline},
			{"a category", official, func(in *decisions.ProcessInput) { in.Category = "voirie" }, decisions.ErrCategory},
			{"one option", official, func(in *decisions.ProcessInput) { in.Options = in.Options[:1] }, decisions.ErrOptions},
		} {
			if _, err := f.svc.CreateProcess(f.ctx, tc.actor, self, processInput(tc.change)); !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
			}
		}
		f.Unchanged(t, before, "refused processes")
	})
}

// A node joins a process that lists it, once; the vote it opens is the
// process's question; joining it again or one that does not list it is
// refused, changing nothing.
func TestJoinProcess(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		official := accounts.As(f.account(t, accounts.Official))
		p := process(t, decisions.Score)
		resident := accounts.As(f.resident(t))
		before := f.State(t)
		for _, tc := range []struct {
			name  string
			actor accounts.Actor
			self  string
			want  error
		}{
			{"not listed", official, "https://lyon.example", decisions.ErrNotParticipant},
			{"a resident", resident, nodes[0], decisions.ErrForbidden},
		} {
			if _, err := f.svc.Join(f.ctx, tc.actor, tc.self, f.spaceID, "", p); !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
			}
		}
		f.Unchanged(t, before, "refused joins")
		v, err := f.svc.Join(f.ctx, official, nodes[0], f.spaceID, "voirie", p)
		if err != nil {
			t.Fatal(err)
		}
		if v.Question != p.Question || v.Method != decisions.Score || v.ScoreMax != p.Spec.ScoreMax || !v.ClosesAt.Equal(p.ClosesAt) ||
			v.Category != "voirie" || len(v.Options) != len(p.Spec.Options) {
			t.Errorf("joined vote %+v", v)
		}
		got, joined, err := f.svc.JoinedVote(f.ctx, p.ID)
		if err != nil || got.ID != v.ID || joined.ProcessDigest() != p.ProcessDigest() {
			t.Errorf("joined vote: %v %v", got, err)
		}
		before = f.State(t)
		if _, err := f.svc.Join(f.ctx, official, nodes[0], f.spaceID, "", p); !errors.Is(err, decisions.ErrJoined) {
			t.Errorf("join twice: %v", err)
		}
		f.Unchanged(t, before, "joined twice")
		if _, _, err := f.svc.JoinedVote(f.ctx, p.ID+"x"); !errors.Is(err, decisions.ErrNotJoined) {
			t.Errorf("not joined: %v", err)
		}
	})
}

// The coordinator records parts (a counted one stays), and freezes the
// aggregate when all are counted or at the deadline, with the others
// missing.
func TestAggregateProcess(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		official := accounts.As(f.account(t, accounts.Official))
		in := processInput(func(in *decisions.ProcessInput) {
			in.Method = decisions.Approval
			in.Participants = []string{self, "https://paris14.example", "https://paris13.example"}
		})
		p, err := f.svc.CreateProcess(f.ctx, official, self, in)
		if err != nil {
			t.Fatal(err)
		}
		key := strings.TrimPrefix(p.ID, self+"/processes/")
		if _, err := f.svc.Aggregate(f.ctx, key); !errors.Is(err, decisions.ErrCollecting) {
			t.Fatalf("aggregate while open: %v", err)
		}
		if due, err := f.svc.DueProcesses(f.ctx); err != nil || len(due) != 0 {
			t.Fatalf("due while open: %v %v", due, err)
		}
		f.clock.Set(p.ClosesAt)
		if due, err := f.svc.DueProcesses(f.ctx); err != nil || len(due) != 1 || due[0].Key != key {
			t.Fatalf("due after closing: %v %v", due, err)
		}
		c := decisions.NewCounter(p.Spec)
		c.Add([]int32{0, 1}, 1, 0)
		c.Add([]int32{1}, 2, 1)
		res := c.Result()
		counted := decisions.Part{Node: self, Status: decisions.PartCounted, Document: self + "/votes/x/results.json",
			Electorate: 7, Result: &res}
		for _, part := range []decisions.Part{
			{Node: self, Status: decisions.PartMissing, Reason: "connection refused"},
			counted,
			{Node: self, Status: decisions.PartRefused, Reason: "late and wrong"}, // never replaces a counted part
			{Node: "https://paris14.example", Status: decisions.PartRefused, Reason: "signature"},
		} {
			if err := f.svc.RecordPart(f.ctx, key, part); err != nil {
				t.Fatal(err)
			}
		}
		parts, err := f.svc.Parts(f.ctx, key)
		if err != nil || parts[self].Status != decisions.PartCounted || parts["https://paris14.example"].Status != decisions.PartRefused {
			t.Fatalf("parts %+v, %v", parts, err)
		}
		if n := f.Count(t, "decision_process_parts", "node = ? AND attempts = 2", self); n != 1 {
			t.Errorf("attempts of %s: %d rows with 2", self, n)
		}
		if _, err := f.svc.Aggregate(f.ctx, key); !errors.Is(err, decisions.ErrCollecting) {
			t.Fatalf("aggregate before the deadline: %v", err)
		}
		f.clock.Set(p.Deadline)
		doc, err := f.svc.Aggregate(f.ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		a, err := decisions.ParseAggregate(strings.NewReader(string(doc)))
		if err != nil {
			t.Fatal(err)
		}
		if a.Result.Ballots != 2 || a.Result.Weight != 3 || a.Electorate != 7 || len(a.Missing) != 2 ||
			a.Parts[1].Status != decisions.PartRefused || a.Parts[2].Status != decisions.PartMissing {
			t.Errorf("aggregate %s", doc)
		}
		f.clock.Set(p.Deadline.Add(time.Hour))
		if again, err := f.svc.Aggregate(f.ctx, key); err != nil || string(again) != string(doc) {
			t.Errorf("aggregate again: %v, changed: %v", err, string(again) != string(doc))
		}
		if due, err := f.svc.DueProcesses(f.ctx); err != nil || len(due) != 0 {
			t.Errorf("due after aggregating: %v %v", due, err)
		}
	})
}

// A participating node signs its part once its vote is closed, once;
// the coordinator's checks accept it, and count what the node counted.
func TestSignedPart(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		official := accounts.As(f.account(t, accounts.Official))
		p := process(t, decisions.Ranked)
		v, err := f.svc.Join(f.ctx, official, nodes[0], f.spaceID, "", p)
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Set(v.OpensAt)
		f.cast(t, f.resident(t), v, rank("b", "a"))
		f.cast(t, f.resident(t), v, rank("c"))
		signs := 0
		sign := func(_ context.Context, msg []byte) (string, []byte, error) {
			signs++
			h := sha256.Sum256(msg)
			sig, err := rsa.SignPKCS1v15(rand.Reader, nodeKeys()[0], crypto.SHA256, h[:])
			return decisions.InstanceKeyID(nodes[0]), sig, err
		}
		if _, err := f.svc.SignedPart(f.ctx, nodes[0], p.ID, sign); !errors.Is(err, decisions.ErrStillOpen) {
			t.Fatalf("part while open: %v", err)
		}
		if _, err := f.svc.SignedPart(f.ctx, nodes[0], p.ID+"x", sign); !errors.Is(err, decisions.ErrNotJoined) {
			t.Fatalf("part of another process: %v", err)
		}
		f.clock.Set(v.ClosesAt)
		e, err := f.svc.SignedPart(f.ctx, nodes[0], p.ID, sign)
		if err != nil {
			t.Fatal(err)
		}
		again, err := f.svc.SignedPart(f.ctx, nodes[0], p.ID, sign)
		if err != nil || *again != *e || signs != 1 {
			t.Errorf("part again: %v, same %v, signed %d times", err, *again == *e, signs)
		}
		var doc bytes.Buffer
		if err := f.svc.WritePublished(f.ctx, &doc, v.ID); err != nil {
			t.Fatal(err)
		}
		src := &fakeNodes{docs: map[string][]byte{e.Document: doc.Bytes()}, keys: map[string]*rsa.PublicKey{nodes[0]: &nodeKeys()[0].PublicKey}}
		part, err := p.CheckPart(f.ctx, src, nodes[0], *e)
		if err != nil {
			t.Fatal(err)
		}
		if part.Status != decisions.PartCounted || part.Result.Ballots != 2 || part.Electorate != 2 {
			t.Errorf("part %+v", part)
		}
	})
}
