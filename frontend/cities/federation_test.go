package cities_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"agora/frontend/cities"
	"agora/frontend/frontendtest"
	"agora/frontend/web"

	"agora/instances/accounts"
)

// fedGuard is one route of federation's pages: what a visitor allowed in
// gets for the body sent.
type fedGuard struct {
	method, path string
	admin        bool // admins only; otherwise anyone may read (GET) or any signed-in account may post
	form         url.Values
	allowed      int
}

var fedGuards = []fedGuard{
	{"GET", "/admin/federation", true, nil, http.StatusOK},
	{"POST", "/admin/federation/follow", true, url.Values{"target": {"@velo@grenoble.example"}}, http.StatusSeeOther},
	{"POST", "/admin/federation/unfollow", true, url.Values{"actor": {"https://nantes.example/spaces/parcs"}}, http.StatusSeeOther},
	{"POST", "/admin/federation/blocks", true, url.Values{"host": {"bad.example"}, "severity": {"silence"}}, http.StatusOK}, // the page asking to confirm
	{"POST", "/admin/federation/blocks/remove", true, url.Values{"host": {"spam.example"}}, http.StatusSeeOther},
	{"POST", "/admin/federation/parked/{id}/retry", true, url.Values{}, http.StatusSeeOther},
	{"POST", "/admin/federation/parked/{id}/drop", true, url.Values{}, http.StatusSeeOther},
	{"GET", "/cities", false, nil, http.StatusOK},
	{"GET", "/cities/item?id=" + url.QueryEscape(fedProposal), false, nil, http.StatusOK},
	{"POST", "/cities/comment", false, url.Values{"id": {fedProposal}, "comment": {"Bonne idée"}}, http.StatusSeeOther},
}

// Every route the surface registers has a line in fedGuards, and
// every line is a registered route.
func TestFederationGuardTableIsComplete(t *testing.T) {
	registered := frontendtest.Routes(t, func(k *web.Kit) error { return cities.Register(k, newFakeFederation(), nil) })
	var listed []string
	for _, g := range fedGuards {
		path, _, _ := strings.Cut(g.path, "?")
		listed = append(listed, g.method+" "+path)
	}
	slices.Sort(registered)
	slices.Sort(listed)
	if !slices.Equal(registered, listed) {
		t.Errorf("registered routes %v\nlisted in fedGuards %v", registered, listed)
	}
}

// Each federation route for each kind of visitor: the admin's pages
// send anonymous readers to the sign-in page, answer 401 to anonymous
// posts and 403 to accounts that are not admins, and change nothing for
// them; the "Other cities" pages are open to all, their comment form to
// signed-in accounts.
func TestFederationRouteGuards(t *testing.T) {
	t.Parallel()
	fed := newFakeFederation().seed()
	n := newFederatedNode(t, fed)
	visitors := append([]accounts.Role{""}, accounts.Roles...)
	for _, g := range fedGuards {
		for _, v := range visitors {
			name := string(v)
			if v == "" {
				name = "anonymous"
			}
			t.Run(g.method+" "+g.path+" as "+name, func(t *testing.T) {
				token := ""
				if v != "" {
					token = n.Session(t, n.Staff[v])
				}
				before := len(fed.Calls())
				w := n.Request(g.method, strings.ReplaceAll(g.path, "{id}", "41"), token, g.form)
				want := g.allowed
				switch {
				case v == "" && g.method == http.MethodGet && g.admin:
					want = http.StatusSeeOther
				case v == "" && g.method == http.MethodPost:
					want = http.StatusUnauthorized
				case g.admin && v != accounts.Admin:
					want = http.StatusForbidden
				}
				if w.Code != want {
					t.Fatalf("status %d, want %d\n%.800s", w.Code, want, w.Body)
				}
				if v == "" && g.method == http.MethodGet && g.admin {
					if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "/login?next=") {
						t.Errorf("redirect to %q, want the sign-in page", loc)
					}
				}
				calls := fed.Calls()[before:]
				if want != g.allowed && len(calls) > 0 {
					t.Errorf("a refused visitor changed federation: %v", calls)
				}
				asked := strings.Contains(w.Body.String(), `name="confirm"`) // a sensitive act waits for confirmation
				if want == g.allowed && g.method == http.MethodPost && len(calls) != map[bool]int{true: 0, false: 1}[asked] {
					t.Errorf("calls %v, want one, none when confirmation is asked", calls)
				}
			})
		}
	}
}

