package frontend_test

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"agora/frontend"
	"agora/frontend/cities"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/instances/decisions"
	"agora/instances/demo"
	"agora/instances/projects"
	"agora/storage/storagetest"
)

// The demo as a newcomer meets it, for the tests that walk every page:
// the demo's content (instances/demo), plus what the demo may not hold
// yet and the pages need to show something (apps in the catalogue, a
// hidden comment and its report, a followed city, varied audit entries).

// demoNode is a node loaded with the demo, and the people to visit it as.
type demoNode struct {
	*frontendtest.Node
	// As are the visitors: "" is anonymous.
	As map[string]*accounts.Account
}

// visitor is someone the pages are visited as: acc nil is anonymous.
type visitor struct {
	name string
	acc  *accounts.Account
}

// visitors are the demo's admin, a moderator, a resident and an
// anonymous visitor.
func (n *demoNode) visitors() []visitor {
	return []visitor{{"anonymous", nil}, {"admin", n.As["demo_admin"]}, {"moderator", n.As["moderator"]}, {"resident", n.As["camille"]}}
}

func newDemoNode(t testing.TB) *demoNode {
	t.Helper()
	db := storagetest.MigratedDB(t, "sqlite")
	var catalogue *apps.Service
	n := frontendtest.NewNodeOn(t, db, func(d *frontend.Deps) {
		catalogue = apps.NewService(db, d.Blobs, d.Now, apps.Options{})
		d.Apps = catalogue
		d.Federation = demoFederation{}
		d.Decisions = decisions.NewService(db, d.Accounts, d.Spaces, d.Now)
		d.Voting = projects.NewVoting(db, d.Projects, d.Decisions, d.Now)
	})
	ctx := t.Context()
	// The whole demo: its catalogue, its moderation log, its votes and
	// last year's participatory budget, as serve --demo loads them.
	if err := demo.Load(ctx, demo.Services{Accounts: n.Accounts, Spaces: n.Spaces, Proposals: n.Proposals, Debates: n.Debates,
		Moderation: n.Moderation, Apps: catalogue, Site: n.Deps.Site, Projects: n.Deps.Projects,
		Decisions: func(now func() time.Time) *decisions.Service {
			return decisions.NewService(db, n.Accounts, n.Spaces, now)
		},
		Voting: func(now func() time.Time) *projects.Voting {
			return projects.NewVoting(db, n.Deps.Projects, decisions.NewService(db, n.Accounts, n.Spaces, now), now)
		},
	}, n.Clock.Now()); err != nil {
		t.Fatalf("load the demo: %v", err)
	}
	dn := &demoNode{Node: n, As: map[string]*accounts.Account{}}
	for _, h := range []string{"demo_admin", "camille"} {
		acc, err := n.Accounts.ByHandle(ctx, h)
		if err != nil {
			t.Fatalf("demo account %s: %v", h, err)
		}
		dn.As[h] = acc
	}
	// A moderator who is only that.
	dn.As["moderator"] = n.Staff[accounts.Moderator]

	// Sign-ins of every kind, and a letter batch, for the audit log.
	for _, via := range []string{"passkey", "link", "recovery", "setup"} {
		if _, err := n.Accounts.StartSession(ctx, dn.As["camille"].ID, "Firefox", via); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := n.Accounts.NewLetterBatch(ctx, accounts.As(dn.As["demo_admin"]), 3, 90*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	return dn
}

// demoFederation is a federation with one followed city, for the "Other
// cities" pages and the admin's federation page; it changes nothing.
type demoFederation struct{ frontend.Federation }

var demoSince = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

func (demoFederation) FollowedSpaces(context.Context) ([]cities.RemoteSpace, error) {
	return []cities.RemoteSpace{{ActorID: "https://lyon.example/spaces/budget", Handle: "@budget@lyon.example",
		Name: "Budget participatif de Lyon", Host: "lyon.example", State: "accepted", Since: demoSince, Accepted: &demoSince}}, nil
}

func (demoFederation) RemoteProposals(context.Context, string, int) ([]cities.RemoteItem, error) {
	return []cities.RemoteItem{demoRemoteItem}, nil
}

func (demoFederation) RemoteItem(context.Context, string) (cities.RemoteItem, []cities.RemoteItem, error) {
	return demoRemoteItem, nil, nil
}

var demoRemoteItem = cities.RemoteItem{ID: "https://lyon.example/proposals/1", Type: "Page",
	Space: "https://lyon.example/spaces/budget", Author: "Claire", Name: "Des fontaines sur les quais",
	ContentHTML: "<p>Des fontaines à boire le long du Rhône.</p>", URL: "https://lyon.example/proposals/1",
	State: "review", Supports: 12, Published: demoSince, Updated: demoSince}

func (demoFederation) Peers(context.Context) ([]cities.PeerStatus, error) {
	return []cities.PeerStatus{{Host: "lyon.example", LastSuccess: &demoSince}}, nil
}
func (demoFederation) QueueDepth(context.Context) (int, int, error) { return 0, 0, nil }
func (demoFederation) Blocks(context.Context) ([]cities.DomainBlock, error) {
	return []cities.DomainBlock{{Host: "spam.example", Severity: "suspend", Reason: "Publicités en masse", Since: demoSince}}, nil
}
func (demoFederation) ParkedJobs(context.Context, int) ([]cities.ParkedJob, error) { return nil, nil }
func (demoFederation) Reactions(context.Context, string, string) (int, int, error) {
	return 2, 1, nil
}

// crawl visits, through the handler, every page reachable by links from
// the start pages, as the visitor with the session token ("" for none),
// and calls visit with each page's path and parsed document. Links to
// files, feeds, the API and other languages are not followed, and of the
// pages of one route (/proposals/{id}) only the first few are visited.
func (n *demoNode) crawl(t *testing.T, token string, start []string, visit func(path string, doc *html.Node)) []string {
	t.Helper()
	seen := map[string]bool{}
	perRoute := map[string]int{}
	queue := slices.Clone(start)
	var visited []string
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		key := routeKey(p)
		if perRoute[key] >= 3 {
			continue
		}
		perRoute[key]++
		w := n.Request("GET", p, token, nil)
		if w.Code != 200 {
			if w.Code/100 == 3 || w.Code == 403 && slices.Contains(start, p) {
				continue // sign-in redirects, and start pages this visitor may not see
			}
			t.Errorf("GET %s: status %d", p, w.Code)
			continue
		}
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			continue
		}
		// As without scripts, so that what noscript holds is read as
		// elements: it is what such a reader gets.
		doc, err := html.ParseWithOptions(w.Body, html.ParseOptionEnableScripting(false))
		if err != nil {
			t.Fatalf("parse %s: %v", p, err)
		}
		visited = append(visited, p)
		visit(p, doc)
		for _, href := range links(doc) {
			if next, ok := followable(p, href); ok && !seen[next] {
				queue = append(queue, next)
			}
		}
	}
	return visited
}

