// Package frontendtest builds whole nodes for the tests of the surfaces:
// the assembled handler over a fresh migrated database of one dialect, a
// blob store and a clock tests can move, wired as cmd/agora/serve.go does,
// with one account per role. Only tests import it.
//
// A surface's tests are an external test package (package xxx_test): the
// node they get holds every surface, as residents meet it.
package frontendtest

import (
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/uptrace/bun"

	"agora/frontend"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/notifications"
	"agora/instances/projects"
	"agora/instances/proposals"
	"agora/instances/reports"
	"agora/instances/search"
	"agora/instances/site"
	"agora/instances/spaces"
	"agora/storage/ratelimit"
	"agora/storage/storagetest"
)

// Secret is the node secret of test nodes.
var Secret = []byte("frontend test secret, 32 bytes..")

// Clock is a clock tests move.
type Clock = storagetest.Clock

// Node is a node's handler and the services behind it.
type Node struct {
	H        http.Handler
	Accounts *accounts.Service
	DB       *bun.DB
	// Staff holds one account per role, holding only that role
	// (handle staff_<role>; the resident's holds none).
	Staff map[accounts.Role]*accounts.Account

	// Set by NewNode and NewNodeOn, nil on a staff node.
	Spaces     *spaces.Service
	Proposals  *proposals.Service
	Debates    *debates.Service
	Moderation *moderation.Service
	Reports    *reports.Service
	Clock      *Clock
	Deps       frontend.Deps // what the handler was built with
}

// NewStaffNode is a node with the account surfaces only (accounts, desk,
// administration) on a fresh database of the dialect.
func NewStaffNode(t testing.TB, dialect string) *Node {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	svc := accounts.NewService(db, nil)
	deps := frontend.Deps{
		Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Accounts: svc, Limiter: ratelimit.New(db, Secret, nil), Secret: Secret,
	}
	n := &Node{H: handler(t, deps), Accounts: svc, DB: db, Deps: deps}
	n.addStaff(t)
	return n
}

// NewNode is a node with every surface on a fresh database of the
// dialect and a local blob store.
func NewNode(t testing.TB, dialect string) *Node {
	t.Helper()
	return NewNodeOn(t, storagetest.MigratedDB(t, dialect))
}

// BulkProposals is how many proposals an author of a test node may
// publish: tests fill lists and feeds from one account at a frozen
// clock, far past what residents may (the limits have their own tests).
var BulkProposals = []ratelimit.Rule{{Max: 10_000, Window: time.Minute}}

// NewNodeOn builds the node over db; tweaks change its Deps before the
// handler is made (a fake Federation, the catalogue...).
func NewNodeOn(t testing.TB, db *bun.DB, tweaks ...func(*frontend.Deps)) *Node {
	t.Helper()
	clock := storagetest.NewClock(time.Now().UTC())
	md := markup.New()
	acc := accounts.NewService(db, clock.Now)
	sp := spaces.NewService(db, md, clock.Now)
	pr := proposals.NewService(db, md, acc, sp, clock.Now, proposals.WithProposalLimits(BulkProposals, nil))
	dbt := debates.NewService(db, md, clock.Now)
	mod := moderation.NewService(db, clock.Now)
	deps := frontend.Deps{
		Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Accounts: acc, Limiter: ratelimit.New(db, Secret, clock.Now), Secret: Secret,
		Spaces: sp, Proposals: pr, Debates: dbt, Moderation: mod, Markup: md,
		Blobs: storagetest.NewBlobStore(t, "local"), Site: site.NewService(db, clock.Now), Now: clock.Now,
		Notifications: notifications.NewService(db, clock.Now),
		Search:        search.NewService(db),
		Reports:       reports.NewService(db, clock.Now),
	}
	deps.Projects = projects.NewService(db, deps.Blobs, clock.Now)
	for _, tweak := range tweaks {
		tweak(&deps)
	}
	n := &Node{H: handler(t, deps), Accounts: acc, DB: db, Spaces: sp, Proposals: pr, Debates: dbt, Moderation: mod,
		Reports: deps.Reports, Clock: clock, Deps: deps}
	n.addStaff(t)
	return n
}

