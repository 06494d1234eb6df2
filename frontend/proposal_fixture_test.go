package frontend

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

// propOnEachDialect runs fn on a fresh participation node on SQLite and
// on PostgreSQL, in parallel.
func propOnEachDialect(t *testing.T, fn func(t *testing.T, n *participationNode)) {
	t.Helper()
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		fn(t, newParticipationNode(t, dialect))
	})
}

// propSpace opens a space through the service: with no phases given, a
// proposal phase that began an hour ago and lasts 30 days, then an
// evaluation phase; two categories; the given support threshold.
func propSpace(t testing.TB, n *participationNode, slug string, threshold int, phases ...spaces.PhaseInput) *spaces.Space {
	t.Helper()
	now := n.clock.Now()
	if len(phases) == 0 {
		phases = []spaces.PhaseInput{
			{Kind: spaces.Proposals, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(30 * 24 * time.Hour)},
			{Kind: spaces.Evaluation, StartsAt: now.Add(30 * 24 * time.Hour), EndsAt: now.Add(60 * 24 * time.Hour)},
		}
	}
	sp, err := n.spaces.Create(t.Context(), accounts.System, spaces.NewSpace{
		Slug: slug, Title: "Budget participatif " + slug, Description: "Des **idées** pour le quartier.",
		Phases: phases, SupportThreshold: threshold,
		Categories: []spaces.CategoryInput{{Slug: "nature", NameFR: "Nature en ville", NameEN: "Nature in the city"},
			{Slug: "mobilite", NameFR: "Mobilité", NameEN: "Getting around"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// propResident opens a resident's account, verified or not, and signs it
// in.
func propResident(t testing.TB, n *participationNode, handle string, verified bool) (*accounts.Account, string) {
	t.Helper()
	acc := n.account(t, handle)
	if verified {
		if err := n.svc.VerifyByOperator(t.Context(), acc.ID); err != nil {
			t.Fatal(err)
		}
	}
	return acc, n.session(t, acc)
}

// propFile is a file of a multipart post.
type propFile struct {
	name, contentType string
	data              []byte
}

// propPost posts the new-proposal form of a space as a browser does:
// multipart, with the files in the attachments field.
func propPost(n *participationNode, slug, token string, fields url.Values, files ...propFile) *httptest.ResponseRecorder {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="attachments"; filename="`+f.name+`"`)
		ct := f.contentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		pw, _ := mw.CreatePart(h)
		pw.Write(f.data)
	}
	mw.Close()
	r := httptest.NewRequest("POST", "/proposals/new?space="+url.QueryEscape(slug), &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		r.AddCookie(&http.Cookie{Name: "agora_session", Value: token})
	}
	w := httptest.NewRecorder()
	n.h.ServeHTTP(w, r)
	return w
}

// propFields are the fields of a good proposal.
func propFields(title string) url.Values {
	return url.Values{"title": {title}, "body": {"Planter des arbres le long de la rue, pour l’ombre en été."}, "category": {"nature"}}
}

// propCreated returns the id of the proposal a successful post redirected
// to, failing the test on any other answer.
func propCreated(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	wantStatus(t, w, http.StatusSeeOther)
	loc := w.Header().Get("Location")
	id, ok := strings.CutPrefix(loc, "/proposals/")
	if !ok {
		t.Fatalf("redirected to %q, want a proposal", loc)
	}
	id, _, _ = strings.Cut(id, "?")
	return id
}

// propPropose publishes a proposal through the service.
func propPropose(t testing.TB, n *participationNode, author *accounts.Account, sp *spaces.Space, title string) *proposals.Proposal {
	t.Helper()
	p, err := n.proposals.Create(t.Context(), accounts.As(author), sp.ID, proposals.Input{Title: title,
		Body: "Le texte de « " + title + " », assez long pour être lu.", Category: "nature"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// propQueries counts the database queries the node makes.
type propQueries struct{ n atomic.Int64 }

func (c *propQueries) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (c *propQueries) AfterQuery(context.Context, *bun.QueryEvent)                        { c.n.Add(1) }

// count returns how many queries serve took.
func (c *propQueries) count(serve func()) int64 {
	before := c.n.Load()
	serve()
	return c.n.Load() - before
}
