package debates_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/debates"
)

// queryCounter counts the queries a database runs.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n.Add(1)
	return ctx
}

func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

// shape renders a thread as "a(b c(d)) e" with each node's body, and
// checks each node's level.
func shape(t *testing.T, nodes []*debates.Node, level int) string {
	t.Helper()
	var parts []string
	for _, n := range nodes {
		if n.Level != level {
			t.Errorf("%q at level %d, want %d", n.Body, n.Level, level)
		}
		s := n.Body
		if len(n.Replies) > 0 {
			s += "(" + shape(t, n.Replies, level+1) + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestThread(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		carol := f.account(t, "carol")
		as := accounts.As(f.alice)
		// a, b, c at the top; a has replies a1 (with a chain below it)
		// and a2; b has b1.
		byBody := map[string]*debates.Comment{}
		add := func(body, parent string) {
			parentID := ""
			if parent != "" {
				parentID = byBody[parent].ID
			}
			byBody[body] = f.comment(t, as, f.proposal, parentID, body)
		}
		add("a", "")
		add("b", "")
		add("c", "")
		add("a1", "a")
		add("a1x", "a1")
		add("a1xy", "a1x")
		add("a2", "a")
		add("b1", "b")
		for body, supporters := range map[string][]*accounts.Account{"b": {bob, carol}, "c": {bob}, "a2": {carol}} {
			for _, s := range supporters {
				wantErr(t, f.svc.Support(f.ctx, accounts.As(s), byBody[body].ID), nil, "support "+body)
			}
		}
		if byBody["a1xy"].Depth != 3 {
			t.Errorf("a1xy depth = %d", byBody["a1xy"].Depth)
		}
		// Another thread, which must not show.
		f.comment(t, as, debates.Target{Kind: debates.TargetProposal, ID: f.newProposal(t, f.space, bob.ID)}, "", "elsewhere")

		tests := []struct {
			sort     debates.Sort
			maxDepth int
			want     string
		}{
			{debates.SortOldest, 0, "a(a1(a1x(a1xy)) a2) b(b1) c"},
			{"", 0, "a(a1(a1x(a1xy)) a2) b(b1) c"},
			{debates.SortNewest, 0, "c b(b1) a(a2 a1(a1x(a1xy)))"},
			{debates.SortSupported, 0, "b(b1) c a(a2 a1(a1x(a1xy)))"},
			{debates.SortOldest, 3, "a(a1(a1x a1xy) a2) b(b1) c"},
			{debates.SortOldest, 2, "a(a1 a1x a1xy a2) b(b1) c"},
			{debates.SortNewest, 2, "c b(b1) a(a2 a1 a1x a1xy)"},
			{debates.SortSupported, 2, "b(b1) c a(a2 a1 a1x a1xy)"},
			{debates.SortOldest, 1, "a a1 a1x a1xy a2 b b1 c"},
			{debates.SortNewest, 1, "c b b1 a a2 a1 a1x a1xy"},
			{debates.SortOldest, 10, "a(a1(a1x(a1xy)) a2) b(b1) c"},
		}
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/%d", tt.sort, tt.maxDepth), func(t *testing.T) {
				nodes, err := f.svc.Thread(f.ctx, f.proposal, debates.ThreadOptions{Sort: tt.sort, MaxDepth: tt.maxDepth})
				wantErr(t, err, nil, "thread")
				if got := shape(t, nodes, 0); got != tt.want {
					t.Errorf("thread = %s, want %s", got, tt.want)
				}
			})
		}

		nodes, err := f.svc.Thread(f.ctx, f.proposal, debates.ThreadOptions{MaxDepth: 2})
		wantErr(t, err, nil, "thread")
		flat := nodes[0].Replies[1] // a1x, shown at level 1
		if flat.Body != "a1x" || flat.Depth != 2 || flat.Level != 1 || flat.ParentID != byBody["a1"].ID {
			t.Errorf("flattened node = %+v", flat)
		}
		if nodes[0].Author == nil || nodes[0].Author.Handle != "alice" {
			t.Errorf("author not loaded: %+v", nodes[0].Author)
		}
		if nodes[1].SupportCount != 2 {
			t.Errorf("b support count = %d", nodes[1].SupportCount)
		}

		_, err = f.svc.Thread(f.ctx, f.proposal, debates.ThreadOptions{Sort: "random"})
		wantErr(t, err, debates.ErrSort, "unknown sort")
		_, err = f.svc.Thread(f.ctx, debates.Target{Kind: "space", ID: f.space}, debates.ThreadOptions{})
		wantErr(t, err, debates.ErrTarget, "unknown target kind")
		empty, err := f.svc.Thread(f.ctx, debates.Target{Kind: debates.TargetDebate, ID: "none"}, debates.ThreadOptions{})
		if err != nil || len(empty) != 0 {
			t.Errorf("empty thread = %v, %v", empty, err)
		}
	})
}