// Without federation, its pages do not exist and nothing links to them.
func TestFederationOff(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewNode(t, "sqlite")
	admin := n.Session(t, n.Staff[accounts.Admin])
	for _, path := range []string{"/cities", "/admin/federation"} {
		frontendtest.WantStatus(t, n.Request("GET", path, admin, nil), http.StatusNotFound)
	}
	w := n.Request("GET", "/admin", admin, nil)
	frontendtest.WantStatus(t, w, http.StatusOK)
	for _, link := range []string{`href="/cities"`, `href="/admin/federation"`} {
		if strings.Contains(w.Body.String(), link) {
			t.Errorf("page links to %s with federation off", link)
		}
	}

	fn := newFederatedNode(t, newFakeFederation())
	w = fn.Request("GET", "/admin", fn.Session(t, fn.Staff[accounts.Admin]), nil)
	frontendtest.WantBody(t, w, `<a href="/cities">Autres villes</a>`, `href="/admin/federation"`)
	w = fn.Request("GET", "/?lang=en", "", nil)
	frontendtest.WantBody(t, w, `<a href="/cities">Other cities</a>`)
}

// The admin's page shows followed spaces with their state, peers with
// dates in the reader's language, the queue and the blocks.
func TestFederationAdminPage(t *testing.T) {
	t.Parallel()
	n := newFederatedNode(t, newFakeFederation().seed())
	admin := n.Session(t, n.Staff[accounts.Admin])
	tests := []struct {
		lang string
		want []string
	}{
		{"fr", []string{"<h1>Autres villes et fédération</h1>", "Budget participatif Paris 12e", "@budget@paris12.example",
			">Suivi</span>", ">En attente</span>", ">Refusé</span>", "22 novembre 2026 à 21:30", // accepted
			"<caption id=\"peers-caption\">", "<th scope=\"row\">lyon.example</th>", "24 novembre 2026 à 17:30", // unreachable since
			"dial tcp: connection refused", "<dt>En attente d’envoi</dt><dd>5</dd>", "<dd>2</dd>",
			"<th scope=\"row\">spam.example</th>", "<td>Suspendre</td>", "Pourriels",
			`action="/admin/federation/follow"`, `name="target"`, `action="/admin/federation/unfollow"`,
			`<option value="silence">Mettre en sourdine</option>`, "rien n’est reçu de ce serveur",
			`action="/admin/federation/blocks/remove"`}},
		{"en", []string{"<h1>Other cities and federation</h1>", ">Following</span>", ">Pending</span>", ">Refused</span>",
			"22 November 2026 at 21:30", "24 November 2026 at 17:30", "Waiting to be sent", "<td>Suspend</td>", "Stop following"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			w := n.Request("GET", "/admin/federation?lang="+tt.lang, admin, nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, tt.want...)
		})
	}
}

// redirected is where a redirect sends the browser, without the
// fragment, which a browser keeps to itself.
func redirected(w *httptest.ResponseRecorder) string {
	loc, _, _ := strings.Cut(w.Header().Get("Location"), "#")
	return loc
}

