package cities_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"agora/frontend"
	"agora/frontend/cities"
	"agora/frontend/frontendtest"

	"agora/storage/storagetest"
)

// fakeFederation stands in for the node's federation in page tests: it
// keeps followed spaces, remote items and blocks in memory, records
// every call that changes something, and returns the error set for a
// method instead when there is one. The real federation is tested with
// real nodes in package federation.
type fakeFederation struct {
	mu       sync.Mutex
	calls    []fedCall
	errs     map[string]error // method name -> error it returns
	now      time.Time
	followed []cities.RemoteSpace
	items    []cities.RemoteItem // Pages and Notes of every followed space
	reacts   map[string][2]int
	peers    []cities.PeerStatus
	waiting  int
	failing  int
	blocks   []cities.DomainBlock
	parked   []cities.ParkedJob
}

// fedCall is one call that changes something, with its arguments.
type fedCall struct {
	Method string
	Args   []string
}

func (c fedCall) String() string { return c.Method + "(" + strings.Join(c.Args, ", ") + ")" }

// sameCalls reports whether two lists of calls are the same.
func sameCalls(a, b []fedCall) bool {
	return slices.EqualFunc(a, b, func(x, y fedCall) bool { return x.String() == y.String() })
}

func newFakeFederation() *fakeFederation {
	return &fakeFederation{errs: map[string]error{}, reacts: map[string][2]int{},
		now: time.Date(2026, 11, 24, 20, 30, 0, 0, time.UTC)}
}

// fail makes method return err from now on.
func (f *fakeFederation) fail(method string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs[method] = err
}

// record notes a call and returns the error set for its method.
func (f *fakeFederation) record(method string, args ...string) error {
	f.calls = append(f.calls, fedCall{method, args})
	return f.errs[method]
}

// Calls returns the calls that changed something, in order.
func (f *fakeFederation) Calls() []fedCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeFederation) FollowSpace(_ context.Context, target, by string) (cities.RemoteSpace, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("FollowSpace", target, by); err != nil {
		return cities.RemoteSpace{}, err
	}
	name, host, _ := strings.Cut(strings.TrimPrefix(target, "@"), "@")
	sp := cities.RemoteSpace{ActorID: "https://" + host + "/spaces/" + name, Handle: "@" + name + "@" + host, Name: name,
		Host: host, State: "pending", Since: f.now}
	f.followed = append(f.followed, sp)
	return sp, nil
}

func (f *fakeFederation) UnfollowSpace(_ context.Context, actorID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("UnfollowSpace", actorID); err != nil {
		return err
	}
	i := slices.IndexFunc(f.followed, func(s cities.RemoteSpace) bool { return s.ActorID == actorID })
	if i < 0 {
		return fmt.Errorf("%w: not following %s", cities.ErrFederationInput, actorID)
	}
	f.followed = slices.Delete(f.followed, i, i+1)
	return nil
}

func (f *fakeFederation) FollowedSpaces(context.Context) ([]cities.RemoteSpace, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.followed), f.errs["FollowedSpaces"]
}

func (f *fakeFederation) RemoteProposals(_ context.Context, actorID string, limit int) ([]cities.RemoteItem, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []cities.RemoteItem
	for _, it := range slices.Backward(f.items) { // newest first: items are added oldest first
		if it.Type == "Page" && (actorID == "" || it.Space == actorID) && len(out) < limit {
			out = append(out, it)
		}
	}
	return out, f.errs["RemoteProposals"]
}

func (f *fakeFederation) RemoteItem(_ context.Context, id string) (cities.RemoteItem, []cities.RemoteItem, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := slices.IndexFunc(f.items, func(it cities.RemoteItem) bool { return it.ID == id })
	if i < 0 {
		return cities.RemoteItem{}, nil, fmt.Errorf("%w: no remote object %s", cities.ErrFederationInput, id)
	}
	var comments []cities.RemoteItem
	for _, it := range f.items {
		if it.Type == "Note" && it.InReplyTo == id {
			comments = append(comments, it)
		}
	}
	return f.items[i], comments, nil
}

func (f *fakeFederation) CommentRemote(_ context.Context, accountID, pageID, body string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("CommentRemote", accountID, pageID, body); err != nil {
		return err
	}
	f.items = append(f.items, cities.RemoteItem{ID: "http://localhost/notes/" + fmt.Sprint(len(f.items)), Type: "Note",
		Author: "Un résident", AuthorID: "http://localhost/users/" + accountID, ContentHTML: "<p>" + body + "</p>",
		InReplyTo: pageID, Published: f.now})
	return nil
}

func (f *fakeFederation) Reactions(_ context.Context, objectType, id string) (int, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.reacts[objectType+" "+id]
	return r[0], r[1], f.errs["Reactions"]
}

func (f *fakeFederation) Peers(context.Context) ([]cities.PeerStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.peers), f.errs["Peers"]
}

func (f *fakeFederation) QueueDepth(context.Context) (int, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.waiting, f.failing, f.errs["QueueDepth"]
}

func (f *fakeFederation) Blocks(context.Context) ([]cities.DomainBlock, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.blocks), f.errs["Blocks"]
}

func (f *fakeFederation) SetBlock(_ context.Context, host, severity, reason, by string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("SetBlock", host, severity, reason, by); err != nil {
		return err
	}
	f.blocks = slices.DeleteFunc(f.blocks, func(b cities.DomainBlock) bool { return b.Host == host })
	f.blocks = append(f.blocks, cities.DomainBlock{Host: host, Severity: severity, Reason: reason, Since: f.now})
	return nil
}

