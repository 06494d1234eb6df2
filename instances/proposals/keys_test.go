package proposals

import (
	"context"
	"slices"
	"testing"
	"time"
)

// Forgetting a space's keys while they are being read keeps the stale
// read from being cached, or joined by a read begun after the change.
func TestKeyCacheForget(t *testing.T) {
	ctx := t.Context()
	var c keyCache
	q := Query{SpaceID: "nord"}
	started, release, done := make(chan struct{}), make(chan struct{}), make(chan []int64)
	go func() {
		keys, _ := c.get(ctx, q, func(context.Context) ([]int64, error) {
			close(started)
			<-release
			return []int64{1, 2, 3}, nil // read before the change
		})
		done <- keys
	}()
	<-started
	c.forget("nord") // a change is committed meanwhile
	after := make(chan []int64)
	go func() {
		keys, _ := c.get(ctx, q, func(context.Context) ([]int64, error) { return []int64{1, 2}, nil })
		after <- keys
	}()
	select {
	case keys := <-after:
		if !slices.Equal(keys, []int64{1, 2}) {
			t.Fatalf("read after the change: %v", keys)
		}
	case <-time.After(5 * time.Second):
		close(release)
		t.Fatal("a read begun after the change waits for the one begun before")
	}
	close(release)
	<-done
	unread := func(context.Context) ([]int64, error) {
		t.Error("keys read again, not cached")
		return nil, nil
	}
	if keys, _ := c.get(ctx, q, unread); !slices.Equal(keys, []int64{1, 2}) {
		t.Errorf("cached %v, want the keys read after the change", keys)
	}

	// Another space's keys stay.
	other := Query{SpaceID: "sud"}
	c.get(ctx, other, func(context.Context) ([]int64, error) { return []int64{7}, nil })
	c.forget("nord")
	if keys, _ := c.get(ctx, other, unread); !slices.Equal(keys, []int64{7}) {
		t.Errorf("another space's keys: %v", keys)
	}
}
