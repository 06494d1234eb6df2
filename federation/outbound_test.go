package federation

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"agora/federation/as2"
	"agora/federation/fetch"
	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/debates"
	"agora/instances/outbox"
	"agora/instances/projects"
	"agora/storage/database"
)

// followGroup makes ada of r follow the node's space and waits for the
// Accept.
func (n *node) followGroup(t *testing.T, r *remote) {
	t.Helper()
	n.idle(t) // what the setup made is out (to nobody)
	follow := activity("Follow", r.base+"/follows/group", r.actor("ada"), n.groupIRI())
	if got := n.accepted(t, r, follow); got != "followed "+n.groupIRI() {
		t.Fatalf("follow: outcome %q", got)
	}
	r.waitFor(t, "Accept/Follow")
}

// A new proposal in a space with a remote follower reaches it as the
// Group's Announce{Create{Page}} (FEP-1b12) and Announce{Page} (which
// Mastodon shows), signed by the Group, at the follower's shared inbox.
func TestOutboundNewProposal(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		n.followGroup(t, r)
		group := n.groupIRI()

		p := n.newProposal(t, "Un potager partagé rue Lecourbe")
		page := n.base + "/proposals/" + p.ID
		announceCreate := r.waitMatch(t, "Announce/Create/Page", func(d *delivery) bool { return nested(d.doc["object"].(map[string]any)) == page })
		announcePage := r.waitMatch(t, "Announce/Page", func(d *delivery) bool { return nested(d.doc) == page })
		for _, d := range []*delivery{announceCreate, announcePage} {
			if signer := n.verify(t, d); signer != group {
				t.Errorf("%s signed by %s, want the Group", d.typ(), signer)
			}
			if d.req.URL.Path != "/inbox" {
				t.Errorf("%s delivered to %s, want the shared inbox", d.typ(), d.req.URL.Path)
			}
		}
		create := announceCreate.doc["object"].(map[string]any)
		object := create["object"].(map[string]any)
		if create["actor"] != n.base+"/people/jeanne" || object["id"] != page || object["attributedTo"] != n.base+"/people/jeanne" ||
			object["audience"] != group || object[as2.TermState] != "published" || object["name"] != "Un potager partagé rue Lecourbe" {
			t.Errorf("Announce{Create{Page}}: %s", announceCreate.body)
		}
		if bare := announcePage.doc["object"].(map[string]any); bare["id"] != page {
			t.Errorf("Announce{Page}: %s", announcePage.body)
		}
		n.idle(t)
		count := 0
		for _, d := range r.received() {
			if o, _ := d.doc["object"].(map[string]any); o != nil && (o["id"] == page || nested(o) == page) {
				count++
			}
		}
		if count != 2 {
			t.Errorf("%d deliveries about the proposal, want 2", count)
		}
	})
}

// nested is the id of the object inside an inline activity.
func nested(o map[string]any) string {
	inner, _ := o["object"].(map[string]any)
	id, _ := inner["id"].(string)
	return id
}

// A burst of supports goes out as one Update, rendered when it runs, so
// with every support counted; a support is never sent as anything else.
func TestOutboundCoalescesUpdates(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		// The window is longer than the burst and one dispatch round (1 s)
		// together, so that every support lands in it.
		n := newNode(t, dialect, func(c *Config) { c.CoalesceUpdates = 2 * time.Second })
		r := newRemote(t, "127.0.0.2")
		n.followGroup(t, r)
		before := len(r.received())

		for i := range 5 {
			a := n.resident(t, fmt.Sprintf("soutien%d", i), false)
			if err := n.proposals.Support(n.ctx, accounts.As(a), n.proposal.ID); err != nil {
				t.Fatal(err)
			}
		}
		n.idle(t)
		var updates []*delivery
		for _, d := range r.received()[before:] {
			if d.typ() == "Announce/Update/Page" {
				updates = append(updates, d)
			} else {
				t.Errorf("a support sent %s", d.typ())
			}
		}
		if len(updates) != 1 {
			t.Fatalf("%d updates for 5 supports, want 1", len(updates))
		}
		n.verify(t, updates[0])
		page := updates[0].doc["object"].(map[string]any)["object"].(map[string]any)
		if page["id"] != n.proposalIRI() || page[as2.TermSupports] != 5.0 {
			t.Errorf("update: %s", updates[0].body)
		}
	})
}

// deliveryJob is what River holds of a delivery.
type deliveryJob struct {
	state   string
	attempt int
}

