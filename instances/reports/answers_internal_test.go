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
	load := func() (any, error) {
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
	count := func(v any, err error) func() (any, error) {
		return func() (any, error) { loads.Add(1); return v, err }
	}
	loads.Store(0)
	a.get(ctx, "k", count("w", nil)) // fresh: not loaded
	now = now.Add(999 * time.Millisecond)
	a.get(ctx, "k", count("w", nil))
	if loads.Load() != 0 {
		t.Error("a fresh answer was loaded again")
	}
	now = now.Add(time.Millisecond)
	if v, _ := a.get(ctx, "k", count("w", nil)); v != "w" || loads.Load() != 1 {
		t.Errorf("expired answer: %v, %d loads", v, loads.Load())
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
	a.get(ctx, "w", func() (any, error) { a.invalidate(); return "old", nil })
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
