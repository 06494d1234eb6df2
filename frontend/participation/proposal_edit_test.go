package participation_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/storage/storagetest"
)

// propMultipart posts a proposal form to target as a browser does:
// multipart, with the files in the attachments field.
func propMultipart(n *frontendtest.Node, target, token string, fields url.Values, files ...propFile) *httptest.ResponseRecorder {
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
		h.Set("Content-Type", "application/octet-stream")
		pw, _ := mw.CreatePart(h)
		pw.Write(f.data)
	}
	mw.Close()
	r := httptest.NewRequest("POST", target, &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		r.AddCookie(&http.Cookie{Name: "agora_session", Value: token})
	}
	w := httptest.NewRecorder()
	n.H.ServeHTTP(w, r)
	return w
}

// The edit form adds files, under the limits of a new proposal, in the
// transaction of the edit: a refused file saves neither it nor the text.
func TestProposalEditAttachments(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		n.Space(t, "quartier", 0)
		_, tok := n.Resident(t, "camille", true)
		_, otherTok := n.Resident(t, "bruno", true)
		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
		id := propCreated(t, propPost(n, "quartier", tok, propFields("Un banc square Violet"),
			propFile{name: "plan.pdf", data: pdf}))
		editPath := "/proposals/edit?id=" + url.QueryEscape(id)

		// The form takes files, saying how many the proposal has.
		w := n.Request("GET", "/proposals/"+id+"/edit", tok, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `action="/proposals/edit?id=`+id+`" enctype="multipart/form-data"`, `id="f-attachments"`,
			"Ajouter des pièces jointes", "Cette proposition a déjà 1 pièce(s) jointe(s), qui restent.", "Jusqu’à 4 fichiers")

		// A file that is not what its name says: the message next to the
		// field, the text typed kept, nothing written.
		tables := []string{"proposals", "proposal_attachments", "proposal_events", "outbox_events"}
		before := storagetest.TakeSnapshot(t, n.DB, tables...)
		fake := []byte("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>")
		w = propMultipart(n, editPath, tok, propFields("Deux bancs square Violet"), propFile{name: "photo.png", data: fake},
			propFile{name: "croquis.png", data: frontendtest.PNG(t)})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-attachments-error"`, "« photo.png » n’est ni une photo JPEG ou PNG, ni un document PDF.",
			`value="Deux bancs square Violet"`, "Choisissez de nouveau vos fichiers", `aria-invalid="true"`)
		before.Unchanged(t, n.DB, "an edit with a fake PNG")
		// One file too many (the proposal has one, four more may come).
		tiny := frontendtest.PNG(t)
		w = propMultipart(n, editPath, tok, propFields("Deux bancs square Violet"), propFile{name: "1.png", data: tiny},
			propFile{name: "2.png", data: tiny}, propFile{name: "3.png", data: tiny}, propFile{name: "4.png", data: tiny},
			propFile{name: "5.png", data: tiny})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-attachments-error"`, "Une proposition a au plus 5 pièces jointes.")
		before.Unchanged(t, n.DB, "an edit with one file too many")
		// Someone else: nothing either.
		frontendtest.WantStatus(t, propMultipart(n, editPath, otherTok, propFields("Autre"), propFile{name: "croquis.png", data: tiny}), http.StatusForbidden)
		before.Unchanged(t, n.DB, "an edit by another resident")

		// A good file, over the default body limit (the edit path takes
		// uploads): stored, cleaned, shown with the edited text.
		big := append([]byte("%PDF-1.4\n"), make([]byte, 3<<20)...)
		frontendtest.WantStatus(t, propMultipart(n, "/proposals/"+id+"/edit", tok, propFields("Trop lourd ici"), propFile{name: "grand plan.pdf", data: big}),
			http.StatusRequestEntityTooLarge)
		w = propMultipart(n, editPath, tok, propFields("Deux bancs square Violet"), propFile{name: "croquis.png", data: frontendtest.PNG(t)},
			propFile{name: "grand plan.pdf", data: big})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/proposals/"+id+"?done=edited" {
			t.Errorf("redirected to %q", loc)
		}
		if got := storagetest.Count(t, n.DB, "proposal_attachments", "proposal_id = ?", id); got != 3 {
			t.Fatalf("%d attachments, want 3", got)
		}
		w = n.Request("GET", "/proposals/"+id, "", nil)
		frontendtest.WantBody(t, w, "Deux bancs square Violet", `href="/proposals/`+id+`/attachments/1">plan.pdf</a>`,
			`href="/proposals/`+id+`/attachments/2">croquis.png</a>`, `href="/proposals/`+id+`/attachments/3">grand plan.pdf</a>`)
		w = n.Request("GET", "/proposals/"+id+"/attachments/2", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		if w.Header().Get("Content-Type") != "image/png" || bytes.Contains(w.Body.Bytes(), []byte("tEXt")) || bytes.Contains(w.Body.Bytes(), []byte("GPS")) {
			t.Errorf("the PNG added by edit keeps its text chunk (%v)", w.Header())
		}
		w = n.Request("GET", "/proposals/"+id+"/attachments/3", "", nil)
		if !bytes.Equal(w.Body.Bytes(), big) {
			t.Errorf("the PDF added by edit is %d bytes, want %d", w.Body.Len(), len(big))
		}
		if got := storagetest.Count(t, n.DB, "proposal_events", "proposal_id = ? AND kind = 'edited'", id); got != 1 {
			t.Errorf("%d edited events, want 1", got)
		}

		// Late, the author is refused before any file is kept; a
		// moderator adds one, with a reason.
		n.Clock.Advance(proposals.EditWindow + 1)
		before = storagetest.TakeSnapshot(t, n.DB, tables...)
		w = propMultipart(n, editPath, tok, propFields("Trois bancs"), propFile{name: "autre.png", data: tiny})
		frontendtest.WantStatus(t, w, http.StatusForbidden)
		frontendtest.WantBody(t, w, "dans les 15 minutes", `value="Trois bancs"`)
		before.Unchanged(t, n.DB, "a late edit with a file")
		mod := n.Session(t, n.Staff[accounts.Moderator])
		frontendtest.WantBody(t, n.Request("GET", "/proposals/"+id+"/edit", mod, nil), "Jusqu’à 2 fichiers", `id="f-reason"`)
		f := propFields("Deux bancs square Violet")
		f.Set("reason", "Photo du lieu ajoutée à la demande de l’autrice")
		frontendtest.WantStatus(t, propMultipart(n, editPath, mod, f, propFile{name: "lieu.png", data: tiny}), http.StatusSeeOther)
		if got := storagetest.Count(t, n.DB, "proposal_attachments", "proposal_id = ?", id); got != 4 {
			t.Errorf("%d attachments after the moderator's edit, want 4", got)
		}
	})
}

// A multipart body whose part carries more headers than the reader takes
// is the sender's fault: 413, nothing stored, and no error in the log.
func TestProposalPartHeadersOverLimit(t *testing.T) {
	n := frontendtest.NewNode(t, "sqlite")
	n.Space(t, "quartier", 0)
	_, tok := n.Resident(t, "camille", true)
	var body strings.Builder
	body.WriteString("--b\r\nContent-Disposition: form-data; name=\"title\"\r\n")
	for i := range 10_001 {
		fmt.Fprintf(&body, "X-H%d: v\r\n", i)
	}
	body.WriteString("\r\nUn titre\r\n--b--\r\n")
	r := httptest.NewRequest("POST", "/proposals/new?space=quartier", strings.NewReader(body.String()))
	r.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	r.AddCookie(&http.Cookie{Name: frontendtest.SessionCookie, Value: tok})
	w := httptest.NewRecorder()
	n.H.ServeHTTP(w, r)
	frontendtest.WantStatus(t, w, http.StatusRequestEntityTooLarge)
	if got := n.Count(t, "proposals"); got != 0 {
		t.Errorf("%d proposals stored", got)
	}
}