// deliveries lists the delivery jobs to an inbox.
func (n *node) deliveries(t *testing.T, inbox string) []deliveryJob {
	t.Helper()
	var rows []struct {
		State   string `bun:"state"`
		Attempt int    `bun:"attempt"`
		Args    string `bun:"args"`
	}
	args := "json(args) AS args" // River keeps SQLite's binary JSONB
	if database.IsPostgres(n.db) {
		args = "args::text AS args"
	}
	if err := n.db.NewSelect().Table("river_job").Column("state", "attempt").ColumnExpr(args).
		Where("kind = 'ap_deliver'").Scan(n.ctx, &rows); err != nil {
		t.Fatal(err)
	}
	var out []deliveryJob
	for _, row := range rows {
		var args deliveryArgs
		if err := json.Unmarshal([]byte(row.Args), &args); err != nil {
			t.Fatal(err)
		}
		if args.Inbox == inbox {
			out = append(out, deliveryJob{row.State, row.Attempt})
		}
	}
	return out
}

// A delivery the inbox answers with 500 is retried until it succeeds; one
// answered 410 Gone is not retried.
func TestDeliveryRetries(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil) // RetryBase 100 ms
		n.idle(t)                     // the setup's creations went to nobody
		failing := newRemote(t, "127.0.0.2")
		gone := newRemote(t, "127.0.0.3")
		failing.status.Store(http.StatusInternalServerError)
		gone.status.Store(http.StatusGone)

		n.accepted(t, failing, activity("Follow", failing.base+"/follows/1", failing.actor("ada"), n.groupIRI()))
		n.accepted(t, gone, activity("Follow", gone.base+"/follows/1", gone.actor("ada"), n.groupIRI()))
		failingInbox, goneInbox := failing.actor("ada")+"/inbox", gone.actor("ada")+"/inbox"

		eventually(t, "a second try of the failing delivery", func() bool { return len(failing.received()) >= 2 })
		failing.status.Store(http.StatusAccepted)
		eventually(t, "the failing delivery to succeed", func() bool {
			jobs := n.deliveries(t, failingInbox)
			return len(jobs) == 1 && jobs[0].state == "completed"
		})
		if jobs := n.deliveries(t, failingInbox); jobs[0].attempt < 3 {
			t.Errorf("completed at attempt %d, want 3 or more", jobs[0].attempt)
		}
		for _, d := range failing.received() {
			if d.typ() != "Accept/Follow" {
				t.Errorf("delivered %s", d.typ())
			}
		}

		eventually(t, "the delivery to the gone inbox to end", func() bool {
			jobs := n.deliveries(t, goneInbox)
			return len(jobs) == 1 && jobs[0].state == "cancelled"
		})
		if got := len(gone.received()); got != 1 {
			t.Errorf("the gone inbox got %d tries, want 1", got)
		}
		n.idle(t)
		if waiting, failing, err := n.fed.QueueDepth(n.ctx); err != nil || waiting != 0 || failing != 0 {
			t.Errorf("queue depth %d, %d failing (%v), want 0", waiting, failing, err)
		}
		peers, err := n.fed.Peers(n.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range peers {
			switch p.Host {
			case gone.host:
				if p.Failures != 1 || p.LastError == "" {
					t.Errorf("gone peer: %+v", p)
				}
			case failing.host:
				if p.Failures != 0 || p.LastSuccessAt == nil {
					t.Errorf("failing peer after its success: %+v", p)
				}
			}
		}
	})
}

// A resident's reply to a remote comment reaches its author's server,
// even when the author follows nothing here.
func TestOutboundReplyToRemoteComment(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		note := r.base + "/users/ada/statuses/1"
		n.accepted(t, r, createNote(r.actor("ada"), note, n.proposalIRI(), "<p>Pourquoi pas une fontaine ?</p>"))
		parent := n.remoteComment(t, note)

		reply, err := n.debates.Add(n.ctx, accounts.As(n.jeanne), debates.NewComment{ParentID: parent.ID, Body: "Bonne idée !"})
		if err != nil {
			t.Fatal(err)
		}
		d := r.waitFor(t, "Create/Note")
		if signer := n.verify(t, d); signer != n.base+"/people/jeanne" {
			t.Errorf("reply signed by %s", signer)
		}
		o := d.doc["object"].(map[string]any)
		if o["id"] != n.commentIRI(reply.ID) || o["inReplyTo"] != note || d.req.URL.Path != "/inbox" {
			t.Errorf("reply delivered to %s: %s", d.req.URL.Path, d.body)
		}
	})
}