// fieldError returns the message shown next to a field, or "".
func fieldError(body, field string) string {
	m := regexp.MustCompile(`<p class="error" id="f-` + field + `-error">([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// A wrong address to follow is shown next to the field, in words, and
// nothing is asked of federation; an address federation cannot use is
// said the same way, and changes nothing.
func TestFederationFollowInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, target string
		fedErr       error
		want         string // the message next to the field; "" for a follow sent
		call         bool
	}{
		{"empty", "  ", nil, "Indiquez l’adresse de l’espace à suivre.", false},
		{"host alone", "paris12.example", nil, "Écrivez l’identifiant sous la forme @espace@serveur", false},
		{"name alone", "@budget", nil, "Écrivez l’identifiant sous la forme @espace@serveur", false},
		{"space in handle", "@bud get@paris12.example", nil, "Écrivez l’identifiant sous la forme", false},
		{"path as host", "@budget@paris12.example/x", nil, "Écrivez l’identifiant sous la forme", false},
		{"URL without host", "https:///spaces/budget", nil, "Cette adresse web n’est pas complète.", false},
		{"too long", "@" + strings.Repeat("a", 500) + "@x.example", nil, "Au plus 500 caractères.", false},
		{"unknown to federation", "@nobody@paris12.example", fmt.Errorf("%w: no actor", cities.ErrFederationInput),
			"Aucun espace n’a été trouvé à cette adresse", true},
		{"handle", "@velo@grenoble.example", nil, "", true},
		{"handle without @", "velo@grenoble.example", nil, "", true},
		{"group handle", "!velo@grenoble.example", nil, "", true},
		{"URL", "https://grenoble.example/spaces/velo", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fed := newFakeFederation().seed()
			if tt.fedErr != nil {
				fed.fail("FollowSpace", tt.fedErr)
			}
			n := newFederatedNode(t, fed)
			admin := n.Staff[accounts.Admin]
			token := n.Session(t, admin)
			followed := len(fed.followed)
			w := n.Request("POST", "/admin/federation/follow", token, url.Values{"target": {tt.target}})
			calls := fed.Calls()
			switch {
			case tt.call && !sameCalls(calls, []fedCall{{"FollowSpace", []string{strings.TrimSpace(tt.target), admin.ID}}}):
				t.Errorf("calls %v, want FollowSpace(%s, %s)", calls, tt.target, admin.ID)
			case !tt.call && len(calls) > 0:
				t.Errorf("bad input reached federation: %v", calls)
			}
			if tt.want == "" {
				frontendtest.WantStatus(t, w, http.StatusSeeOther)
				if loc := w.Header().Get("Location"); loc != "/admin/federation?done=follow_sent#following" {
					t.Errorf("redirect to %q", loc)
				}
				page := n.Request("GET", redirected(w), token, nil)
				frontendtest.WantBody(t, page, `<div class="notice" role="status"><p>Demande envoyée : la ville doit l’accepter.`)
				if got := strings.Count(page.Body.String(), ">En attente</span>"); got != 2 {
					t.Errorf("%d pending follows shown, want 2", got)
				}
				return
			}
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			if got := fieldError(w.Body.String(), "target"); !strings.Contains(got, tt.want) {
				t.Errorf("message next to the field %q, want %q", got, tt.want)
			}
			frontendtest.WantBody(t, w, `<div class="alert" role="alert">`, `aria-invalid="true"`)
			if !strings.Contains(w.Body.String(), `value="`+strings.TrimSpace(tt.target)+`"`) && len(tt.target) < 100 {
				t.Errorf("the typed address is not kept in the field")
			}
			if len(fed.followed) != followed {
				t.Errorf("followed spaces %d, want %d", len(fed.followed), followed)
			}
		})
	}
}

// A block with a bad host, severity or reason is refused next to the
// field, without reaching federation; a good one is recorded as typed,
// its host in lower case.
func TestFederationBlockInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                   string
		host, severity, reason string
		fedErr                 error
		field, want            string // "" for a block recorded
	}{
		{"no host", "", "suspend", "", nil, "host", "Indiquez le nom du serveur"},
		{"URL as host", "https://spam.example", "suspend", "", nil, "host", "Écrivez seulement le nom du serveur"},
		{"space in host", "spam .example", "suspend", "", nil, "host", "Écrivez seulement le nom du serveur"},
		{"handle as host", "@bob@spam.example", "suspend", "", nil, "host", "Écrivez seulement le nom du serveur"},
		{"no severity", "spam.example", "", "", nil, "severity", "Choisissez une des trois décisions"},
		{"unknown severity", "spam.example", "ban", "", nil, "severity", "Choisissez une des trois décisions"},
		{"reason too long", "spam.example", "suspend", strings.Repeat("x", 501), nil, "reason", "Au plus 500 caractères."},
		{"refused by federation", "spam.example", "suspend", "", fmt.Errorf("%w: host", cities.ErrFederationInput), "host", "Ce nom de serveur n’a pas été accepté."},
		{"silence", "Mastodon.Example", "silence", "Trop de pourriels", nil, "", ""},
		{"allow", "lyon.example", "allow", "", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fed := newFakeFederation().seed()
			if tt.fedErr != nil {
				fed.fail("SetBlock", tt.fedErr)
			}
			n := newFederatedNode(t, fed)
			admin := n.Staff[accounts.Admin]
			token := n.Session(t, admin)
			form := url.Values{"host": {tt.host}, "severity": {tt.severity}, "reason": {tt.reason}}
			var w *httptest.ResponseRecorder
			if tt.want == "" || tt.fedErr != nil {
				w = n.Confirmed(t, "/admin/federation/blocks", token, form)
			} else {
				w = n.Request("POST", "/admin/federation/blocks", token, form)
			}
			calls := fed.Calls()
			if tt.want == "" {
				frontendtest.WantStatus(t, w, http.StatusSeeOther)
				want := []fedCall{{"SetBlock", []string{strings.ToLower(tt.host), tt.severity, tt.reason, admin.ID}}}
				if !sameCalls(calls, want) {
					t.Errorf("calls %v, want %v", calls, want)
				}
				page := n.Request("GET", redirected(w), token, nil)
				frontendtest.WantBody(t, page, "Décision enregistrée pour ce serveur.", `<th scope="row">`+strings.ToLower(tt.host)+`</th>`)
				return
			}
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			if tt.fedErr == nil && len(calls) > 0 {
				t.Errorf("bad input reached federation: %v", calls)
			}
			if got := fieldError(w.Body.String(), tt.field); !strings.Contains(got, tt.want) {
				t.Errorf("message next to %s %q, want %q", tt.field, got, tt.want)
			}
			frontendtest.WantBody(t, w, `<div class="alert" role="alert">`)
			if len(fed.blocks) != 1 {
				t.Errorf("blocks %v, want the one there was", fed.blocks)
			}
		})
	}
}

// Unfollowing and lifting a block: the call, then the page says so;
// what federation refuses is said above the list.
func TestFederationUnfollowAndUnblock(t *testing.T) {
	t.Parallel()
	fed := newFakeFederation().seed()
	n := newFederatedNode(t, fed)
	token := n.Session(t, n.Staff[accounts.Admin])

	w := n.Request("POST", "/admin/federation/unfollow", token, url.Values{"actor": {fedSpace}})
	frontendtest.WantStatus(t, w, http.StatusSeeOther)
	page := n.Request("GET", redirected(w), token, nil)
	frontendtest.WantBody(t, page, "Vous ne suivez plus cet espace.")
	if strings.Contains(page.Body.String(), "Budget participatif Paris 12e") {
		t.Error("the space is still listed")
	}

	w = n.Request("POST", "/admin/federation/unfollow", token, url.Values{"actor": {fedSpace}})
	frontendtest.WantStatus(t, w, http.StatusBadRequest)
	frontendtest.WantBody(t, w, `<div class="alert" role="alert"><p>Cet espace n’a pas pu être retiré`)

	before := len(fed.Calls())
	w = n.Request("POST", "/admin/federation/blocks/remove", token, url.Values{"host": {""}})
	frontendtest.WantStatus(t, w, http.StatusBadRequest)
	frontendtest.WantBody(t, w, `<div class="alert" role="alert"><p>Cette décision n’a pas pu être levée.`)
	if calls := fed.Calls()[before:]; len(calls) > 0 {
		t.Errorf("bad input reached federation: %v", calls)
	}

	w = n.Request("POST", "/admin/federation/blocks/remove", token, url.Values{"host": {"spam.example"}})
	frontendtest.WantStatus(t, w, http.StatusSeeOther)
	page = n.Request("GET", redirected(w)+"&lang=en", token, nil)
	frontendtest.WantBody(t, page, "The block is lifted.", "No server is blocked.")
	want := []string{"UnfollowSpace(" + fedSpace + ")", "UnfollowSpace(" + fedSpace + ")", "RemoveBlock(spam.example)"}
	var got []string
	for _, c := range fed.Calls() {
		got = append(got, c.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("calls %v, want %v", got, want)
	}
}

// The "Other cities" pages, for anyone: the accepted spaces with their
// latest proposals, newest first, and their supports said as counted
// there; one proposal with its comments, oldest first, and their origin.
func TestCitiesPages(t *testing.T) {
	t.Parallel()
	fed := newFakeFederation().seed()
	fed.items = append(fed.items, cities.RemoteItem{ID: "https://paris12.example/notes/2", Type: "Note", Space: fedSpace,
		Author: "Inès Martin", AuthorID: "https://paris12.example/users/ines", ContentHTML: "<p>Merci Paul.</p>",
		InReplyTo: fedProposal, Published: fed.now.Add(-time.Hour)})
	n := newFederatedNode(t, fed)

	w := n.Request("GET", "/cities", "", nil)
	frontendtest.WantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	frontendtest.WantBody(t, w, "<h1>Autres villes</h1>", "Budget participatif Paris 12e", "paris12.example",
		"42 soutiens sur leur plateforme", "1 soutien sur leur plateforme", "Ils ne s’ajoutent pas aux soutiens d’ici.",
		`href="/cities/item?id=`+url.QueryEscape(fedProposal)+`"`, ">En examen</span>")
	for _, unwanted := range []string{"Vélo à Lyon", "Parcs de Nantes"} {
		if strings.Contains(body, unwanted) {
			t.Errorf("/cities lists %q, which is not accepted", unwanted)
		}
	}
	if strings.Index(body, "Un composteur") > strings.Index(body, "Des bancs") {
		t.Error("the latest proposals are not newest first")
	}
	w = n.Request("GET", "/cities?lang=en", "", nil)
	frontendtest.WantBody(t, w, "42 supports on their platform", "1 support on their platform", ">Under review</span>")

	item := "/cities/item?id=" + url.QueryEscape(fedProposal)
	w = n.Request("GET", item, "", nil)
	frontendtest.WantStatus(t, w, http.StatusOK)
	body = w.Body.String()
	frontendtest.WantBody(t, w, "<h1>Des bancs à l’ombre place Daumesnil</h1>", "<dd>Inès Martin</dd>", "<dd>paris12.example</dd>",
		"<dd>42 soutiens sur leur plateforme</dd>", "<strong>sous les arbres</strong>",
		`<a href="`+fedProposal+`" rel="nofollow">Voir l’original sur paris12.example</a>`,
		`>Paul Roche</a> <span class="origin">(lyon.example)</span>`, "Oui, et des fontaines.",
		`<a href="/login?next=`+url.QueryEscape(item+"#comment-add")+`">Connectez-vous pour commenter</a>`)
	if strings.Contains(body, `action="/cities/comment"`) {
		t.Error("an anonymous visitor sees the comment form")
	}
	if strings.Index(body, "Oui, et des fontaines.") > strings.Index(body, "Merci Paul.") {
		t.Error("comments are not oldest first")
	}
	w = n.Request("GET", item+"&lang=en", "", nil)
	frontendtest.WantBody(t, w, "42 supports on their platform", "See the original on paris12.example", "Sign in to comment")

	for _, bad := range []string{"", "nope", url.QueryEscape("https://paris12.example/nothing"), url.QueryEscape("https://lyon.example/notes/1")} {
		frontendtest.WantStatus(t, n.Request("GET", "/cities/item?id="+bad, "", nil), http.StatusNotFound)
	}

	empty := newFederatedNode(t, newFakeFederation())
	frontendtest.WantBody(t, empty.Request("GET", "/cities", "", nil), "Cette plateforme ne suit encore aucun espace d’une autre ville.")
}

// A project of another city's participatory budget shows its result,
// cost, stage and progress as its node counts them, in both languages;
// a project not funded shows no follow-up.
func TestCitiesBudgetProject(t *testing.T) {
	t.Parallel()
	fed := newFakeFederation().seed()
	fed.items = append(fed.items, cities.RemoteItem{ID: "https://paris12.example/budgets/projects/01JBANCS", Type: "Page", Space: fedSpace,
		Name: "Des bancs", URL: "https://paris12.example/budgets/projects/01JBANCS", Published: fed.now.Add(-30 * time.Hour),
		Budget: &cities.RemoteBudget{Cost: 70_000, Votes: 12, Currency: "EUR"}})
	n := newFederatedNode(t, fed)
	frontendtest.WantBody(t, n.Request("GET", "/cities", "", nil),
		"Financé · Coût : 120\u202f000\u00a0€ · Travaux, avancement : 40 %", "Non retenu · Coût : 70\u202f000\u00a0€")
	frontendtest.WantBody(t, n.Request("GET", "/cities?lang=en", "", nil),
		"Funded · Cost: €120,000 · Works, progress: 40%", "Not funded · Cost: €70,000")
	item := "/cities/item?id=" + url.QueryEscape(fedProject)
	frontendtest.WantBody(t, n.Request("GET", item, "", nil), "<h2 id=\"budget-figures\">Projet du budget participatif</h2>",
		"<dd>Budget 2026</dd>", "<dd>Bel-Air</dd>", "<dd>Financé</dd>", "<dd>120\u202f000\u00a0€</dd>", "<dd>312</dd>", "<dd>Travaux</dd>",
		`<progress max="100" value="40" aria-labelledby="budget-progress">40 %</progress>`, "<dd>45\u202f000\u00a0€</dd>")
	frontendtest.WantBody(t, n.Request("GET", item+"&lang=en", "", nil), "Participatory budget project", "<dd>Funded</dd>",
		"<dd>€120,000</dd>", "<dd>Works</dd>", "<dd>€45,000</dd>")
	w := n.Request("GET", "/cities/item?id="+url.QueryEscape("https://paris12.example/budgets/projects/01JBANCS"), "", nil)
	frontendtest.WantBody(t, w, "<dd>Non retenu</dd>", "<dd>70\u202f000\u00a0€</dd>")
	if strings.Contains(w.Body.String(), "<progress") {
		t.Error("a project not funded shows a progress bar")
	}
}

// Commenting on a proposal of another city: the comment goes to
// CommentRemote as typed; an empty one never leaves; a private account is
// told, in words, that only public profiles comment across cities.
func TestCityComment(t *testing.T) {
	t.Parallel()
	item := "/cities/item?id=" + url.QueryEscape(fedProposal)
	tests := []struct {
		name    string
		public  bool
		comment string
		fedErr  error
		status  int
		call    bool
		want    []string
	}{
		{"sent", true, "Bonne idée, **vraiment**.", nil, http.StatusSeeOther, true, nil},
		{"empty", true, "  \n ", nil, http.StatusBadRequest, false, []string{`<p class="error" id="f-comment-error">Écrivez votre commentaire avant de l’envoyer.</p>`}},
		{"too long", true, strings.Repeat("é", 5001), nil, http.StatusBadRequest, false, []string{`id="f-comment-error">Au plus 5000 caractères.`}},
		{"refused", true, "Bonne idée", fmt.Errorf("%w: gone", cities.ErrFederationInput), http.StatusBadRequest, true,
			[]string{`id="f-comment-error">Ce commentaire n’a pas pu être envoyé`}},
		{"private profile", false, "Bonne idée", fmt.Errorf("%w: only public profiles", cities.ErrFederationInput), http.StatusForbidden, true,
			[]string{`<div class="alert" role="alert">`, "Seules les personnes dont le profil est public peuvent commenter dans d’autres villes",
				`<a href="/account#profile">Rendre mon profil public</a>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fed := newFakeFederation().seed()
			if tt.fedErr != nil {
				fed.fail("CommentRemote", tt.fedErr)
			}
			n := newFederatedNode(t, fed)
			acc := n.Verified(t, "marie", tt.public)
			token := n.Session(t, acc)
			w := n.Request("POST", "/cities/comment", token, url.Values{"id": {fedProposal}, "comment": {tt.comment}})
			frontendtest.WantStatus(t, w, tt.status)
			frontendtest.WantBody(t, w, tt.want...)
			calls := fed.Calls()
			switch {
			case tt.call && !sameCalls(calls, []fedCall{{"CommentRemote", []string{acc.ID, fedProposal, strings.TrimSpace(tt.comment)}}}):
				t.Errorf("calls %v, want CommentRemote(%s, %s, %q)", calls, acc.ID, fedProposal, tt.comment)
			case !tt.call && len(calls) > 0:
				t.Errorf("a refused comment reached federation: %v", calls)
			}
			if tt.status == http.StatusSeeOther {
				loc := w.Header().Get("Location")
				if loc != item+"&done=commented#comments" {
					t.Fatalf("redirect to %q", loc)
				}
				page := n.Request("GET", redirected(w), token, nil)
				frontendtest.WantBody(t, page, "Votre commentaire est envoyé à leur plateforme.", `<span class="origin">(cette plateforme)</span>`)
			}
			if tt.status == http.StatusBadRequest && !strings.Contains(w.Body.String(), `action="/cities/comment"`) {
				t.Error("the form is not shown again")
			}
		})
	}

	t.Run("reading", func(t *testing.T) {
		t.Parallel()
		n := newFederatedNode(t, newFakeFederation().seed())
		public, private := n.Verified(t, "paul", true), n.Verified(t, "lea", false)
		w := n.Request("GET", item, n.Session(t, public), nil)
		frontendtest.WantBody(t, w, `action="/cities/comment"`, `<input type="hidden" name="id" value="`+fedProposal+`">`, `<label for="f-comment">`)
		w = n.Request("GET", item, n.Session(t, private), nil)
		frontendtest.WantBody(t, w, "Seules les personnes dont le profil est public", `href="/account#profile"`)
		if strings.Contains(w.Body.String(), `action="/cities/comment"`) || strings.Contains(w.Body.String(), `role="alert"`) {
			t.Error("a private account sees the comment form, or an alert before trying")
		}
	})
}

// supportCount is the text of the supports line of a proposal page.
func supportCount(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<p class="support-count">(.*?)</p>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no supports line")
	}
	return m[1]
}

// Fediverse likes and shares are a line of their own on a proposal's and
// a debate's page, only when there are some, and never in the supports.
func TestFediverseReactionsLine(t *testing.T) {
	t.Parallel()
	fed := newFakeFederation()
	n := newFederatedNode(t, fed)
	sp := n.Space(t, "quartier", 10)
	author, _ := n.Resident(t, "ines", true)
	p := n.Propose(t, author, sp, "Des bancs")
	db := n.OpenDebate(t, author, sp, "Faut-il des bancs ?")
	tests := []struct {
		name          string
		likes, shares int
		lang, want    string // "" for no line
	}{
		{"none", 0, 0, "fr", ""},
		{"both", 3, 1, "fr", "Sur le fédivers : 3 j’aime, 1 partage (avis, pas des soutiens)"},
		{"shares only", 0, 2, "fr", "Sur le fédivers : 2 partages (avis, pas des soutiens)"},
		{"one like, English", 1, 0, "en", "On the fediverse: 1 like (opinions, not supports)"},
		{"many, English", 5, 2, "en", "On the fediverse: 5 likes, 2 shares (opinions, not supports)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fed.mu.Lock()
			fed.reacts["proposal "+p.ID] = [2]int{tt.likes, tt.shares}
			fed.reacts["debate "+db.ID] = [2]int{tt.likes, tt.shares}
			fed.mu.Unlock()
			for _, path := range []string{"/proposals/" + p.ID, "/debates/" + db.ID} {
				w := n.Request("GET", path+"?lang="+tt.lang, "", nil)
				frontendtest.WantStatus(t, w, http.StatusOK)
				body := w.Body.String()
				line := `<p class="muted fediverse-reactions">` + tt.want + `</p>`
				if tt.want == "" && strings.Contains(body, "fediverse-reactions") {
					t.Errorf("%s: a reactions line with no reactions", path)
				}
				if tt.want != "" && !strings.Contains(body, line) {
					t.Errorf("%s: no line %q", path, tt.want)
				}
				if strings.HasPrefix(path, "/proposals/") {
					count := supportCount(t, body)
					wantCount := map[string]string{"fr": "<strong>0 soutien</strong>", "en": "<strong>0 supports</strong>"}[tt.lang]
					if !strings.HasPrefix(count, wantCount) || strings.Contains(count, "féd") || strings.Contains(count, "fediverse") {
						t.Errorf("supports line %q, want %q alone", count, wantCount)
					}
				}
			}
		})
	}

	t.Run("unreadable", func(t *testing.T) {
		fed.fail("Reactions", errors.New("database gone"))
		w := n.Request("GET", "/proposals/"+p.ID, "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		if strings.Contains(w.Body.String(), "fediverse-reactions") {
			t.Error("a reactions line although they could not be read")
		}
	})
}

// Reactions are asked for the page's own object.
func TestFediverseReactionsAskedForThePage(t *testing.T) {
	t.Parallel()
	fed := newFakeFederation()
	n := newFederatedNode(t, fed)
	sp := n.Space(t, "quartier", 10)
	author, _ := n.Resident(t, "ines", true)
	p := n.Propose(t, author, sp, "Des bancs")
	other := n.Propose(t, author, sp, "Des arbres")
	fed.mu.Lock()
	fed.reacts["proposal "+other.ID] = [2]int{9, 9}
	fed.mu.Unlock()
	w := n.Request("GET", "/proposals/"+p.ID, "", nil)
	if strings.Contains(w.Body.String(), "fediverse-reactions") {
		t.Error("the page shows another proposal's reactions")
	}
	w = n.Request("GET", "/proposals/"+other.ID, "", nil)
	frontendtest.WantBody(t, w, "Sur le fédivers : 9 j’aime, 9 partages")
}

// The admin's page lists the jobs that failed too often, with their last
// error as text; a job can be run again or dropped, and one that is not
// parked (any more) is said so.
func TestFederationParkedJobs(t *testing.T) {
	t.Parallel()
	fed := newFakeFederation().seed()
	n := newFederatedNode(t, fed)
	token := n.Session(t, n.Staff[accounts.Admin])
	w := n.Request("GET", "/admin/federation", token, nil)
	frontendtest.WantBody(t, w, "Travaux en échec", "Activité reçue", "Create from https://spam.example/users/x",
		"panic: &lt;script&gt;boom&lt;/script&gt;", `action="/admin/federation/parked/41/retry"`)
	w = n.Request("POST", "/admin/federation/parked/41/retry", token, url.Values{})
	frontendtest.WantStatus(t, w, http.StatusSeeOther)
	frontendtest.WantBody(t, n.Request("GET", redirected(w), token, nil), "Le travail est relancé.")
	w = n.Request("POST", "/admin/federation/parked/41/drop", token, url.Values{})
	frontendtest.WantStatus(t, w, http.StatusSeeOther)
	frontendtest.WantBody(t, n.Request("GET", redirected(w), token, nil), "Le travail est supprimé.", "Aucun travail en échec.")
	for _, id := range []string{"41", "99999999999999999999", "x"} {
		w = n.Request("POST", "/admin/federation/parked/"+id+"/drop", token, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusNotFound)
		frontendtest.WantBody(t, w, "Ce travail n’est plus en échec")
	}
	want := []fedCall{{"RetryParked", []string{"41"}}, {"DropParked", []string{"41"}}, {"DropParked", []string{"41"}}}
	if calls := fed.Calls(); !sameCalls(calls, want) {
		t.Errorf("calls %v, want %v", calls, want)
	}
}

// Text from a peer stored raw by an older version (a Group's summary, a
// proposal's content, a comment) is never rendered as markup: summaries
// are shown as text, content is sanitised again on the page.
func TestPeerTextNeverTrusted(t *testing.T) {
	t.Parallel()
	fed := newFakeFederation().seed()
	hostile := `<meta http-equiv="refresh" content="0;url=https://evil.example"><form action="/admin/accounts/x/roles" method="post"><button>Continuer</button></form><script>alert(1)</script>`
	fed.followed[0].Summary = "<p>Les idées du 12e.</p>" + hostile
	fed.items[0].ContentHTML += hostile
	fed.items[1].ContentHTML += hostile
	n := newFederatedNode(t, fed)
	for _, page := range []string{"/cities", "/cities/item?id=" + url.QueryEscape(fedProposal)} {
		w := n.Request("GET", page, "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantNoBody(t, w, "<meta http-equiv", `action="/admin/accounts`, "<script>alert", "evil.example")
	}
	frontendtest.WantBody(t, n.Request("GET", "/cities", "", nil), `<p class="summary">Les idées du 12e. Continuer</p>`)
}
