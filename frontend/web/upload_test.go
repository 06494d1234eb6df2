package web

import (
	"context"
	"image"
	"image/color"
	"testing"
	"time"
)

// What an image takes once decoded is reckoned from its header: a small
// file of a big 16-bit image is over the limit, a phone's photo is not.
func TestImageMemory(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  image.Config
		turn bool
		over bool
	}{
		{"16-bit RGBA, 6300×6300", image.Config{ColorModel: color.NRGBA64Model, Width: 6300, Height: 6300}, false, true},
		{"8-bit RGBA, 6300×6300", image.Config{ColorModel: color.NRGBAModel, Width: 6300, Height: 6300}, false, false},
		{"a 12 MP photo, turned", image.Config{ColorModel: color.YCbCrModel, Width: 4000, Height: 3000}, true, false},
		{"a 40 MP photo, turned", image.Config{ColorModel: color.YCbCrModel, Width: 8000, Height: 5000}, true, true},
		{"palette, 40 MP", image.Config{ColorModel: color.Palette{color.Black}, Width: 8000, Height: 5000}, false, false},
	} {
		if over := imageMemory(tt.cfg, tt.turn) > imageMemoryMax; over != tt.over {
			t.Errorf("%s: %d bytes, over the limit %v, want %v", tt.name, imageMemory(tt.cfg, tt.turn), over, tt.over)
		}
	}
}

// Images decoded at once share one budget: past it, the next waits.
func TestImageMemoryBudget(t *testing.T) {
	k := &Kit{}
	k.images = newImageBudget()
	if err := k.images.Acquire(t.Context(), imageMemoryMax); err != nil {
		t.Fatal(err)
	}
	if err := k.images.Acquire(t.Context(), imageMemoryMax); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := k.images.Acquire(ctx, 1<<20); err == nil {
		t.Fatal("a third image was decoded past the budget")
	}
	k.images.Release(imageMemoryMax)
	if err := k.images.Acquire(t.Context(), 1<<20); err != nil {
		t.Fatalf("after one ended: %v", err)
	}
}
