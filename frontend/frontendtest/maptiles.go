package frontendtest

import (
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"testing"

	"agora/frontend/web"
)

// TileServer serves one grey tile for every address, on loopback, as
// the tile server an admin would configure (AGORA_MAP_TILES).
func TileServer(t testing.TB) *web.MapTiles {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 256, 256))
	for i := range img.Pix {
		img.Pix[i] = 0xdd
	}
	img.Set(0, 0, color.Black)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		png.Encode(w, img)
	}))
	t.Cleanup(srv.Close)
	tiles, err := web.ParseMapTiles(srv.URL + "/{z}/{x}/{y}.png © Test tiles")
	if err != nil {
		t.Fatal(err)
	}
	return tiles
}
