package participation_test

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
	"agora/frontend/web"

	"agora/instances/proposals"
)

// Files are checked by what they are, images are cleaned of their
// metadata and turned upright, and served with the right headers.
func TestAttachments(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		n.Space(t, "quartier", 0)
		_, tok := n.Resident(t, "camille", true)

		photo := frontendtest.JPEG(t, 20, 10, 6)
		if !bytes.Contains(photo, []byte("GPS")) || !bytes.Contains(photo, []byte("Exif")) {
			t.Fatal("the test photo has no EXIF")
		}
		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
		id := propCreated(t, propPost(n, "quartier", tok, propFields("Un banc square Violet"),
			propFile{name: "IMG_2041.jpeg", contentType: "image/jpeg", data: photo},
			propFile{name: "plan du square.pdf", contentType: "application/pdf", data: pdf},
			propFile{name: "croquis.png", data: frontendtest.PNG(t)}))
		if got := n.Count(t, "proposal_attachments"); got != 3 {
			t.Fatalf("%d attachments, want 3", got)
		}
		w := n.Request("GET", "/proposals/"+id, "", nil)
		frontendtest.WantBody(t, w, `href="/proposals/`+id+`/attachments/1">IMG_2041.jpg</a>`, "photo JPEG", `alt="Photo jointe : IMG_2041.jpg"`,
			`href="/proposals/`+id+`/attachments/2">plan du square.pdf</a>`, "document PDF", "croquis.png")

		// The photo: no EXIF, no GPS, turned a quarter clockwise as its EXIF said.
		w = n.Request("GET", "/proposals/"+id+"/attachments/1", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		h := w.Header()
		if h.Get("Content-Type") != "image/jpeg" || h.Get("Content-Disposition") != `inline; filename=IMG_2041.jpg` || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("photo headers %v", h)
		}
		stored := w.Body.Bytes()
		for _, m := range frontendtest.JPEGMarkers(t, stored) {
			if m >= 0xe0 && m <= 0xef {
				t.Errorf("the stored photo has an APP%d segment", m-0xe0)
			}
		}
		if bytes.Contains(stored, []byte("GPS")) || bytes.Contains(stored, []byte("Exif")) {
			t.Error("the stored photo still has its EXIF")
		}
		img, err := jpeg.Decode(bytes.NewReader(stored))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 10 || b.Dy() != 20 {
			t.Errorf("stored photo %v, want 10×20 once turned", b)
		}
		if r, _, bl, _ := img.At(5, 3).RGBA(); r < bl {
			t.Errorf("the top of the turned photo is not red")
		}
		if r, _, bl, _ := img.At(5, 16).RGBA(); bl < r {
			t.Errorf("the bottom of the turned photo is not blue")
		}
		// The same again is a 304 for a browser that has it.
		if etag := h.Get("ETag"); etag == "" {
			t.Error("no ETag")
		} else {
			r := httptest.NewRequest("GET", "/proposals/"+id+"/attachments/1", nil)
			r.Header.Set("If-None-Match", etag)
			again := httptest.NewRecorder()
			n.H.ServeHTTP(again, r)
			frontendtest.WantStatus(t, again, http.StatusNotModified)
		}

		// The PDF, as sent, downloaded; the PNG without its text chunk.
		w = n.Request("GET", "/proposals/"+id+"/attachments/2", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		if h := w.Header(); h.Get("Content-Type") != "application/pdf" || h.Get("Content-Disposition") != `attachment; filename="plan du square.pdf"` {
			t.Errorf("PDF headers %v", h)
		}
		if !bytes.Equal(w.Body.Bytes(), pdf) {
			t.Error("the PDF changed")
		}
		w = n.Request("GET", "/proposals/"+id+"/attachments/3", "", nil)
		if w.Header().Get("Content-Type") != "image/png" || bytes.Contains(w.Body.Bytes(), []byte("tEXt")) || bytes.Contains(w.Body.Bytes(), []byte("GPS")) {
			t.Errorf("PNG %v still has its text", w.Header())
		}
		frontendtest.WantStatus(t, n.Request("GET", "/proposals/"+id+"/attachments/4", "", nil), http.StatusNotFound)

		// Refused files: a message next to the field, the values kept,
		// nothing stored.
		html := []byte("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>")
		big := append([]byte{0xff, 0xd8, 0xff, 0xe0}, make([]byte, web.UploadMaxBytes)...)
		tiny := frontendtest.PNG(t)
		for _, tc := range []struct {
			name  string
			files []propFile
			want  string
		}{
			{"HTML named .png", []propFile{{name: "photo.png", contentType: "image/png", data: html}}, "« photo.png » n’est ni une photo JPEG ou PNG, ni un document PDF."},
			{"oversized", []propFile{{name: "grande.jpg", contentType: "image/jpeg", data: big}}, "« grande.jpg » dépasse 10 Mo."},
			{"broken image", []propFile{{name: "cassee.jpg", data: append([]byte{0xff, 0xd8, 0xff, 0xdb}, "pas une image"...)}}, "« cassee.jpg » n’a pas pu être lue comme une image."},
			{"too many pixels", []propFile{{name: "immense.png", data: frontendtest.HugePNG(10000, 5000)}}, "« immense.png » dépasse 40 mégapixels"},
			{"a small file of a huge 16-bit image", []propFile{{name: "lourde.png", data: frontendtest.HeaderPNG(6300, 6300, 16, 6)}}, "« lourde.png » est une image trop lourde à traiter"},
			{"empty", []propFile{{name: "vide.pdf", data: nil}}, "« vide.pdf » est vide."},
			{"six files", []propFile{{name: "1.png", data: tiny}, {name: "2.png", data: tiny}, {name: "3.png", data: tiny},
				{name: "4.png", data: tiny}, {name: "5.png", data: tiny}, {name: "6.png", data: tiny}}, "Une proposition a au plus 5 pièces jointes."},
			{"a good one and a bad one", []propFile{{name: "ok.png", data: tiny}, {name: "page.pdf", data: html}}, "« page.pdf » n’est ni"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := n.Count(t, "proposals")
				w := propPost(n, "quartier", tok, propFields("Un titre gardé"), tc.files...)
				frontendtest.WantStatus(t, w, http.StatusBadRequest)
				frontendtest.WantBody(t, w, `id="f-attachments-error"`, tc.want, `value="Un titre gardé"`, "Choisissez de nouveau vos fichiers", `aria-invalid="true"`)
				if got := n.Count(t, "proposals"); got != before {
					t.Errorf("%d proposals, want %d", got, before)
				}
				if got := n.Count(t, "proposal_attachments"); got != 3 {
					t.Errorf("%d attachments, want 3", got)
				}
			})
		}

		// A good file with a bad title: nothing stored either.
		f := propFields("")
		w = propPost(n, "quartier", tok, f, propFile{name: "ok.png", data: tiny})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-title-error"`, "Choisissez de nouveau vos fichiers")
		if got := n.Count(t, "proposal_attachments"); got != 3 {
			t.Errorf("%d attachments, want 3", got)
		}
		if strings.Contains(w.Body.String(), `id="f-attachments-error"`) {
			t.Error("a good file is reported wrong")
		}

		// A whole post over the upload limit, streamed without a length:
		// refused as it is read, the form shown again, nothing created.
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			for k, v := range propFields("Trop lourd") {
				mw.WriteField(k, v[0])
			}
			chunk := append([]byte("%PDF-1.4\n"), make([]byte, 1<<20)...)
			for i := range proposals.MaxAttachments + 1 {
				fw, _ := mw.CreateFormFile("attachments", fmt.Sprintf("plan-%d.pdf", i))
				for range 9 {
					if _, err := fw.Write(chunk); err != nil {
						pw.CloseWithError(err)
						return
					}
				}
			}
			mw.Close()
			pw.Close()
		}()
		r := httptest.NewRequest("POST", "/proposals/new?space=quartier", pr)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		r.AddCookie(&http.Cookie{Name: "agora_session", Value: tok})
		w = httptest.NewRecorder()
		n.H.ServeHTTP(w, r)
		pr.CloseWithError(io.ErrClosedPipe) // let the writer stop
		frontendtest.WantStatus(t, w, http.StatusRequestEntityTooLarge)
		frontendtest.WantBody(t, w, `id="f-attachments-error"`, "L’envoi dépasse 51 Mo en tout.", `value="Trop lourd"`)
		if got := n.Count(t, "proposals"); got != 1 {
			t.Errorf("%d proposals after the refused post, want 1", got)
		}
	})
}
