package participation_test

import (
	"net/http"
	"strconv"
	"testing"

	"agora/frontend"
	"agora/frontend/frontendtest"
	"agora/instances/proposals"
	"agora/storage/storagetest"
)

// A node whose proposals service has the node's own limits and a small
// quota of files, as serve builds it.
func pacedNode(t *testing.T, dialect string, quota int64) (*frontendtest.Node, *storagetest.BlobStore) {
	t.Helper()
	db, store := storagetest.MigratedDB(t, dialect), storagetest.NewBlobStore(t, "local")
	n := frontendtest.NewNodeOn(t, db, func(d *frontend.Deps) {
		d.Proposals = proposals.NewService(db, d.Markup, d.Accounts, d.Spaces, d.Now, proposals.WithAttachmentQuota(quota))
		d.Blobs = store
	})
	return n, store
}

// Past the limit, the form comes back with the message, a 429 and when
// to try again; nothing is published.
func TestProposalPaceOnThePages(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		n, _ := pacedNode(t, dialect, 0)
		n.Space(t, "quartier", 0)
		_, tok := n.Resident(t, "camille", true)
		limit := proposals.ProposalLimits[0].Max
		for i := range limit {
			propCreated(t, propPost(n, "quartier", tok, propFields("Idée "+strconv.Itoa(i))))
		}
		w := propPost(n, "quartier", tok, propFields("Une de trop"))
		frontendtest.WantStatus(t, w, http.StatusTooManyRequests)
		frontendtest.WantBody(t, w, "Vous avez publié beaucoup de propositions en peu de temps", `value="Une de trop"`)
		if s, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || s < 1 {
			t.Errorf("Retry-After %q", w.Header().Get("Retry-After"))
		}
		if got := n.Count(t, "proposals"); got != limit {
			t.Errorf("%d proposals, want %d", got, limit)
		}
	})
}

// Files over the author's quota are refused before they are stored, with
// what is used and allowed; under it, the form says how much is used.
func TestProposalQuotaOnThePages(t *testing.T) {
	n, store := pacedNode(t, "sqlite", 3000)
	n.Space(t, "quartier", 0)
	_, tok := n.Resident(t, "camille", true)
	photo := frontendtest.JPEG(t, 40, 30, 1)
	propCreated(t, propPost(n, "quartier", tok, propFields("Un banc"), propFile{name: "banc.jpg", data: photo}))
	frontendtest.WantBody(t, n.Request("GET", "/spaces/quartier/proposals/new", tok, nil), "Vos fichiers occupent")
	blobs := len(store.Files(t))
	big := frontendtest.JPEG(t, 400, 300, 1)
	w := propPost(n, "quartier", tok, propFields("Un autre banc"), propFile{name: "grand.jpg", data: big})
	frontendtest.WantStatus(t, w, http.StatusRequestEntityTooLarge)
	frontendtest.WantBody(t, w, "Vos fichiers occupent déjà", `id="f-attachments-error"`)
	if got := len(store.Files(t)); got != blobs {
		t.Errorf("the store holds %d files, want %d: the refused file was stored", got, blobs)
	}
	if got := n.Count(t, "proposals"); got != 1 {
		t.Errorf("%d proposals, want 1", got)
	}
}
