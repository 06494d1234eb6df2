package frontend

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/storage/ratelimit"
	"agora/storage/storagetest"
)

// staffNode is a node with the accounts surface on a real database, and
// one account per role, for the desk, administration and guard tests.
type staffNode struct {
	h     http.Handler
	svc   *accounts.Service
	db    *bun.DB
	staff map[accounts.Role]*accounts.Account // one account holding only that role (Resident: none)
}

var testSecret = []byte("frontend test secret, 32 bytes..")

// newStaffNode builds the node's handler over a fresh migrated database
// of the dialect, wired as cmd/agora/serve.go does.
func newStaffNode(t testing.TB, dialect string) *staffNode {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	svc := accounts.NewService(db, nil)
	h, err := New(Config{NodeName: "Paris 15e", BaseURL: mustURL(t, "http://localhost")}, Deps{
		Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Accounts: svc, Limiter: ratelimit.New(db, testSecret, nil), Secret: testSecret,
	})
	if err != nil {
		t.Fatal(err)
	}
	n := &staffNode{h: h, svc: svc, db: db, staff: map[accounts.Role]*accounts.Account{}}
	for _, role := range accounts.Roles {
		n.staff[role] = n.account(t, "staff_"+string(role), role)
	}
	return n
}

// account opens an account with the given roles, as the command line
// does.
func (n *staffNode) account(t testing.TB, handle string, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	in := accounts.NewAccount{Handle: handle, DisplayName: "Test " + handle, Roles: roles}
	for _, r := range roles {
		if r == accounts.Official {
			in.Service = "Voirie"
		}
	}
	acc, err := n.svc.Create(t.Context(), accounts.System, in)
	if err != nil {
		t.Fatalf("create %s: %v", handle, err)
	}
	return acc
}

// session signs an account in and returns its cookie token.
func (n *staffNode) session(t testing.TB, acc *accounts.Account) string {
	t.Helper()
	token, err := n.svc.StartSession(t.Context(), acc.ID, "test", "passkey")
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// request sends one request, signed in with token unless it is empty; a
// form is sent url-encoded in the body of a POST.
func (n *staffNode) request(method, target, token string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		r.AddCookie(&http.Cookie{Name: "agora_session", Value: token})
	}
	for _, c := range cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	n.h.ServeHTTP(w, r)
	return w
}

// audit returns the audit entries matching f, read as the node.
func (n *staffNode) audit(t *testing.T, f accounts.AuditFilter) []accounts.AuditEntry {
	t.Helper()
	entries, err := n.svc.AuditLog(t.Context(), accounts.System, f)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// count returns the number of rows of a table.
func (n *staffNode) count(t *testing.T, table string) int {
	t.Helper()
	c, err := n.db.NewSelect().TableExpr(table).Count(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return int(c)
}

// wantStatus fails the test unless the answer has the status.
func wantStatus(t *testing.T, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d\n%s", w.Code, status, w.Body)
	}
}

// wantBody fails the test unless the body holds every string.
func wantBody(t *testing.T, w *httptest.ResponseRecorder, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(w.Body.String(), s) {
			t.Errorf("body lacks %q\n%s", s, w.Body)
		}
	}
}
