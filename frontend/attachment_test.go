package frontend

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"agora/instances/proposals"
)

// testJPEG is a w×h JPEG, red on the left half and blue on the right,
// with an EXIF APP1 segment that holds the orientation, a GPS IFD and a
// description naming the place, as a phone would write.
func testJPEG(t *testing.T, w, h int, orientation uint16) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 220, A: 255}
			if x >= w/2 {
				c = color.RGBA{B: 220, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	desc := "GPS 48.8414N 2.2930E, Pixel 8\x00"
	be := binary.BigEndian
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	entry := func(tag, typ uint16, count, value uint32) {
		tiff = be.AppendUint16(tiff, tag)
		tiff = be.AppendUint16(tiff, typ)
		tiff = be.AppendUint32(tiff, count)
		tiff = be.AppendUint32(tiff, value)
	}
	tiff = be.AppendUint16(tiff, 3)
	entry(0x010e, 2, uint32(len(desc)), 68)      // ImageDescription, after the GPS IFD
	entry(0x0112, 3, 1, uint32(orientation)<<16) // Orientation, a SHORT in the first half
	entry(0x8825, 4, 1, 50)                      // the GPS IFD
	tiff = be.AppendUint32(tiff, 0)
	tiff = be.AppendUint16(tiff, 1)
	entry(0x0001, 2, 2, uint32('N')<<24) // GPSLatitudeRef
	tiff = be.AppendUint32(tiff, 0)
	tiff = append(tiff, desc...)
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := be.AppendUint16([]byte{0xff, 0xe1}, uint16(len(app1)+2))
	seg = append(seg, app1...)
	b := buf.Bytes()
	return bytes.Join([][]byte{b[:2], seg, b[2:]}, nil)
}

// pngChunk is one chunk of a PNG file, with its checksum.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// testPNG is a small PNG with a text chunk after its header.
func testPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 6))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	end := 8 + 25 // signature, then IHDR
	return bytes.Join([][]byte{b[:end], pngChunk("tEXt", []byte("Comment\x00GPS 48.8414N 2.2930E")), b[end:]}, nil)
}

// hugePNG is the start of a PNG that says it is w×h.
func hugePNG(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	return bytes.Join([][]byte{[]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr), pngChunk("IDAT", []byte{0x78, 0x9c})}, nil)
}

// jpegSegments lists the markers of a JPEG's segments before its image data.
func jpegSegments(t *testing.T, b []byte) []byte {
	t.Helper()
	var markers []byte
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			t.Fatalf("not a marker at %d", i)
		}
		m := b[i+1]
		markers = append(markers, m)
		if m == 0xda {
			break
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	return markers
}