func (f *fakeFederation) RemoveBlock(_ context.Context, host string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("RemoveBlock", host); err != nil {
		return err
	}
	f.blocks = slices.DeleteFunc(f.blocks, func(b cities.DomainBlock) bool { return b.Host == host })
	return nil
}

// Canned data of the fake: a followed space of Paris 12e with two
// proposals, the first one commented on from Lyon; a pending and a
// refused follow; two peers, one unreachable; a suspended host.
const (
	fedSpace    = "https://paris12.example/spaces/budget"
	fedProposal = "https://paris12.example/proposals/01JBANCS"
	fedSecond   = "https://paris12.example/proposals/01JCOMPOST"
	fedProject  = "https://paris12.example/budgets/projects/01JJARDIN"
)

func (f *fakeFederation) seed() *fakeFederation {
	f.mu.Lock()
	defer f.mu.Unlock()
	accepted := f.now.Add(-47 * time.Hour)
	down := f.now.Add(-3 * time.Hour)
	ok := f.now.Add(-time.Hour)
	f.followed = []cities.RemoteSpace{
		{ActorID: fedSpace, Handle: "@budget@paris12.example", Name: "Budget participatif Paris 12e",
			Summary: "<p>Les idées du 12e.</p>", Host: "paris12.example", State: "accepted", Since: f.now.Add(-48 * time.Hour), Accepted: &accepted},
		{ActorID: "https://lyon.example/spaces/velo", Handle: "@velo@lyon.example", Name: "Vélo à Lyon",
			Host: "lyon.example", State: "pending", Since: f.now.Add(-time.Hour)},
		{ActorID: "https://nantes.example/spaces/parcs", Handle: "@parcs@nantes.example", Name: "Parcs de Nantes",
			Host: "nantes.example", State: "rejected", Since: f.now.Add(-72 * time.Hour)},
	}
	f.items = []cities.RemoteItem{
		{ID: fedProposal, Type: "Page", Space: fedSpace, Author: "Inès Martin", AuthorID: "https://paris12.example/users/ines",
			Name: "Des bancs à l’ombre place Daumesnil", ContentHTML: "<p>Des bancs <strong>sous les arbres</strong>.</p>",
			URL: fedProposal, State: "review", Supports: 42, Published: f.now.Add(-24 * time.Hour)},
		{ID: "https://lyon.example/notes/1", Type: "Note", Space: fedSpace, Author: "Paul Roche", AuthorID: "https://lyon.example/users/paul",
			ContentHTML: "<p>Oui, et des fontaines.</p>", InReplyTo: fedProposal, Published: f.now.Add(-20 * time.Hour)},
		{ID: fedSecond, Type: "Page", Space: fedSpace, Author: "Léa Dupont", AuthorID: "https://paris12.example/users/lea",
			Name: "Un composteur rue de Charenton", ContentHTML: "<p>Pour les déchets verts.</p>",
			URL: fedSecond, State: "published", Supports: 1, Published: f.now.Add(-2 * time.Hour)},
		{ID: fedProject, Type: "Page", Space: fedSpace, Author: "Budget participatif Paris 12e", AuthorID: fedSpace,
			Name: "Un jardin partagé", ContentHTML: "<p>Des bacs.</p>", URL: fedProject, Published: f.now.Add(-30 * time.Hour),
			Budget: &cities.RemoteBudget{Edition: "Budget 2026", Heading: "Bel-Air", Ref: "7", Cost: 120_000, Spent: 45_000, Votes: 312,
				Currency: "EUR", Funded: true, Status: "works", Progress: 40}},
	}
	f.peers = []cities.PeerStatus{
		{Host: "paris12.example", LastSuccess: &ok, Failures: 0},
		{Host: "lyon.example", LastSuccess: &accepted, LastFailure: &down, Failures: 7, UnreachableSince: &down, LastError: "dial tcp: connection refused"},
	}
	f.waiting, f.failing = 5, 2
	f.blocks = []cities.DomainBlock{{Host: "spam.example", Severity: "suspend", Reason: "Pourriels", Since: f.now.Add(-240 * time.Hour)}}
	f.parked = []cities.ParkedJob{{ID: 41, Kind: "ap_inbox", Summary: "Create from https://spam.example/users/x", Attempts: 5,
		LastError: "panic: <script>boom</script>", At: f.now.Add(-time.Hour)}}
	return f
}

// newFederatedNode is newParticipationNode (SQLite) with fed as the
// node's federation.
func newFederatedNode(t testing.TB, fed frontend.Federation) *frontendtest.Node {
	t.Helper()
	return frontendtest.NewNodeOn(t, storagetest.MigratedDB(t, "sqlite"), func(d *frontend.Deps) { d.Federation = fed })
}

func (f *fakeFederation) ParkedJobs(_ context.Context, limit int) ([]cities.ParkedJob, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.parked[:min(limit, len(f.parked))]), f.errs["ParkedJobs"]
}

// RetryParked leaves the job listed (the real one runs it again).
func (f *fakeFederation) RetryParked(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("RetryParked", fmt.Sprint(id)); err != nil {
		return err
	}
	if !slices.ContainsFunc(f.parked, func(j cities.ParkedJob) bool { return j.ID == id }) {
		return fmt.Errorf("%w: no parked job %d", cities.ErrFederationInput, id)
	}
	return nil
}

func (f *fakeFederation) DropParked(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("DropParked", fmt.Sprint(id)); err != nil {
		return err
	}
	i := slices.IndexFunc(f.parked, func(j cities.ParkedJob) bool { return j.ID == id })
	if i < 0 {
		return fmt.Errorf("%w: no parked job %d", cities.ErrFederationInput, id)
	}
	f.parked = slices.Delete(f.parked, i, i+1)
	return nil
}