// In allowlist mode only the hosts an admin allowed are heard.
func TestAllowlist(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, func(c *Config) { c.Allowlist = true })
		r := newRemote(t, "127.0.0.2")
		like := activity("Like", r.base+"/likes/1", r.actor("ada"), n.proposalIRI())
		before := n.counts(t)
		if status, reason := n.deliver(t, r, like); status != http.StatusForbidden || !strings.Contains(reason, "domain blocked") {
			t.Errorf("before allowing: %d %q, want 403", status, reason)
		}
		n.sameCounts(t, before)
		if r.getCount() != 0 {
			t.Error("a host not allowed was asked for a key")
		}
		if err := n.fed.SetBlock(n.ctx, "127.0.0.2", Allow, "partner city", ""); err != nil {
			t.Fatal(err)
		}
		if got := n.accepted(t, r, like); !strings.HasPrefix(got, "like of proposal") {
			t.Errorf("after allowing: outcome %q", got)
		}
	})
}

// Dispatch queues one update job per object: updates of one object in
// one batch are merged (River refuses a batch holding one unique key
// twice), an update behind a waiting one is merged into it, and one
// behind a running one stays in the outbox until that one ends, so that
// no change goes unsent.
func TestDispatchMergesUpdates(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := buildNode(t, dialect, nil) // the test dispatches itself; no worker runs
		ctx := n.ctx
		if _, err := n.db.NewDelete().Table("outbox_events").Where("1 = 1").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		record := func(kinds ...string) {
			t.Helper()
			for _, kind := range kinds {
				if err := outbox.Record(ctx, n.db, time.Now(), kind, "proposal", n.proposal.ID, n.jeanne.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		dispatch := func(want int) {
			t.Helper()
			got, err := n.fed.dispatch(ctx)
			if err != nil || got != want {
				t.Fatalf("dispatch: %d, %v; want %d events done", got, err, want)
			}
		}
		jobs := func(state string) int {
			t.Helper()
			c, err := n.db.NewSelect().Table("river_job").Where("kind = 'ap_event' AND state = ?", state).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(c)
		}
		outboxLeft := func() int {
			t.Helper()
			c, err := n.db.NewSelect().Table("outbox_events").Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(c)
		}

		record("update", "update", "create", "update")
		dispatch(4)
		if jobs("scheduled") != 1 || jobs("available") != 1 || outboxLeft() != 0 {
			t.Fatalf("%d scheduled, %d available jobs, %d events left; want 1, 1, 0", jobs("scheduled"), jobs("available"), outboxLeft())
		}
		record("update")
		dispatch(1)
		if jobs("scheduled") != 1 {
			t.Errorf("%d scheduled updates, want the waiting one only", jobs("scheduled"))
		}

		// The update job starts: a change now must wait for it.
		if _, err := n.db.NewUpdate().Table("river_job").Set("state = 'running'").Set("attempt = 1").Set("attempted_at = ?", time.Now()).
			Where("kind = 'ap_event' AND state = 'scheduled'").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		record("update")
		dispatch(0)
		if outboxLeft() != 1 {
			t.Fatalf("%d events left, want the update behind the running one", outboxLeft())
		}
		if _, err := n.db.NewUpdate().Table("river_job").Set("state = 'completed'").Set("finalized_at = ?", time.Now()).
			Where("kind = 'ap_event' AND state = 'running'").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		dispatch(1)
		if jobs("scheduled") != 1 || outboxLeft() != 0 {
			t.Errorf("%d scheduled, %d events left; want 1, 0", jobs("scheduled"), outboxLeft())
		}
	})
}

// Deliveries back off from RetryBase, doubling, capped at 6 hours, with
// some jitter.
func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		attempt int
		want    time.Duration
	}{{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {10, 256 * time.Minute}, {11, 6 * time.Hour}, {17, 6 * time.Hour}} {
		for range 20 {
			got := backoff(30*time.Second, tc.attempt)
			if got < tc.want*8/10 || got > tc.want*12/10 {
				t.Errorf("attempt %d: %s, want %s ± 20%%", tc.attempt, got, tc.want)
			}
		}
	}
}

