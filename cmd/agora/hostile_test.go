package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"agora/frontend/browsertest"
)

// Bounds of the hostile-peer suite. They are loose on purpose: they tell
// a node that stays up from one that waits on a peer or reads what it
// should refuse, on a loaded 2-core machine, and are no benchmark.
const (
	// pageBound is the longest a page may take while peers misbehave;
	// one that waited on a peer would take the fetch timeout (10 s).
	pageBound = 5 * time.Second
	// refusalBound is the longest an inbox delivery or a follow may take
	// to be refused when the peer misbehaves: the fetch timeout (10 s)
	// and some room.
	refusalBound = 20 * time.Second
	// peakBound is how much higher the node's peak RSS may go while it
	// is sent sixteen 10 MB documents at once; reading them whole would
	// take more than 160 MB.
	peakBound = 64 << 20
	// slowPeerBound is the longest a follow may take to be answered while
	// another peer is slow; one stuck behind the slow deliveries waits
	// their timeout (10 s).
	slowPeerBound = 6 * time.Second
	// refreshWait is how long a page is watched after it loads: the
	// peer's meta refreshes wait 0 and 1 s (one that waits longer is
	// found in the document).
	refreshWait = 1500 * time.Millisecond
)

// TestHostilePeer drives a real node (a serve process on SQLite) against
// hostile peers (hostile_peer_test.go) that put markup and script in
// every text and misbehave when fetched from. The node follows a hostile
// space and a hostile catalogue, receives their announces, a reply, likes,
// a share and a report, and fetches their actors; it is sent deliveries
// signed by keys behind 10 MB documents, redirect loops, answers of one
// byte a second, 500s and 429s, while a client reads pages and the node's
// memory is watched; its deliveries meet 429 with Retry-After, 500s, a
// peer down for a day and one answering a byte a second. Then every page that shows what peers sent is
// opened in Chromium, which must see no CSP violation, no navigation away
// and no dialog. See docs/ADMIN.md, "Hostile peers".
func TestHostilePeer(t *testing.T) {
	n := newFedNode(t, "Paris 15e", "sqlite")
	// Jobs get the time they have in production (30 s for a delivery,
	// whose POST has 10 s), not the 3 s of the other tests' nodes.
	n.env["AGORA_TEST_RESCUE_AFTER"] = "2m"
	n.admin(t, "create-space", "--slug", "budget", "--title", "Budget participatif 2027")
	n.start(t)
	staff := n.user(t, "claire", false, "--role", "admin", "--role", "moderator")
	alice := n.user(t, "alice", true, "--verified")
	evil, flaky, slow := newHostilePeer(t, "127.0.0.2"), newHostilePeer(t, "127.0.0.3"), newHostilePeer(t, "127.0.0.4")
	proposal := proposeOn(t, n, alice, "budget", "Des bancs rue du Commerce")
	n.post(t, alice, "/comments", url.Values{"target_kind": {"proposal"}, "target_id": {proposal}, "comment": {"Et des arbres."},
		"alignment": {"none"}}, http.StatusOK)
	var comment string
	if err := n.db.NewSelect().Table("comments").Column("id").Where("target_id = ? AND remote_actor IS NULL", proposal).
		Scan(context.Background(), &comment); err != nil {
		t.Fatal(err)
	}
	h := &hostileRun{n: n, evil: evil, flaky: flaky, slow: slow, staff: staff, proposal: proposal, comment: comment}

	t.Run("content", h.content)
	t.Run("misbehaviour", h.misbehaviour)
	t.Run("retries", h.retries)
	t.Run("slow peer", h.slowPeer)
	t.Run("backfill", h.backfill)
	t.Run("stored", h.stored)
	t.Run("pages", h.pages)
}

// hostileRun is one node and its hostile peers, through the suite.
type hostileRun struct {
	n           *fedNode
	evil, flaky *hostilePeer
	slow        *hostilePeer // answers one byte a second
	staff       *http.Client // admin and moderator
	proposal    string       // alice's, in budget
	comment     string       // alice's, on it
	group, cat  string       // the hostile space and catalogue
	appSlug     string       // the hostile app, as the node keeps it
}

