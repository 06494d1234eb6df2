package reports

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestAnswersOneLoad checks a crowd asking the same key at once is
// answered by one load, that a failed load is not kept, that answers
// expire, that a write drops them, and that a load overlapping a write
// is not kept.
func TestAnswersOneLoad(t *testing.T) {
	ctx := context.Background()
	a := newAnswers(time.Second)
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	a.now = func() time.Time { return now }
	var loads atomic.Int32
	release := make(chan struct{})
	load := func(context.Context) (any, error) {
		loads.Add(1)
		<-release
		return "v", nil
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if v, err := a.get(ctx, "k", load); v != "v" || err != nil {
				t.Errorf("got %v, %v", v, err)
			}
		})
	}
	time.Sleep(20 * time.Millisecond) // let the crowd gather on the one load
	close(release)
	wg.Wait()
	if n := loads.Load(); n != 1 {
		t.Errorf("%d loads for one key asked at once", n)
	}
	count := func(v any, err error) loader {
		return func(context.Context) (any, error) { loads.Add(1); return v, err }
	}
	loads.Store(0)
	a.get(ctx, "k", count("w", nil))
	now = now.Add(499 * time.Millisecond)
	if v, _ := a.get(ctx, "k", count("w", nil)); v != "v" || loads.Load() != 0 {
		t.Errorf("a fresh answer was loaded again: %v, %d loads", v, loads.Load())
	}
	// Past half its lifetime: served, and read anew in the background.
	now = now.Add(500 * time.Millisecond)
	if v, _ := a.get(ctx, "k", count("w", nil)); v != "v" {
		t.Errorf("answer being refreshed: %v, want the one kept", v)
	}
	a.refreshes.Wait()
	if v, _ := a.get(ctx, "k", count("z", nil)); v != "w" || loads.Load() != 1 {
		t.Errorf("after the refresh: %v, %d loads", v, loads.Load())
	}
	// Past its lifetime: never served, read again.
	now = now.Add(time.Second)
	if v, _ := a.get(ctx, "k", count("u", nil)); v != "u" || loads.Load() != 2 {
		t.Errorf("expired answer: %v, %d loads", v, loads.Load())
	}
	// A refresh overlapping a write is not kept.
	now = now.Add(600 * time.Millisecond)
	a.get(ctx, "k", func(context.Context) (any, error) { a.invalidate(); return "stale", nil })
	a.refreshes.Wait()
	if v, _ := a.get(ctx, "k", count("fresh", nil)); v != "fresh" {
		t.Errorf("a refresh overlapping a write was kept: %v", v)
	}
	a.invalidate()
	if v, _ := a.get(ctx, "k", count("x", nil)); v != "x" {
		t.Errorf("after a write: %v", v)
	}
	boom := errors.New("boom")
	if _, err := a.get(ctx, "e", count(nil, boom)); err != boom {
		t.Errorf("error %v", err)
	}
	if v, err := a.get(ctx, "e", count("y", nil)); v != "y" || err != nil {
		t.Errorf("after a failure: %v %v", v, err)
	}
	// A load during which something is written is answered, not kept.
	a.get(ctx, "w", func(context.Context) (any, error) { a.invalidate(); return "old", nil })
	if v, _ := a.get(ctx, "w", count("new", nil)); v != "new" {
		t.Errorf("a load overlapping a write was kept: %v", v)
	}
	// Bounded: past maxAnswers, the expired go, then all.
	for i := range maxAnswers + 10 {
		a.get(ctx, string(rune(i+1000)), count(i, nil))
	}
	if len(a.m) > maxAnswers {
		t.Errorf("%d answers kept", len(a.m))
	}
}