func handler(t testing.TB, deps frontend.Deps) http.Handler {
	t.Helper()
	h, err := frontend.New(frontend.Config{NodeName: "Paris 15e", BaseURL: MustURL(t, "http://localhost")}, deps)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (n *Node) addStaff(t testing.TB) {
	t.Helper()
	n.Staff = map[accounts.Role]*accounts.Account{}
	for _, role := range accounts.Roles {
		n.Staff[role] = n.Account(t, "staff_"+string(role), role)
	}
}

// Account opens an account with the given roles, as the command line
// does; an official answers for "Voirie".
func (n *Node) Account(t testing.TB, handle string, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	in := accounts.NewAccount{Handle: handle, DisplayName: "Test " + handle, Roles: roles}
	for _, r := range roles {
		if r == accounts.Official {
			in.Service = "Voirie"
		}
	}
	acc, err := n.Accounts.Create(t.Context(), accounts.System, in)
	if err != nil {
		t.Fatalf("create %s: %v", handle, err)
	}
	return acc
}

// Session signs an account in and returns its cookie token.
func (n *Node) Session(t testing.TB, acc *accounts.Account) string {
	t.Helper()
	token, err := n.Accounts.StartSession(t.Context(), acc.ID, "test", "passkey")
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// SessionCookie is the name of the session cookie of a node on http.
const SessionCookie = "agora_session"

// Request sends one request, signed in with token unless it is empty; a
// form is sent url-encoded in the body of a POST.
func (n *Node) Request(method, target, token string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		r.AddCookie(&http.Cookie{Name: SessionCookie, Value: token})
	}
	for _, c := range cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	n.H.ServeHTTP(w, r)
	return w
}

// Audit returns the audit entries matching f, read as the node.
func (n *Node) Audit(t testing.TB, f accounts.AuditFilter) []accounts.AuditEntry {
	t.Helper()
	entries, err := n.Accounts.AuditLog(t.Context(), accounts.System, f)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// Count returns the number of rows of a table.
func (n *Node) Count(t testing.TB, table string) int {
	t.Helper()
	c, err := n.DB.NewSelect().TableExpr(table).Count(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return int(c)
}

// WantStatus fails the test unless the answer has the status.
func WantStatus(t testing.TB, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d\n%s", w.Code, status, w.Body)
	}
}

// WantBody fails the test unless the body holds every string.
func WantBody(t testing.TB, w *httptest.ResponseRecorder, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(w.Body.String(), s) {
			t.Errorf("body lacks %q\n%s", s, w.Body)
		}
	}
}

// MustURL parses a URL or fails the test.
func MustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// OnEachDialect runs fn, in parallel, on a fresh node of each dialect
// made by newNode (NewNode, NewStaffNode).
func OnEachDialect(t *testing.T, newNode func(testing.TB, string) *Node, fn func(t *testing.T, n *Node)) {
	t.Helper()
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		fn(t, newNode(t, dialect))
	})
}

// Cookie returns the cookie of that name the answer sets, or nil.
func Cookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Desk is the name of the desk agents work at in tests.
const Desk = "Mairie du 15e – guichet 2"

var confirmToken = regexp.MustCompile(`name="confirm" value="([^"]+)"`)

// Confirmed posts form to target as Request does, which must answer with
// the page asking to confirm a sensitive act, then posts it again with
// that page's token, and returns the second answer.
func (n *Node) Confirmed(t testing.TB, target, token string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	w := n.Request("POST", target, token, form)
	again := url.Values{"confirm": {ConfirmToken(t, w)}}
	for k, v := range form {
		again[k] = v
	}
	return n.Request("POST", target, token, again)
}

// ConfirmToken is the token of a page asking to confirm a sensitive act.
func ConfirmToken(t testing.TB, w *httptest.ResponseRecorder) string {
	t.Helper()
	m := confirmToken.FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusOK || m == nil {
		t.Fatalf("status %d, want the page asking to confirm\n%s", w.Code, w.Body)
	}
	return html.UnescapeString(m[1])
}