func (h *hostileRun) proposalIRI() string { return h.n.base + "/proposals/" + h.proposal }

// outcome waits for the node to apply an activity and returns what it
// recorded.
func (n *fedNode) outcome(t *testing.T, id string) string {
	t.Helper()
	var got struct {
		Outcome     string
		ProcessedAt *time.Time
	}
	eventually(t, 30*time.Second, "the node applies "+id, func() bool {
		err := n.db.NewSelect().Table("ap_received").Column("outcome", "processed_at").Where("activity_id = ?", id).
			Scan(context.Background(), &got)
		return err == nil && got.ProcessedAt != nil
	})
	return got.Outcome
}

// content: the node follows the hostile space (by handle, through
// WebFinger) and catalogue (by URL), and receives what they and their
// actors send.
func (h *hostileRun) content(t *testing.T) {
	n, evil := h.n, h.evil
	h.group, h.cat = evil.base+"/c/hostile", evil.base+"/apps"
	group := h.group
	// What the space's outbox lists, for the backfill: a proposal, and
	// documents that misbehave.
	post := func(i int, attributedTo string) map[string]any {
		id := fmt.Sprintf("%s/post/%d", evil.base, i)
		return map[string]any{"id": id, "type": "Page", "attributedTo": attributedTo, "audience": group,
			"name": hostileText(fmt.Sprintf("Titre-%d", i)), "summary": hostileText("Resume"),
			"content": hostileText(fmt.Sprintf("<p>Contenu-%d</p>", i)), "mediaType": "text/html",
			"url": "javascript:alert('url')", "icon": map[string]any{"type": "Image", "url": "javascript:alert('icon')"},
			"agora:state": hostileText("study"), "agora:supports": 12,
			"attachment": []any{map[string]any{"type": "Document", "url": "javascript:alert('att')", "name": hostileText("Piece"),
				"mediaType": hostileText("text/html")}},
			"published": "2026-11-25T09:00:00Z"}
	}
	mallory := evil.base + "/users/mallory"
	evil.put("/post/9", post(9, mallory))
	evil.failFirst("/post/retry", peerReply{status: http.StatusTooManyRequests, retryAfter: "3"})
	evil.put("/post/retry", map[string]any{"id": evil.base + "/post/retry", "type": "Page", "attributedTo": group,
		"audience": group, "name": "Retry", "content": "<p>Après un 429.</p>"})
	evil.put("/c/hostile/outbox", map[string]any{"id": group + "/outbox", "type": "OrderedCollection", "first": group + "/outbox?page=1"})
	evil.put("/c/hostile/outbox?page=1", map[string]any{"id": group + "/outbox?page=1", "type": "OrderedCollectionPage",
		"orderedItems": []any{evil.base + "/post/9", evil.base + "/post/retry", evil.base + "/huge/chunked/post",
			evil.base + "/loop/post", evil.base + "/slow/post"}})
	evil.put("/apps/outbox", map[string]any{"id": h.cat + "/outbox", "type": "OrderedCollection", "totalItems": 0, "orderedItems": []any{}})

	n.post(t, h.staff, "/admin/federation/follow", url.Values{"target": {"@hostile@" + evil.host}}, http.StatusOK)
	evil.accept(t, n, group)
	n.post(t, h.staff, "/admin/federation/follow", url.Values{"target": {h.cat}}, http.StatusOK)
	evil.accept(t, n, h.cat)
	eventually(t, 30*time.Second, "the node follows the hostile space and catalogue", func() bool {
		return n.count(t, "ap_following", "state = 'accepted'") == 2
	})

	yml := strings.NewReplacer(
		"name: Agora", "name: "+quoteYAML(hostileText("Appli")),
		"shortDescription: Plateforme de participation citoyenne pour les communes.", "shortDescription: "+quoteYAML(hostileText("Courte")),
		"- Propositions et soutiens", "- "+quoteYAML(hostileText("Fonction")),
		"- name: Camille Martin", "- name: "+quoteYAML(hostileText("Camille")),
		"https://git.example.org/agora/agora.git", "https://git.example.org/hostile.git",
	).Replace(readFile(t, "../../instances/apps/testdata/minimal.yml"))
	yml = strings.Replace(yml, "    longDescription: >\n", "    longDescription: |\n      "+
		"Longue [clic](javascript:alert('md')) ![image](http://127.0.0.2:9/x.png) <script>alert('md')</script>\n", 1)
	app := map[string]any{"id": h.cat + "/hostile", "type": "Page", "name": hostileText("Appli"), "attributedTo": h.cat,
		"url": "javascript:alert('app')", "agora:publiccodeYml": yml,
		"agora:releases": []any{map[string]any{"version": hostileText("2.0"), "date": "2026-11-01",
			"changelog": hostileText("Notes") + "\n[lien](javascript:alert('changelog')) ![x](http://127.0.0.2:9/y.png)",
			"artifacts": []any{map[string]any{"name": hostileText("fichier"), "url": "javascript:alert('artifact')",
				"sha256": strings.Repeat("0", 64), "size": 1, "mediaType": "text/html"}}}}}
	page1 := post(1, mallory)
	reply := map[string]any{"id": evil.base + "/post/1/reply", "type": "Note", "attributedTo": mallory, "audience": group,
		"context": evil.base + "/post/1", "inReplyTo": evil.base + "/post/1", "content": hostileText("<p>Reponse-1</p>")}
	note := map[string]any{"id": mallory + "/statuses/1", "type": "Note", "attributedTo": mallory,
		"inReplyTo": h.proposalIRI(), "content": hostileText("<p>Commentaire-mallory</p>"),
		"attachment": []any{map[string]any{"type": "Image", "url": "http://127.0.0.2:9/z.png", "name": hostileText("Image")}},
		"to":         []string{"https://www.w3.org/ns/activitystreams#Public"}}
	flag := as("Flag", evil.base+"/flags/1", evil.base+"/actor", []any{h.proposalIRI(), h.n.base + "/comments/" + h.comment})
	flag["content"] = hostileText("Motif")
	for _, tc := range []struct {
		activity map[string]any
		outcome  string // prefix of what the node records
	}{
		{as("Announce", group+"/announces/1", group, as("Create", mallory+"/creates/1", mallory, page1)), "create remote Page"},
		// Its author's actor is a 10 MB document: kept without a name.
		{as("Announce", group+"/announces/2", group, post(2, evil.base+"/huge/chunked/author")), "create remote Page"},
		{as("Announce", group+"/announces/3", group, as("Create", mallory+"/creates/3", mallory, reply)), "create remote Note"},
		{as("Create", mallory+"/creates/4", mallory, note), "comment "},
		{as("Like", mallory+"/likes/1", mallory, h.proposalIRI()), "like of proposal"},
		{as("Announce", mallory+"/shares/1", mallory, h.proposalIRI()), "announce of proposal"},
		{flag, "reports: 2"},
		{as("Announce", h.cat+"/announces/1", h.cat, app), "remote app"},
	} {
		id := tc.activity["id"].(string)
		if status := evil.send(t, n, tc.activity); status != http.StatusAccepted {
			t.Errorf("%s: status %d, want 202", id, status)
			continue
		}
		if got := n.outcome(t, id); !strings.HasPrefix(got, tc.outcome) {
			t.Errorf("%s: outcome %q, want %q…", id, got, tc.outcome)
		}
	}
	if err := n.db.NewSelect().Table("apps").Column("slug").Where("remote_id = ?", h.cat+"/hostile").
		Scan(context.Background(), &h.appSlug); err != nil {
		t.Errorf("no remote app: %v", err)
	}
}

