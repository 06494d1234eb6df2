package frontend_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	accountpages "agora/frontend/accounts"

	"agora/frontend/admin"
	"agora/frontend/desk"
	"agora/frontend/frontendtest"
	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/storage/storagetest"
)

// guardedPrefixes are the paths of the accounts surface that only some
// accounts may use: a resident's own account, passkeys added to it,
// signing out, the desk and the administration.
var guardedPrefixes = []string{"/account", "/webauthn/add/", "/logout", "/desk", "/admin"}

// guard is one route of the guarded surface: who may use it, and what it
// answers them for the body sent (a body that changes nothing where
// possible: the test is about who gets in, not what happens next).
type guard struct {
	method, path string // path as registered, with {id} for the resident's id
	role         accounts.Role
	form         url.Values
	json         bool // the body is JSON ({}), for the passkey ceremony
	allowed      int  // the status a holder of role gets
}

// guards lists every guarded route. TestGuardTableIsComplete fails when a
// route is registered without a line here.
var guards = []guard{
	// A resident's own account: every signed-in account.
	{"GET", "/account", accounts.Resident, nil, false, http.StatusOK},
	{"POST", "/account", accounts.Resident, url.Values{}, false, http.StatusBadRequest},
	{"POST", "/logout", accounts.Resident, url.Values{}, false, http.StatusSeeOther},
	{"POST", "/webauthn/add/begin", accounts.Resident, nil, true, http.StatusOK},
	{"POST", "/webauthn/add/finish", accounts.Resident, nil, true, http.StatusBadRequest},
	{"POST", "/account/profile", accounts.Resident, url.Values{}, false, http.StatusBadRequest},
	{"POST", "/account/supports", accounts.Resident, url.Values{}, false, http.StatusSeeOther},
	{"POST", "/account/passkeys/{id}/rename", accounts.Resident, url.Values{}, false, http.StatusBadRequest},
	{"POST", "/account/passkeys/{id}/remove", accounts.Resident, url.Values{}, false, http.StatusNotFound},
	{"GET", "/account/recovery-codes", accounts.Resident, nil, false, http.StatusOK},
	{"POST", "/account/recovery-codes", accounts.Resident, url.Values{}, false, http.StatusOK},
	{"GET", "/account/sessions", accounts.Resident, nil, false, http.StatusOK},
	{"POST", "/account/sessions/end", accounts.Resident, url.Values{"id": {"none"}}, false, http.StatusNotFound},
	{"POST", "/account/residency/letter", accounts.Resident, url.Values{}, false, http.StatusBadRequest},
	{"POST", "/account/residency/census", accounts.Resident, url.Values{}, false, http.StatusBadRequest},
	{"POST", "/account/delete", accounts.Resident, url.Values{}, false, http.StatusBadRequest},
	{"POST", "/account/delete/cancel", accounts.Resident, url.Values{}, false, http.StatusConflict},
	{"GET", "/account/history", accounts.Resident, nil, false, http.StatusOK},

	// The desk: agents only.
	{"GET", "/desk", accounts.Agent, nil, false, http.StatusOK},
	{"POST", "/desk/name", accounts.Agent, url.Values{}, false, http.StatusBadRequest},
	{"GET", "/desk/accounts/new", accounts.Agent, nil, false, http.StatusOK},
	{"POST", "/desk/accounts/new", accounts.Agent, url.Values{}, false, http.StatusBadRequest},
	{"GET", "/desk/accounts/{id}", accounts.Agent, nil, false, http.StatusOK},
	{"POST", "/desk/accounts/{id}/verify", accounts.Agent, url.Values{}, false, http.StatusBadRequest},
	{"POST", "/desk/accounts/{id}/revoke", accounts.Agent, url.Values{}, false, http.StatusBadRequest},
	{"POST", "/desk/accounts/{id}/profile", accounts.Agent, url.Values{}, false, http.StatusBadRequest},
	{"POST", "/desk/accounts/{id}/sheet", accounts.Agent, url.Values{}, false, http.StatusBadRequest},

	// The administration: admins only.
	{"GET", "/admin", accounts.Admin, nil, false, http.StatusOK},
	{"GET", "/admin/audit", accounts.Admin, nil, false, http.StatusOK},
	{"GET", "/admin/accounts", accounts.Admin, nil, false, http.StatusOK},
	{"POST", "/admin/accounts/{id}/roles", accounts.Admin, url.Values{}, false, http.StatusBadRequest},
	{"GET", "/admin/residency", accounts.Admin, nil, false, http.StatusOK},
	{"POST", "/admin/residency/letters", accounts.Admin, url.Values{}, false, http.StatusBadRequest},
	{"POST", "/admin/residency/census", accounts.Admin, url.Values{}, false, http.StatusBadRequest},
}