// links are the href of a document's links.
func links(doc *html.Node) []string {
	var out []string
	for nd := range doc.Descendants() {
		if nd.Type == html.ElementNode && nd.Data == "a" {
			for _, a := range nd.Attr {
				if a.Key == "href" {
					out = append(out, a.Val)
				}
			}
		}
	}
	return out
}

var skipPaths = regexp.MustCompile(`^/(static|api|site\.css|site/logo|metrics|healthz|readyz)(/|$)|\.(atom|yml|json)$|/(attachments|artifacts|media)/`)

// followable resolves href against the page at from and says whether the
// crawl follows it: same node, a page (not a file), same language.
func followable(from, href string) (string, bool) {
	base, _ := url.Parse("http://localhost" + from)
	u, err := base.Parse(href)
	if err != nil || u.Host != "localhost" || u.Scheme != "http" {
		return "", false
	}
	q := u.Query()
	if q.Has("lang") || skipPaths.MatchString(u.Path) {
		return "", false
	}
	u.Fragment = ""
	return u.RequestURI(), true
}

// routeKey names the route of a path, roughly: the values after a
// collection's name (/proposals/{id}) are one route.
func routeKey(p string) string {
	u, _ := url.Parse(p)
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	collections := map[string]bool{"spaces": true, "proposals": true, "debates": true, "comments": true, "apps": true,
		"people": true, "accounts": true, "reports": true, "item": true}
	for i := 1; i < len(segs); i++ {
		if collections[segs[i-1]] {
			segs[i] = "*"
		}
	}
	key := "/" + strings.Join(segs, "/")
	if u.RawQuery != "" {
		key += "?"
	}
	return key
}
