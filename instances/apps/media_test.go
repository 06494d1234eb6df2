package apps_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"slices"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/apps"
)

// picture encodes a w×h image in a format: png, jpeg or gif.
func picture(t testing.TB, format string, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, nil)
	case "gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Logos and screenshots are images, typed by their content; a new logo
// replaces the old one, whose blob goes.
func TestMedia(t *testing.T) {
	runStores(t, func(t *testing.T, f *fixture) {
		a := f.publish(t, testdata(t, "valid.yml"))
		red, blue := picture(t, "png", 40, 40, color.RGBA{R: 255, A: 255}), picture(t, "png", 40, 40, color.RGBA{B: 255, A: 255})
		shot := picture(t, "jpeg", 64, 48, color.Gray{Y: 128})

		logo, err := f.svc.SetLogo(f.ctx, f.admin, a.Slug, bytes.NewReader(red))
		if err != nil || logo.Kind != apps.Logo || logo.MediaType != "image/png" || logo.SHA256 != sum(red) || logo.Size != int64(len(red)) {
			t.Fatalf("SetLogo = %+v, %v", logo, err)
		}
		// The type comes from the bytes, whatever the upload says; the
		// stream is stored whole, the sniffed start included.
		s1, err := f.svc.AddScreenshot(f.ctx, f.admin, a.Slug, io.MultiReader(bytes.NewReader(shot[:10]), bytes.NewReader(shot[10:])))
		if err != nil || s1.MediaType != "image/jpeg" || s1.Position != 1 || !bytes.Equal(f.read(t, s1.BlobKey), shot) {
			t.Fatalf("AddScreenshot = %+v, %v", s1, err)
		}
		s2, err := f.svc.AddScreenshot(f.ctx, f.admin, a.Slug, bytes.NewReader(red))
		if err != nil || s2.Position != 2 {
			t.Fatalf("second screenshot = %+v, %v", s2, err)
		}
		logo2, err := f.svc.SetLogo(f.ctx, f.admin, a.Slug, bytes.NewReader(blue))
		if err != nil {
			t.Fatal(err)
		}
		media, err := f.svc.Media(f.ctx, a.Slug)
		if err != nil || len(media) != 3 || media[0].ID != logo2.ID || media[1].ID != s1.ID || media[2].ID != s2.ID {
			t.Fatalf("Media = %+v, %v", media, err)
		}
		// The old logo's blob is still a screenshot's: kept.
		if !bytes.Equal(f.read(t, sum(red)), red) {
			t.Error("a blob still in use was removed")
		}
		wantErr(t, f.svc.RemoveMedia(f.ctx, f.admin, a.Slug, s2.ID), nil, "remove a screenshot")
		if _, err := f.store.Stat(f.ctx, sum(red)); err == nil {
			t.Error("the blob no row uses is still stored")
		}
		wantErr(t, f.svc.RemoveMedia(f.ctx, f.admin, a.Slug, s2.ID), apps.ErrNotFound, "remove it again")
		if m, err := f.svc.MediaByID(f.ctx, logo2.ID); err != nil || m.BlobKey != sum(blue) {
			t.Errorf("MediaByID = %+v, %v", m, err)
		}
		if n := f.count(t, "outbox_events", "kind = 'update' AND object_type = 'app'"); n != 5 {
			t.Errorf("%d app updates in the outbox, want one per change", n)
		}

		// Refusals store nothing.
		before, files := f.state(t), f.blobs(t)
		for _, tc := range []struct {
			name  string
			actor accounts.Actor
			body  io.Reader
			want  error
		}{
			{"an SVG", f.admin, strings.NewReader(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), apps.ErrMediaType},
			{"a GIF", f.admin, bytes.NewReader(picture(t, "gif", 4, 4, color.Black)), apps.ErrMediaType},
			{"a PNG named .pdf", f.admin, strings.NewReader("%PDF-1.7\n"), apps.ErrMediaType},
			{"nothing", f.admin, strings.NewReader(""), apps.ErrMediaType},
			{"an image over the limit", f.admin, io.MultiReader(bytes.NewReader(red), io.LimitReader(&repeat{line: []byte("x")}, 1<<20)), apps.ErrTooLarge},
			{"a resident", accounts.As(f.account(t, "camille")), bytes.NewReader(red), apps.ErrForbidden},
		} {
			_, err := f.svc.AddScreenshot(f.ctx, tc.actor, a.Slug, tc.body)
			f.refused(t, before, err, tc.want, tc.name)
			if got := f.blobs(t); !slices.Equal(got, files) {
				t.Errorf("%s: the store holds %q, want %q", tc.name, got, files)
			}
		}
		for range apps.MaxScreenshots - 1 {
			if _, err := f.svc.AddScreenshot(f.ctx, f.admin, a.Slug, bytes.NewReader(shot)); err != nil {
				t.Fatal(err)
			}
		}
		before = f.state(t)
		_, err = f.svc.AddScreenshot(f.ctx, f.admin, a.Slug, bytes.NewReader(shot))
		f.refused(t, before, err, apps.ErrInvalid, "one screenshot too many")
		if errors.Is(err, apps.ErrTooLarge) {
			t.Error("too many is not too large")
		}
	})
}
