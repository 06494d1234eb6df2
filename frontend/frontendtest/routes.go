package frontendtest

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/storage/ratelimit"
	"agora/storage/storagetest"
)

// Routes lets register add surfaces to a kit of their own (with the
// accounts service, on SQLite) and returns "METHOD path" for every route
// they added, HEAD left out, sorted: what a surface's route table holds,
// for tests that check every route has its line in a guard table.
func Routes(t testing.TB, register func(*web.Kit) error) []string {
	t.Helper()
	db := storagetest.MigratedDB(t, "sqlite")
	k, err := web.New(web.Config{NodeName: "Paris 15e", BaseURL: MustURL(t, "http://localhost")},
		web.Deps{Accounts: accounts.NewService(db, nil), Limiter: ratelimit.New(db, Secret, nil), Secret: Secret})
	if err != nil {
		t.Fatal(err)
	}
	if err := register(k); err != nil {
		t.Fatal(err)
	}
	var out []string
	err = k.Router().Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		if route.GetHandler() == nil {
			return nil // a first segment's router (web.Kit.routerFor), walked into
		}
		path, err := route.GetPathTemplate()
		if err != nil {
			return err
		}
		if strings.HasPrefix(path, "/static/") || path == "/favicon.ico" || path == "/robots.txt" { // the kit's own
			return nil
		}
		methods, err := route.GetMethods()
		if err != nil {
			return err
		}
		for _, m := range methods {
			if m != http.MethodHead {
				out = append(out, m+" "+path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
