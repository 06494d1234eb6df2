package federation

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"agora/federation/as2"
	"agora/federation/signature"
	"agora/instances/debates"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// Handler serves federation in front of next, the node's pages: discovery
// (WebFinger, host-meta, NodeInfo), the inboxes, and the ActivityStreams
// form of the same URLs the pages use, for requests that ask for it by
// Accept. Everything else goes to next.
func (s *Service) Handler(next http.Handler) http.Handler {
	r := mux.NewRouter()
	r.NotFoundHandler, r.MethodNotAllowedHandler = next, next
	get := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc("/.well-known/webfinger", s.webfinger).Methods(get...)
	r.HandleFunc("/.well-known/host-meta", s.hostMeta).Methods(get...)
	r.HandleFunc("/.well-known/nodeinfo", s.nodeinfoLinks).Methods(get...)
	r.HandleFunc("/nodeinfo/2.1", s.nodeinfo).Methods(get...)
	for _, p := range []string{"/inbox", "/actor/inbox", "/spaces/{slug}/inbox", "/people/{handle}/inbox", "/apps/inbox",
		"/reports/categories/{slug}/inbox"} {
		r.HandleFunc(p, s.inbox).Methods(http.MethodPost)
	}
	r.HandleFunc("/actor", s.instanceActor).Methods(get...)
	as := r.MatcherFunc(wantsAS2).Subrouter()
	as.Use(s.authorizedFetch)
	as.HandleFunc("/spaces/{slug}", s.groupActor).Methods(get...)
	as.HandleFunc("/spaces/{slug}/followers", s.followersCollection).Methods(get...)
	as.HandleFunc("/spaces/{slug}/outbox", s.spaceOutbox).Methods(get...)
	as.HandleFunc("/people/{handle}", s.personActor).Methods(get...)
	as.HandleFunc("/people/{handle}/followers", s.followersCollection).Methods(get...)
	// What the node's actors follow, and the outboxes of people and of the
	// instance: empty collections, so the links in actor documents
	// resolve (the node's actors follow nobody; only the instance actor
	// follows remote spaces, listed on the admin page).
	for _, p := range []string{"/actor/followers", "/actor/following", "/actor/outbox", "/apps/following", "/spaces/{slug}/following",
		"/people/{handle}/following", "/people/{handle}/outbox", "/reports/categories/{slug}/following"} {
		as.HandleFunc(p, s.emptyCollection).Methods(get...)
	}
	as.HandleFunc("/proposals/{id}", s.proposalObject).Methods(get...)
	as.HandleFunc("/proposals/{id}/replies", s.replies).Methods(get...)
	as.HandleFunc("/debates/{id}", s.debateObject).Methods(get...)
	as.HandleFunc("/debates/{id}/replies", s.replies).Methods(get...)
	as.HandleFunc("/comments/{id}", s.commentObject).Methods(get...)
	as.HandleFunc("/notes/{id}", s.noteObject).Methods(get...)
	as.HandleFunc("/budgets/steps/{id}", s.objectOf(s.stepDoc)).Methods(get...)
	as.HandleFunc("/budgets/projects/{id}", s.objectOf(s.budgetProjectDoc)).Methods(get...)
	as.HandleFunc("/votes/{id}", s.objectOf(s.voteDoc)).Methods(get...)
	as.HandleFunc("/apps", s.catalogueActor).Methods(get...)
	as.HandleFunc("/apps/followers", s.followersCollection).Methods(get...)
	as.HandleFunc("/apps/outbox", s.catalogueOutbox).Methods(get...)
	as.HandleFunc("/apps/{slug}", s.appObject).Methods(get...)
	as.HandleFunc("/reports/categories/{slug}", s.reportCategoryActor).Methods(get...)
	as.HandleFunc("/reports/categories/{slug}/followers", s.followersCollection).Methods(get...)
	as.HandleFunc("/reports/categories/{slug}/outbox", s.reportCategoryOutbox).Methods(get...)
	as.HandleFunc("/reports/{id}", s.reportObject).Methods(get...)
	as.HandleFunc("/reports/{id}/states/{n:[0-9]+}", s.reportStateObject).Methods(get...)
	// A browser opening these ids lands on the pages (reports.go).
	r.HandleFunc("/reports/categories/{slug}", s.reportPages).Methods(get...)
	r.HandleFunc("/reports/{id}/states/{n:[0-9]+}", s.reportPages).Methods(get...)
	return r
}

// wantsAS2 is a request for ActivityStreams JSON rather than a page.
func wantsAS2(r *http.Request, _ *mux.RouteMatch) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if mt == "application/activity+json" ||
			mt == "application/ld+json" && strings.Contains(params["profile"], "https://www.w3.org/ns/activitystreams") {
			return true
		}
	}
	return false
}