// misbehaviour: deliveries signed by keys the node must fetch from
// misbehaving documents, an oversized delivery, and follows of
// misbehaving actors, all at once, while a client reads pages. Each is
// refused within bounds, pages keep answering, and the node's peak memory
// stays near where it was.
func (h *hostileRun) misbehaviour(t *testing.T) {
	n := h.n
	pages := []string{"/", "/cities", "/proposals/" + h.proposal, "/spaces/budget"}
	for _, p := range pages { // warm up: templates, caches, connections
		n.get(t, http.DefaultClient, p)
	}
	mem := watchMemory(t, n)

	probe := newPageProbe(n, pages)
	defer probe.stop()

	type attempt struct {
		what string
		do   func() (int, error)
		want int
	}
	var attempts []attempt
	like := func(actor string) map[string]any {
		return as("Like", actor+"/likes/"+fmt.Sprint(time.Now().UnixNano()), actor, h.proposalIRI())
	}
	deliver := func(p *hostilePeer, path string, want int) {
		actor := p.base + path
		attempts = append(attempts, attempt{"delivery signed by " + actor, func() (int, error) {
			return p.post(n, actor+"#main-key", like(actor))
		}, want})
	}
	for _, p := range []*hostilePeer{h.evil, h.flaky} {
		for i := range 8 {
			deliver(p, fmt.Sprintf("/huge/chunked/k%d", i), http.StatusUnauthorized)
		}
	}
	deliver(h.evil, "/huge/declared/k", http.StatusUnauthorized)
	deliver(h.evil, "/loop/k", http.StatusUnauthorized)
	deliver(h.evil, "/err500/k", http.StatusUnauthorized)
	deliver(h.evil, "/err429/k", http.StatusUnauthorized)
	for i := range 3 {
		deliver(h.flaky, fmt.Sprintf("/slow/k%d", i), http.StatusUnauthorized)
	}
	attempts = append(attempts, attempt{"a delivery of 10 MB", func() (int, error) {
		req, _ := http.NewRequest(http.MethodPost, n.base+"/inbox", io.LimitReader(zeros{}, hugeSize))
		req.ContentLength = hugeSize
		req.Header.Set("Content-Type", "application/activity+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}, http.StatusRequestEntityTooLarge})
	admin := &http.Client{Jar: h.staff.Jar, Timeout: time.Minute}
	for _, target := range []string{"@huge@" + h.evil.host, "@loop@" + h.evil.host, "@slow@" + h.evil.host,
		h.evil.base + "/huge/declared/g", h.evil.base + "/loop/g", h.evil.base + "/err500/g", h.evil.base + "/slow/g"} {
		attempts = append(attempts, attempt{"the admin follows " + target, func() (int, error) {
			resp, err := admin.PostForm(n.base+"/admin/federation/follow", url.Values{"target": {target}})
			if err != nil {
				return 0, err
			}
			resp.Body.Close()
			return resp.StatusCode, nil
		}, http.StatusBadRequest})
	}

	var wg sync.WaitGroup
	for _, a := range attempts {
		wg.Go(func() {
			start := time.Now()
			status, err := a.do()
			took := time.Since(start)
			switch {
			case err != nil:
				t.Errorf("%s: %v", a.what, err)
			case status != a.want:
				t.Errorf("%s: status %d, want %d", a.what, status, a.want)
			case took > refusalBound:
				t.Errorf("%s: refused after %s, want within %s", a.what, took.Round(time.Millisecond), refusalBound)
			}
		})
	}
	wg.Wait()
	probe.stop()

	if got := len(h.evil.gotten("/huge/chunked/k0")) + len(h.flaky.gotten("/slow/k0")) + len(h.evil.gotten("/loop/k")); got < 3 {
		t.Errorf("the node did not fetch the misbehaving documents (%d GETs): this test proves nothing", got)
	}
	worst, count, failures := probe.result()
	t.Logf("%d page reads while peers misbehaved, slowest %s", count, worst.Round(time.Millisecond))
	if count < len(pages) {
		t.Errorf("only %d page reads: the probe did not run", count)
	}
	for _, f := range failures {
		t.Error(f)
	}
	if worst > pageBound {
		t.Errorf("a page took %s while peers misbehaved, want within %s", worst.Round(time.Millisecond), pageBound)
	}
	if mem != nil {
		peak := mem.peakGrowth(t)
		t.Logf("peak RSS %d MiB higher than before (from %d MiB)", peak>>20, mem.before>>20)
		if peak > peakBound {
			t.Errorf("peak RSS rose by %d MiB while reading 10 MB documents, want at most %d MiB", peak>>20, peakBound>>20)
		}
	}
}

// zeros reads as zero bytes, for ever.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// retries: the node's deliveries to a peer that answers 429 with a
// Retry-After, then 500s, back off as docs/FEDERATION.md says; a peer
// that fails for a day becomes unreachable and gets no more deliveries
// (but for an hourly probe) until it sends something.
func (h *hostileRun) retries(t *testing.T) {
	n, flaky := h.n, h.flaky
	flo := flaky.base + "/users/flo"
	flaky.answerPosts(peerReply{status: http.StatusTooManyRequests, retryAfter: "3"}, peerReply{status: http.StatusTooManyRequests, retryAfter: "100000"},
		peerReply{status: http.StatusInternalServerError}, peerReply{status: http.StatusAccepted})
	if status := flaky.send(t, n, as("Follow", flo+"/follows/1", flo, n.base+"/spaces/budget")); status != http.StatusAccepted {
		t.Fatalf("Follow: status %d", status)
	}
	var tries []peerPost
	eventually(t, 60*time.Second, "the node's Accept delivered after a 429, a 429 and a 500", func() bool {
		tries = tries[:0]
		for _, d := range flaky.received() {
			if d.doc["type"] == "Accept" {
				tries = append(tries, d)
			}
		}
		return len(tries) >= 4
	})
	gaps := make([]time.Duration, 3)
	for i := range gaps {
		gaps[i] = tries[i+1].at.Sub(tries[i].at)
	}
	t.Logf("tries answered %d, %d, %d, %d; gaps %s", tries[0].status, tries[1].status, tries[2].status, tries[3].status, gaps)
	// RetryBase is 1 s in the test process (main_test.go): the backoff
	// after attempt k is 2^(k-1) s ± 20 %, unless a Retry-After under 6 h
	// asks for longer; every try is an attempt.
	if gaps[0] < 3*time.Second {
		t.Errorf("retried %s after a 429 with Retry-After: 3, want 3 s or more", gaps[0])
	}
	if gaps[1] < 1600*time.Millisecond || gaps[1] > 30*time.Second {
		t.Errorf("retried %s after a 429 with Retry-After: 100000 (over 6 h, not believed), want the backoff of a 2nd attempt (2 s ± 20 %%)", gaps[1])
	}
	if gaps[2] < 3200*time.Millisecond {
		t.Errorf("retried %s after a 500, want the backoff of a 3rd attempt (4 s ± 20 %%)", gaps[2])
	}
	if len(tries) != 4 {
		t.Errorf("%d tries, want 4 (none after the success)", len(tries))
	}
	var attempt int
	eventually(t, 10*time.Second, "the delivery recorded as completed", func() bool {
		return n.db.NewSelect().Table("river_job").Column("attempt").
			Where("kind = 'ap_deliver' AND state = 'completed' AND json_extract(args, '$.inbox') = ?", flo+"/inbox").
			Scan(context.Background(), &attempt) == nil
	})
	if attempt != 4 {
		t.Errorf("the delivery completed at attempt %d, want 4: each try is one of the 17", attempt)
	}
	eventually(t, 10*time.Second, "the peer's success recorded", func() bool {
		return n.count(t, "ap_peers", "host = ? AND failures = 0 AND last_success_at IS NOT NULL", flaky.host) == 1
	})

	// Down for a day: the failures start now; the first one is moved a
	// day back (the clock of a serve process cannot be moved), and the
	// next marks the peer unreachable.
	flaky.answerPosts(peerReply{status: http.StatusInternalServerError})
	proposeOn(t, n, h.n.clients["alice"], "budget", "Un composteur square Violet")
	eventually(t, 30*time.Second, "a failed delivery of the new proposal", func() bool {
		return n.count(t, "ap_peers", "host = ? AND first_failure_at IS NOT NULL", flaky.host) == 1
	})
	if _, err := n.db.NewUpdate().Table("ap_peers").Set("first_failure_at = ?", time.Now().Add(-25*time.Hour)).
		Where("host = ?", flaky.host).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the peer marked unreachable after a day of failures", func() bool {
		return n.count(t, "ap_peers", "host = ? AND unreachable_since IS NOT NULL", flaky.host) == 1
	})
	eventually(t, 30*time.Second, "the deliveries to the unreachable peer dropped", func() bool {
		return n.count(t, "river_job", "kind = 'ap_deliver' AND state IN ('available', 'scheduled', 'retryable', 'running')") == 0
	})
	before := len(flaky.received())
	p3 := proposeOn(t, n, h.n.clients["alice"], "budget", "Des fontaines rue Lecourbe")
	eventually(t, 30*time.Second, "the delivery of a third proposal dropped without a try", func() bool {
		var errs []string
		n.db.NewSelect().Table("river_job").ColumnExpr("CAST(errors AS TEXT)").
			Where("kind = 'ap_deliver' AND state = 'cancelled' AND json_extract(args, '$.activity') LIKE ?", "%"+p3+"%").Scan(context.Background(), &errs)
		return len(errs) > 0 && strings.Contains(strings.Join(errs, " "), "unreachable")
	})
	for _, d := range flaky.received()[before:] {
		t.Errorf("delivered %s to an unreachable peer (%v)", d.doc["type"], d.doc["id"])
	}

	// The peer sends something: it is reachable again.
	flaky.answerPosts(peerReply{status: http.StatusAccepted})
	if status := flaky.send(t, n, as("Like", flo+"/likes/2", flo, h.proposalIRI())); status != http.StatusAccepted {
		t.Fatalf("Like: status %d", status)
	}
	if c := n.count(t, "ap_peers", "host = ? AND unreachable_since IS NULL AND failures = 0", flaky.host); c != 1 {
		t.Errorf("the peer is still unreachable after it sent a Like")
	}
}

// slowPeer: a peer whose sixteen followers each have their own inbox,
// all answering one byte a second, does not hold up the node's work for
// others (docs/FEDERATION.md: "a slow peer cannot take every worker"): a
// follow from another peer is applied and answered meanwhile.
func (h *hostileRun) slowPeer(t *testing.T) {
	n, slow := h.n, h.slow
	slow.answerPosts(peerReply{status: http.StatusAccepted, trickle: true})
	for i := range 16 {
		actor := fmt.Sprintf("%s/solo/f%d", slow.base, i)
		if status := slow.send(t, n, as("Follow", actor+"/follows/1", actor, n.base+"/spaces/budget")); status != http.StatusAccepted {
			t.Fatalf("Follow from %s: status %d", actor, status)
		}
	}
	eventually(t, 30*time.Second, "deliveries to the slow peer under way", func() bool { return len(slow.received()) >= 4 })
	mallory := h.evil.base + "/users/mallory"
	start := time.Now()
	if status := h.evil.send(t, n, as("Follow", mallory+"/follows/1", mallory, n.base+"/spaces/budget")); status != http.StatusAccepted {
		t.Fatalf("Follow from mallory: status %d", status)
	}
	h.evil.waitPost(t, "Accept", func(d peerPost) bool {
		inner, _ := d.doc["object"].(map[string]any)
		return inner != nil && inner["id"] == mallory+"/follows/1"
	})
	took := time.Since(start)
	t.Logf("another peer's follow answered in %s while %d deliveries to a slow peer were tried", took.Round(time.Millisecond), len(slow.received()))
	if took > slowPeerBound {
		t.Errorf("another peer's follow answered after %s while a peer was slow, want within %s", took.Round(time.Millisecond), slowPeerBound)
	}
	slow.answerPosts(peerReply{status: http.StatusAccepted}) // the retries end
}

// backfill: what the hostile space's outbox lists was fetched as
// docs/FEDERATION.md says: the proposal kept, a 429 retried after its
// Retry-After, a 10 MB document and a redirect loop dropped at once, and
// a document sent one byte a second cut at the fetch timeout and retried.
func (h *hostileRun) backfill(t *testing.T) {
	n, evil := h.n, h.evil
	eventually(t, 60*time.Second, "the backfill of the hostile space", func() bool {
		return n.count(t, "ap_remote_objects", "id IN (?, ?)", evil.base+"/post/9", evil.base+"/post/retry") == 2
	})
	if got := evil.gotten("/post/retry"); len(got) < 2 {
		t.Errorf("the object answered 429 was fetched %d times", len(got))
	} else if gap := got[1].Sub(got[0]); gap < 3*time.Second {
		t.Errorf("the object answered 429 with Retry-After: 3 was fetched again after %s, want 3 s or more", gap.Round(time.Millisecond))
	}
	jobs := func(object string) (states []string) {
		n.db.NewSelect().Table("river_job").Column("state").
			Where("kind = 'ap_backfill_object' AND json_extract(args, '$.object') = ?", object).Scan(context.Background(), &states)
		return states
	}
	for _, object := range []string{"/huge/chunked/post", "/loop/post"} {
		eventually(t, 30*time.Second, "the backfill of "+object+" dropped", func() bool {
			s := jobs(evil.base + object)
			return len(s) == 1 && s[0] == "cancelled"
		})
	}
	if got := len(evil.gotten("/huge/chunked/post")); got != 1 {
		t.Errorf("a 10 MB object fetched %d times, want once (too large is final)", got)
	}
	eventually(t, 60*time.Second, "the slow object retried", func() bool {
		return len(h.flaky.gotten("/slow/post"))+len(evil.gotten("/slow/post")) >= 2
	})
	if s := jobs(evil.base + "/slow/post"); len(s) != 1 || s[0] == "completed" || s[0] == "cancelled" {
		t.Errorf("the backfill of an object sent a byte a second: %v, want still retrying", s)
	}
}

// unsafeMarkup finds what must never be stored from a peer as HTML (as
// federation's own test of sanitising does); anyTag finds markup of any
// kind, which a plain text or a Markdown source must not hold.
var (
	unsafeMarkup = regexp.MustCompile(`(?i)<\s*(meta|form|input|button|script|img|svg|math|iframe|style|link|base|object|embed|noscript)|\bon[a-z]+\s*=|javascript:|data:text|style\s*=|http-equiv|srcdoc`)
	anyTag       = regexp.MustCompile(`<[a-zA-Z/!?]`)
)

// stored: nothing the peers sent is kept with markup that could act:
// plain texts hold no markup at all, HTML only what the Markdown policy
// allows, and Markdown or YAML sources no markup (their links are made
// safe when rendered).
func (h *hostileRun) stored(t *testing.T) {
	const plain, html, source = "plain", "HTML", "source"
	checked := 0
	for _, q := range []struct {
		query string
		kinds []string // of each column
	}{
		{"SELECT name, preferred_username, summary, url FROM ap_remote_actors", []string{plain, plain, html, plain}},
		{"SELECT name, author_name, content_html, url, state FROM ap_remote_objects", []string{plain, plain, html, plain, plain}},
		{"SELECT remote_name, body_html FROM comments WHERE remote_actor IS NOT NULL", []string{plain, html}},
		{"SELECT reason FROM reports WHERE remote_actor IS NOT NULL", []string{plain}},
		{"SELECT name, publiccode_yml, short_descriptions FROM apps WHERE remote_id IS NOT NULL", []string{plain, source, source}},
		{"SELECT version, changelog FROM app_releases WHERE app_id IN (SELECT id FROM apps WHERE remote_id IS NOT NULL)",
			[]string{plain, source}},
	} {
		rows, err := h.n.db.QueryContext(context.Background(), q.query)
		if err != nil {
			t.Fatalf("%s: %v", q.query, err)
		}
		cols, _ := rows.Columns()
		found := 0
		for rows.Next() {
			found++
			vals := make([]string, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				checked++
				if m := unsafeMarkup.FindString(v); m != "" && q.kinds[i] != source {
					t.Errorf("%s (%s) of %q: %q stored in %.300q", cols[i], q.kinds[i], q.query, m, v)
				}
				if m := anyTag.FindString(v); m != "" && q.kinds[i] != html {
					t.Errorf("%s (%s) of %q: markup %q stored in %.300q", cols[i], q.kinds[i], q.query, m, v)
				}
			}
		}
		rows.Close()
		if found == 0 {
			t.Errorf("no row for %s: the peers' texts did not arrive", q.query)
		}
	}
	t.Logf("%d stored values checked", checked)
}

// pages: every page that shows what the peers sent, in Chromium, as the
// admin (who is also a moderator) and as a visitor: no CSP violation, no
// navigation away, no dialog, nothing unsafe in the document, and the
// peers' words are there (so the page did show them).
func (h *hostileRun) pages(t *testing.T) {
	n := h.n
	item := "/cities/item?id=" + url.QueryEscape(h.evil.base+"/post/1")
	type page struct {
		path  string
		words []string // plain words of the peers' texts the page shows
	}
	public := []page{
		{"/cities", []string{"Nom-hostile", "Titre-1", "Titre-2"}},
		{item, []string{"Titre-1", "Contenu-1", "Reponse-1", "Nom-mallory"}},
		{"/proposals/" + h.proposal + "?lang=fr", []string{"Commentaire-mallory", "Nom-mallory", "Sur le fédivers : 2 j’aime", "1 partage"}},
		{"/apps/" + h.appSlug, []string{"Appli", "Courte", "Notes"}},
	}
	staffOnly := []page{
		{"/moderation/reports", []string{"Motif"}},
		{"/admin/federation", []string{"Nom-hostile", h.flaky.host}},
	}
	session := sessionCookie(t, n, h.staff)
	for _, who := range []struct {
		name  string
		pages []page
	}{{"staff", append(public, staffOnly...)}, {"visitor", public}} {
		t.Run(who.name, func(t *testing.T) {
			b := browsertest.New(t, browsertest.Timeout(2*time.Minute))
			if who.name == "staff" {
				b.SetCookie(n.base, "agora_session", session)
			}
			g := b.WatchIncidents(n.base)
			for _, p := range who.pages {
				b.Open(n.base + p.path)
				if !g.AssertNoIncidents(refreshWait) {
					continue // the tab may be on another page now
				}
				var found []string
				if err := json.Unmarshal([]byte(b.Eval(unsafeDOM)), &found); err != nil {
					t.Fatal(err)
				}
				for _, f := range found {
					t.Errorf("%s: %s", p.path, f)
				}
				text := b.Text("main")
				for _, w := range p.words {
					if !strings.Contains(text, w) {
						t.Errorf("%s does not show %q: the check proves nothing there", p.path, w)
					}
				}
			}
		})
	}
}

// unsafeDOM lists what a page of the node never holds: elements that run,
// load from elsewhere, redirect or restyle; forms to anywhere but this
// node's own actions (and never to the accounts' administration, which
// no page showing peers' texts posts to); event handlers, styles and
// script URLs in attributes.
const unsafeDOM = `JSON.stringify((() => {
	const out = [];
	const bad = "script:not([src^='/']), meta[http-equiv], iframe, frame, object, embed, base, style, svg, math, noscript, " +
		"link:not([href^='/']), img:not([src^='/'])";
	for (const e of document.querySelectorAll(bad)) out.push("element " + e.outerHTML.slice(0, 160));
	for (const f of document.querySelectorAll("form")) {
		const a = f.getAttribute("action") || "";
		if (!a.startsWith("/") || a.startsWith("//") || a.startsWith("/admin/accounts")) out.push("form to " + a);
	}
	for (const e of document.querySelectorAll("*")) {
		for (const at of e.attributes) {
			if (/^on/i.test(at.name) || at.name === "style" || at.name === "srcdoc" ||
				(/^(href|src|action|formaction|xlink:href|data)$/i.test(at.name) && /^\s*(javascript|data|vbscript):/i.test(at.value))) {
				out.push(e.tagName.toLowerCase() + " " + at.name + "=" + at.value.slice(0, 80));
			}
		}
	}
	return out;
})())`

// sessionCookie is the session a client signed in with.
func sessionCookie(t *testing.T, n *fedNode, c *http.Client) string {
	t.Helper()
	u, _ := url.Parse(n.base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "agora_session" {
			return ck.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// quoteYAML writes s as a double-quoted YAML scalar (JSON's quoting is
// YAML's).
func quoteYAML(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