// A peer's Retry-After (under 6 h), noted when a job's Work fails,
// delays that job's next try past the backoff, once; a longer one, or
// none, or one on the last attempt, leaves River's policy (the backoff).
func TestRetryAfterDelaysTheNextTry(t *testing.T) {
	var r retryAfters
	for i, tc := range []struct {
		err      error
		attempt  int
		min, max time.Duration // 0, 0: River's policy
	}{
		{&fetch.StatusError{Code: 429, RetryAfter: time.Minute}, 1, time.Minute - time.Second, time.Minute},
		{fmt.Errorf("deliver to x: %w", &fetch.StatusError{Code: 503, RetryAfter: 5 * time.Hour}), 3, 5*time.Hour - time.Second, 5 * time.Hour},
		{&fetch.StatusError{Code: 429, RetryAfter: time.Second}, 4, 6 * time.Second, 10 * time.Second}, // the backoff is longer
		{&fetch.StatusError{Code: 429, RetryAfter: 7 * time.Hour}, 1, 0, 0},
		{&fetch.StatusError{Code: 429, RetryAfter: time.Minute}, 17, 0, 0},
		{&fetch.StatusError{Code: 500}, 1, 0, 0},
		{errors.New("connection refused"), 1, 0, 0},
	} {
		job := &rivertype.JobRow{ID: int64(i), Attempt: tc.attempt, MaxAttempts: deliveryAttempts}
		if err := r.note(job, tc.err); err != tc.err {
			t.Errorf("note changed the error: %v", err)
		}
		next := r.next(job, time.Second)
		switch got := time.Until(next); {
		case tc.max == 0 && !next.IsZero():
			t.Errorf("after %q at attempt %d: next try in %s, want River's policy", tc.err, tc.attempt, got)
		case tc.max != 0 && (got < tc.min || got > tc.max):
			t.Errorf("after %q at attempt %d: next try in %s, want %s to %s", tc.err, tc.attempt, got, tc.min, tc.max)
		}
		if again := r.next(job, time.Second); !again.IsZero() {
			t.Errorf("a Retry-After served twice")
		}
	}
}

// A step of a funded budget project reaches those who follow the budget
// space as the Group's Note (announced bare, as Mastodon shows it), and
// the Note is served at its id.
func TestOutboundBudgetStep(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		n.followGroup(t, r)
		group := n.groupIRI()

		file := "META\nkey;value\nnum_projects;2\nnum_votes;3\nbudget;100000\nvote_type;approval\n" +
			"PROJECTS\nproject_id;cost;name\nP1;60000;Un potager <b>partagé</b>\nP2;70000;Des bancs\n" +
			"VOTES\nvoter_id;vote\n1;P1\n2;P1,P2\n3;P1\n"
		b, err := n.projects.Import(n.ctx, accounts.System, n.space.ID, strings.NewReader(file), budgets.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		list, err := n.projects.Projects(n.ctx, b.ID)
		if err != nil || !list[0].Funded || list[0].Ref != "P1" {
			t.Fatalf("imported: %+v %v", list, err)
		}
		m, err := n.projects.AddMilestone(n.ctx, accounts.System, list[0].ID, projects.MilestoneInput{
			Status: projects.Works, Progress: 40, Text: "Les bacs sont posés.\n\n<script>x</script>"})
		if err != nil {
			t.Fatal(err)
		}
		note := n.base + "/budgets/steps/" + m.ID
		d := r.waitMatch(t, "Announce/Note", func(d *delivery) bool {
			o, _ := d.doc["object"].(map[string]any)
			return o != nil && o["id"] == note
		})
		if signer := n.verify(t, d); signer != group {
			t.Errorf("step announced by %s, want the Group", signer)
		}
		o := d.doc["object"].(map[string]any)
		content, _ := o["content"].(string)
		if o["attributedTo"] != group || o["url"] != n.base+"/budgets/projects/"+list[0].ID ||
			!strings.Contains(content, "Un potager &lt;b&gt;partagé&lt;/b&gt;</a> — Travaux, avancement : 40 %") ||
			!strings.Contains(content, "<p>&lt;script&gt;x&lt;/script&gt;</p>") {
			t.Errorf("step Note: %s", d.body)
		}
		resp, body := n.get(t, "/budgets/steps/"+m.ID, "application/activity+json")
		if resp.StatusCode != http.StatusOK || decode(t, body)["id"] != note {
			t.Errorf("GET the step: %d %s", resp.StatusCode, body)
		}
		if resp, _ := n.get(t, "/budgets/steps/nope", "application/activity+json"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET an unknown step: %d", resp.StatusCode)
		}
	})
}