// authorizedFetch, when the node requires it, refuses unsigned or badly
// signed GETs of its JSON (the instance actor stays open: peers need it
// to verify the node's own signed fetches).
func (s *Service) authorizedFetch(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.AuthorizedFetch {
			if _, err := s.verifier.Verify(r.Context(), r, nil); err != nil {
				s.log.DebugContext(r.Context(), "authorized fetch: refused", "err", err)
				http.Error(w, "signed request required: "+cmp.Or(signature.Reason(err), "domain blocked"), http.StatusUnauthorized)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// serve writes a document, 410 Gone for a Tombstone.
func (s *Service) serve(w http.ResponseWriter, r *http.Request, d *as2.Doc) {
	body, err := as2.Serialize(d)
	if err != nil {
		s.log.ErrorContext(r.Context(), "serialise", "err", err)
		http.Error(w, "cannot render", http.StatusInternalServerError)
		return
	}
	status := http.StatusOK
	if d.Value != nil && d.Value.GetTypeName() == "Tombstone" {
		status = http.StatusGone
	}
	w.Header().Set("Content-Type", "application/activity+json; charset=utf-8")
	w.Header().Set("Vary", "Accept")
	w.WriteHeader(status)
	w.Write(body)
}

func (s *Service) notFound(w http.ResponseWriter, err error) {
	http.Error(w, "not found", http.StatusNotFound)
}

func (s *Service) instanceActor(w http.ResponseWriter, r *http.Request) {
	key, err := s.keys.key(r.Context(), s.ids.Instance())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serve(w, r, as2.Renderer{IDs: s.ids}.Application(s.nodeName(r.Context()), key.publicPEM))
}

func (s *Service) groupActor(w http.ResponseWriter, r *http.Request) {
	sp, err := s.spaces.BySlug(r.Context(), mux.Vars(r)["slug"])
	if errors.Is(err, spaces.ErrNotFound) {
		s.notFound(w, err)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	key, err := s.keys.key(r.Context(), s.ids.Space(sp.Slug))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serve(w, r, as2.Renderer{IDs: s.ids}.Group(sp, s.spaces.DescriptionHTML(sp), key.publicPEM))
}

func (s *Service) personActor(w http.ResponseWriter, r *http.Request) {
	a, err := s.accounts.ByHandle(r.Context(), mux.Vars(r)["handle"])
	if err != nil || !a.Public || a.DeletedAt != nil {
		// Private accounts are not actors: nothing says they exist.
		s.notFound(w, err)
		return
	}
	key, err := s.keys.key(r.Context(), s.ids.Person(a.Handle))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serve(w, r, as2.Renderer{IDs: s.ids}.Person(a, key.publicPEM))
}

func (s *Service) proposalObject(w http.ResponseWriter, r *http.Request) {
	d, _, _, err := s.proposalDoc(r.Context(), as2.Renderer{IDs: s.ids}, mux.Vars(r)["id"])
	if errors.Is(err, errGone) || errors.Is(err, proposals.ErrNotFound) {
		s.notFound(w, err)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serve(w, r, d)
}

func (s *Service) debateObject(w http.ResponseWriter, r *http.Request) {
	d, _, _, err := s.debateDoc(r.Context(), as2.Renderer{IDs: s.ids}, mux.Vars(r)["id"])
	if errors.Is(err, errGone) {
		s.notFound(w, err)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serve(w, r, d)
}

func (s *Service) commentObject(w http.ResponseWriter, r *http.Request) {
	d, _, _, _, remote, err := s.commentDoc(r.Context(), as2.Renderer{IDs: s.ids}, mux.Vars(r)["id"])
	switch {
	case errors.Is(err, errGone):
		s.notFound(w, err)
	case err != nil:
		s.fail(w, r, err)
	case remote != "":
		http.Redirect(w, r, remote, http.StatusFound) // a peer's comment lives on its server
	default:
		s.serve(w, r, d)
	}
}

func (s *Service) noteObject(w http.ResponseWriter, r *http.Request) {
	d, err := s.localNote(r.Context(), s.ids.Note(mux.Vars(r)["id"]))
	if err != nil {
		s.notFound(w, err)
		return
	}
	s.serve(w, r, d)
}

// objectOf serves, at its id, the object that doc renders for the id
// in the path: a budget project's published step (its Note), a vote (its
// Question). An object that is gone, or never was, is 404.
func (s *Service) objectOf(doc func(context.Context, as2.Renderer, string) (*as2.Doc, *spaces.Space, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, _, err := doc(r.Context(), as2.Renderer{IDs: s.ids}, mux.Vars(r)["id"])
		if errors.Is(err, errGone) {
			s.notFound(w, err)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.serve(w, r, d)
	}
}

// pageSize is how many items a collection page holds.
const pageSize = 20

// page reads ?page=N (1-based); 0 means the collection itself.
func page(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 0
	}
	return min(n, 10000)
}

// collection serves a paged OrderedCollection whose items are refs.
func (s *Service) collection(w http.ResponseWriter, r *http.Request, id string, total int, items func(offset int) ([]string, error)) {
	n := page(r)
	if n == 0 {
		first := ""
		if total > 0 {
			first = id + "?page=1"
		}
		s.serve(w, r, as2.OrderedCollection(id, total, first))
		return
	}
	refs, err := items((n - 1) * pageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	docs := make([]*as2.Doc, len(refs))
	for i, ref := range refs {
		docs[i] = as2.Ref(ref)
	}
	next, prev := "", ""
	if n*pageSize < total {
		next = fmt.Sprintf("%s?page=%d", id, n+1)
	}
	if n > 1 {
		prev = fmt.Sprintf("%s?page=%d", id, n-1)
	}
	s.serve(w, r, as2.OrderedCollectionPage(fmt.Sprintf("%s?page=%d", id, n), id, docs, next, prev))
}

// followersCollection gives the count of followers; who they are is not
// published (as Mastodon does when a user hides them).
func (s *Service) followersCollection(w http.ResponseWriter, r *http.Request) {
	actor := strings.TrimSuffix(s.ids.Instance(), "/actor") + strings.TrimSuffix(r.URL.Path, "/followers")
	if kind, name, ok := s.local(actor); !ok || !s.exists(r, kind, name) {
		s.notFound(w, nil)
		return
	}
	n, err := s.db.NewSelect().Model((*follower)(nil)).Where("actor = ?", actor).Count(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serve(w, r, as2.OrderedCollection(as2.Followers(actor), int(n), ""))
}

func (s *Service) emptyCollection(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSuffix(s.cfg.BaseURL.String(), "/") + r.URL.Path
	if kind, name, ok := s.local(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(id, "/followers"), "/following"), "/outbox")); !ok ||
		kind != "instance" && !s.exists(r, kind, name) {
		s.notFound(w, nil)
		return
	}
	s.serve(w, r, as2.OrderedCollection(id, 0, ""))
}

func (s *Service) exists(r *http.Request, kind, name string) bool {
	ok, err := s.actorExists(r.Context(), kind, name)
	return err == nil && ok
}

// spaceOutbox lists a space's proposals, newest first, as Page refs.
func (s *Service) spaceOutbox(w http.ResponseWriter, r *http.Request) {
	sp, err := s.spaces.BySlug(r.Context(), mux.Vars(r)["slug"])
	if err != nil {
		s.notFound(w, err)
		return
	}
	q := s.db.NewSelect().Table("proposals").Where("space_id = ? AND hidden_at IS NULL", sp.ID)
	total, err := q.Count(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.collection(w, r, as2.Outbox(s.ids.Space(sp.Slug)), int(total), func(offset int) ([]string, error) {
		var ids []string
		err := s.db.NewSelect().Table("proposals").Column("id").Where("space_id = ? AND hidden_at IS NULL", sp.ID).
			OrderExpr("created_at DESC, id").Offset(int64(offset)).Limit(pageSize).Scan(r.Context(), &ids)
		for i, id := range ids {
			ids[i] = s.ids.Proposal(id)
		}
		return ids, err
	})
}

// replies lists the comments on a proposal or debate (FEP-7888's context
// collection too), oldest first: local ones by our ids, a peer's by its.
func (s *Service) replies(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	kind, page := debates.TargetProposal, s.ids.Proposal(id)
	if strings.HasPrefix(r.URL.Path, "/debates/") {
		kind, page = debates.TargetDebate, s.ids.Debate(id)
	}
	where := "target_kind = ? AND target_id = ? AND deleted_at IS NULL AND hidden_at IS NULL"
	total, err := s.db.NewSelect().Table("comments").Where(where, kind, id).Count(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.collection(w, r, as2.Replies(page), int(total), func(offset int) ([]string, error) {
		var rows []struct {
			ID   string  `bun:"id"`
			APID *string `bun:"ap_id"`
		}
		err := s.db.NewSelect().Table("comments").Column("id", "ap_id").Where(where, kind, id).
			OrderExpr("created_at, id").Offset(int64(offset)).Limit(pageSize).Scan(r.Context(), &rows)
		out := make([]string, len(rows))
		for i, row := range rows {
			out[i] = s.ids.Comment(row.ID)
			if row.APID != nil {
				out[i] = *row.APID
			}
		}
		return out, err
	})
}

func (s *Service) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "federation", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