// registeredGuarded walks the route tables of the account pages, the desk
// and the administration, and returns "METHOD path" for every route under
// a guarded prefix.
func registeredGuarded(t *testing.T) []string {
	t.Helper()
	all := frontendtest.Routes(t, func(k *web.Kit) error {
		if err := accountpages.Register(k, accountpages.Deps{}); err != nil {
			return err
		}
		if err := desk.Register(k); err != nil {
			return err
		}
		return admin.Register(k, admin.Deps{Accounts: k.Accounts()})
	})
	var out []string
	for _, route := range all {
		_, path, _ := strings.Cut(route, " ")
		if slices.ContainsFunc(guardedPrefixes, func(p string) bool { return strings.HasPrefix(path, p) }) {
			out = append(out, route)
		}
	}
	return out
}

// A guarded route added to the router without a line in the table fails
// here, so the table stays complete; a line for a route that no longer
// exists fails too.
func TestGuardTableIsComplete(t *testing.T) {
	registered := registeredGuarded(t)
	if len(registered) == 0 {
		t.Fatal("no guarded route found: is the walk broken?")
	}
	var listed []string
	for _, g := range guards {
		listed = append(listed, g.method+" "+g.path)
	}
	for _, r := range registered {
		if !slices.Contains(listed, r) {
			t.Errorf("route %s is registered but missing from the guards table", r)
		}
	}
	for _, l := range listed {
		if !slices.Contains(registered, l) {
			t.Errorf("guards table lists %s, which is not a registered route", l)
		}
	}
	slices.Sort(listed)
	if d := slices.Compact(slices.Clone(listed)); len(d) != len(listed) {
		t.Errorf("guards table lists a route twice")
	}
}

// Every guarded route, for every kind of visitor: anonymous pages send to
// the sign-in page, anonymous posts get 401, accounts without the role
// get 403, and holders of the role get through.
func TestRouteGuards(t *testing.T) {
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		n := frontendtest.NewStaffNode(t, dialect)
		target := n.Account(t, "target")
		visitors := append([]accounts.Role{""}, accounts.Roles...)
		for _, g := range guards {
			for _, v := range visitors {
				name := string(v)
				if v == "" {
					name = "anonymous"
				}
				t.Run(g.method+" "+g.path+" as "+name, func(t *testing.T) {
					path := strings.ReplaceAll(g.path, "{id}", target.ID)
					if strings.HasPrefix(g.path, "/account/passkeys/") {
						path = strings.ReplaceAll(g.path, "{id}", base64.RawURLEncoding.EncodeToString([]byte("no such passkey")))
					}
					token := ""
					if v != "" {
						token = n.Session(t, n.Staff[v]) // a fresh session: /logout ends it
					}
					w := requestGuard(n, g, path, token)
					want := g.allowed
					switch {
					case v == "":
						want = http.StatusUnauthorized
						if g.method == http.MethodGet {
							want = http.StatusSeeOther
						}
					case g.role != accounts.Resident && g.role != v:
						want = http.StatusForbidden
					}
					if w.Code != want {
						t.Fatalf("status %d, want %d\n%.600s", w.Code, want, w.Body)
					}
					if v == "" && g.method == http.MethodGet {
						if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "/login?next=") {
							t.Errorf("redirect to %q, want the sign-in page", loc)
						}
					}
				})
			}
		}
	})
}

// requestGuard sends the request of one guard line.
func requestGuard(n *frontendtest.Node, g guard, path, token string) *httptest.ResponseRecorder {
	if !g.json {
		return n.Request(g.method, path, token, g.form)
	}
	r := httptest.NewRequest(g.method, path, strings.NewReader("{}"))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Accept", "application/json")
	if token != "" {
		r.AddCookie(&http.Cookie{Name: "agora_session", Value: token})
	}
	w := httptest.NewRecorder()
	n.H.ServeHTTP(w, r)
	return w
}