// Files are checked by what they are, images are cleaned of their
// metadata and turned upright, and served with the right headers.
func TestAttachments(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		propSpace(t, n, "quartier", 0)
		_, tok := propResident(t, n, "camille", true)

		photo := testJPEG(t, 20, 10, 6)
		if !bytes.Contains(photo, []byte("GPS")) || exifOrientation(bytes.NewReader(photo)) != 6 {
			t.Fatal("the test photo has no EXIF")
		}
		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
		id := propCreated(t, propPost(n, "quartier", tok, propFields("Un banc square Violet"),
			propFile{name: "IMG_2041.jpeg", contentType: "image/jpeg", data: photo},
			propFile{name: "plan du square.pdf", contentType: "application/pdf", data: pdf},
			propFile{name: "croquis.png", data: testPNG(t)}))
		if got := n.count(t, "proposal_attachments"); got != 3 {
			t.Fatalf("%d attachments, want 3", got)
		}
		w := n.request("GET", "/proposals/"+id, "", nil)
		wantBody(t, w, `href="/proposals/`+id+`/attachments/1">IMG_2041.jpg</a>`, "photo JPEG", `alt="Photo jointe : IMG_2041.jpg"`,
			`href="/proposals/`+id+`/attachments/2">plan du square.pdf</a>`, "document PDF", "croquis.png")

		// The photo: no EXIF, no GPS, turned a quarter clockwise as its EXIF said.
		w = n.request("GET", "/proposals/"+id+"/attachments/1", "", nil)
		wantStatus(t, w, http.StatusOK)
		h := w.Header()
		if h.Get("Content-Type") != "image/jpeg" || h.Get("Content-Disposition") != `inline; filename=IMG_2041.jpg` || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("photo headers %v", h)
		}
		stored := w.Body.Bytes()
		for _, m := range jpegSegments(t, stored) {
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
			n.h.ServeHTTP(again, r)
			wantStatus(t, again, http.StatusNotModified)
		}

		// The PDF, as sent, downloaded; the PNG without its text chunk.
		w = n.request("GET", "/proposals/"+id+"/attachments/2", "", nil)
		wantStatus(t, w, http.StatusOK)
		if h := w.Header(); h.Get("Content-Type") != "application/pdf" || h.Get("Content-Disposition") != `attachment; filename="plan du square.pdf"` {
			t.Errorf("PDF headers %v", h)
		}
		if !bytes.Equal(w.Body.Bytes(), pdf) {
			t.Error("the PDF changed")
		}
		w = n.request("GET", "/proposals/"+id+"/attachments/3", "", nil)
		if w.Header().Get("Content-Type") != "image/png" || bytes.Contains(w.Body.Bytes(), []byte("tEXt")) || bytes.Contains(w.Body.Bytes(), []byte("GPS")) {
			t.Errorf("PNG %v still has its text", w.Header())
		}
		wantStatus(t, n.request("GET", "/proposals/"+id+"/attachments/4", "", nil), http.StatusNotFound)

		// Refused files: a message next to the field, the values kept,
		// nothing stored.
		html := []byte("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>")
		big := append([]byte{0xff, 0xd8, 0xff, 0xe0}, make([]byte, attachmentMaxBytes)...)
		tiny := testPNG(t)
		for _, tc := range []struct {
			name  string
			files []propFile
			want  string
		}{
			{"HTML named .png", []propFile{{name: "photo.png", contentType: "image/png", data: html}}, "« photo.png » n’est ni une photo JPEG ou PNG, ni un document PDF."},
			{"oversized", []propFile{{name: "grande.jpg", contentType: "image/jpeg", data: big}}, "« grande.jpg » dépasse 10 Mo."},
			{"broken image", []propFile{{name: "cassee.jpg", data: append([]byte{0xff, 0xd8, 0xff, 0xdb}, "pas une image"...)}}, "« cassee.jpg » n’a pas pu être lue comme une image."},
			{"too many pixels", []propFile{{name: "immense.png", data: hugePNG(10000, 5000)}}, "« immense.png » dépasse 40 mégapixels"},
			{"empty", []propFile{{name: "vide.pdf", data: nil}}, "« vide.pdf » est vide."},
			{"six files", []propFile{{name: "1.png", data: tiny}, {name: "2.png", data: tiny}, {name: "3.png", data: tiny},
				{name: "4.png", data: tiny}, {name: "5.png", data: tiny}, {name: "6.png", data: tiny}}, "Une proposition a au plus 5 pièces jointes."},
			{"a good one and a bad one", []propFile{{name: "ok.png", data: tiny}, {name: "page.pdf", data: html}}, "« page.pdf » n’est ni"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := n.count(t, "proposals")
				w := propPost(n, "quartier", tok, propFields("Un titre gardé"), tc.files...)
				wantStatus(t, w, http.StatusBadRequest)
				wantBody(t, w, `id="f-attachments-error"`, tc.want, `value="Un titre gardé"`, "Choisissez de nouveau vos fichiers", `aria-invalid="true"`)
				if got := n.count(t, "proposals"); got != before {
					t.Errorf("%d proposals, want %d", got, before)
				}
				if got := n.count(t, "proposal_attachments"); got != 3 {
					t.Errorf("%d attachments, want 3", got)
				}
			})
		}

		// A good file with a bad title: nothing stored either.
		f := propFields("")
		w = propPost(n, "quartier", tok, f, propFile{name: "ok.png", data: tiny})
		wantStatus(t, w, http.StatusBadRequest)
		wantBody(t, w, `id="f-title-error"`, "Choisissez de nouveau vos fichiers")
		if got := n.count(t, "proposal_attachments"); got != 3 {
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
		n.h.ServeHTTP(w, r)
		pr.CloseWithError(io.ErrClosedPipe) // let the writer stop
		wantStatus(t, w, http.StatusRequestEntityTooLarge)
		wantBody(t, w, `id="f-attachments-error"`, "L’envoi dépasse 51 Mo en tout.", `value="Trop lourd"`)
		if got := n.count(t, "proposals"); got != 1 {
			t.Errorf("%d proposals after the refused post, want 1", got)
		}
	})
}