func TestThreadHiddenDeletedRemote(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		as := accounts.As(f.alice)
		hidden := f.comment(t, as, f.proposal, "", "rude")
		f.comment(t, as, f.proposal, hidden.ID, "reply to rude")
		deleted := f.comment(t, as, f.proposal, "", "regretted")
		f.comment(t, as, f.proposal, deleted.ID, "reply to regretted")
		f.clock.Advance(time.Second)
		_, err := f.svc.AddRemote(f.ctx, debates.RemoteComment{APID: "https://social.example/n/1", Actor: "https://social.example/u/zoe",
			Name: "Zoé", ParentID: deleted.ID, Content: "<p>remote</p>"})
		wantErr(t, err, nil, "remote reply")
		f.hide(t, "comments", hidden.ID)
		wantErr(t, f.svc.Delete(f.ctx, as, deleted.ID), nil, "delete")

		nodes, err := f.svc.Thread(f.ctx, f.proposal, debates.ThreadOptions{})
		wantErr(t, err, nil, "thread")
		if got := shape(t, nodes, 0); got != "(reply to rude) (reply to regretted <p>remote</p>)" {
			t.Errorf("thread = %s", got)
		}
		h := nodes[0]
		if !h.Hidden() || h.HiddenReason != "spam" || h.BodyHTML != "" {
			t.Errorf("hidden node = %+v", h.Comment)
		}
		if !nodes[1].Deleted() {
			t.Errorf("deleted node = %+v", nodes[1].Comment)
		}
		r := nodes[1].Replies[1]
		if !r.Remote() || r.Author != nil || r.RemoteName != "Zoé" || r.RemoteActor != "https://social.example/u/zoe" {
			t.Errorf("remote node = %+v", r.Comment)
		}
	})
}

func TestThreadIsOneQuery(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		parents := []string{""}
		for i := range 60 {
			c := f.comment(t, accounts.As(f.alice), f.proposal, parents[i%len(parents)], fmt.Sprintf("c%d", i))
			parents = append(parents, c.ID)
		}
		counter := &queryCounter{}
		f.db.AddQueryHook(counter)
		nodes, err := f.svc.Thread(f.ctx, f.proposal, debates.ThreadOptions{Sort: debates.SortSupported, MaxDepth: 4})
		wantErr(t, err, nil, "thread")
		if n := counter.n.Load(); n != 1 {
			t.Errorf("thread of 60 comments took %d queries, want 1", n)
		}
		total := 0
		var walk func([]*debates.Node)
		walk = func(ns []*debates.Node) {
			for _, n := range ns {
				total++
				if n.Level > 3 || (n.Level < 3 && n.Level != n.Depth) {
					t.Errorf("%s: level %d depth %d", n.Body, n.Level, n.Depth)
				}
				walk(n.Replies)
			}
		}
		walk(nodes)
		if total != 60 {
			t.Errorf("thread shows %d comments, want 60", total)
		}
	})
}

// TestThreadVersionMovesOnEveryChange checks that each kind of change to
// a thread, by the service or by a plain UPDATE as moderation does,
// moves its version, and only its own.
func TestThreadVersionMovesOnEveryChange(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		as := accounts.As(f.alice)
		other := debates.Target{Kind: debates.TargetDebate, ID: f.debate(t).ID}
		version := func(target debates.Target) int64 {
			v, err := f.svc.ThreadVersion(f.ctx, target)
			wantErr(t, err, nil, "thread version")
			return v
		}
		if v := version(f.proposal); v != 0 {
			t.Fatalf("empty thread at version %d, want 0", v)
		}
		var c, reply *debates.Comment
		acts := []struct {
			name string
			do   func() error
		}{
			{"add", func() error { c = f.comment(t, as, f.proposal, "", "first"); return nil }},
			{"reply", func() error { reply = f.comment(t, as, f.proposal, c.ID, "second"); return nil }},
			{"edit", func() error { _, err := f.svc.Edit(f.ctx, as, c.ID, "first, edited"); return err }},
			{"support", func() error { return f.svc.Support(f.ctx, accounts.As(bob), c.ID) }},
			{"withdraw support", func() error { return f.svc.Withdraw(f.ctx, accounts.As(bob), c.ID) }},
			{"hide", func() error { f.hide(t, "comments", reply.ID); return nil }},
			{"remote reply", func() error {
				_, err := f.svc.AddRemote(f.ctx, debates.RemoteComment{APID: "https://social.example/n/9",
					Actor: "https://social.example/u/zoe", ParentID: c.ID, Content: "<p>hi</p>"})
				return err
			}},
			{"remote edit", func() error {
				_, err := f.svc.EditRemote(f.ctx, "https://social.example/n/9", "https://social.example/u/zoe", "<p>hello</p>")
				return err
			}},
			{"remote delete", func() error {
				return f.svc.DeleteRemote(f.ctx, "https://social.example/n/9", "https://social.example/u/zoe")
			}},
			{"delete", func() error { return f.svc.Delete(f.ctx, as, c.ID) }},
		}
		last := version(f.proposal)
		for _, a := range acts {
			f.clock.Advance(time.Second)
			if err := a.do(); err != nil {
				t.Fatalf("%s: %v", a.name, err)
			}
			if v := version(f.proposal); v <= last {
				t.Errorf("%s: version %d, was %d", a.name, v, last)
			} else {
				last = v
			}
		}
		if v := version(other); v != 0 {
			t.Errorf("another target's thread moved to version %d", v)
		}
	})
}
